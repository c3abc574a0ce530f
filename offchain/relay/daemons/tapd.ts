// One tapd node (holding one or more LV wallets) as the relay's TapdPort, over offchain/lightning's tapd actions:
// addresses for the LV group or one asset id, labelled sends, transfers read back with their anchor txid in display
// order and whether it confirmed, mints into the LV group, balances and address receipts. Macaroon: addresses:read,
// addresses:write, assets:read, assets:write, mint:write, daemon:read.
import {
  connectTapd,
  decodeAssetAddress,
  getTapdInfo,
  listAddressReceives,
  listAssetBalances,
  listAssets,
  listTransfers,
  mintGroupedAsset,
  newAssetAddress,
  sendAsset,
  type TapdClient,
} from "../../lightning/index.ts";
import type { DaemonConnection } from "../config.ts";
import { PermanentFailure, RetryableFailure } from "../failure.ts";
import { relayCall } from "./classify.ts";
import type { AssetTransfer, AssetView, DecodedAssetAddress, DeskTapdPort, LvAsset, ReceiptView } from "./ports.ts";

/**
 * How tapd refuses an address for an asset it has not learned yet. A tapd learns another node's asset from its
 * universe federation, which has the issuance proof only a little after the mint confirms, so a receiving wallet's
 * first address request can meet this and pass a moment later.
 */
const ASSET_NOT_SYNCED = /unable to find asset or group/i;

export class TapdNode implements DeskTapdPort {
  constructor(private readonly tapd: TapdClient) {}

  static connect(connection: DaemonConnection): TapdNode {
    return new TapdNode(
      connectTapd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }),
    );
  }

  async newLvAddress(lv: LvAsset, amount: bigint): Promise<string> {
    const target = lv.groupKey ? { groupKey: lv.groupKey } : lv.assetId ? { assetId: lv.assetId } : undefined;
    if (!target) throw new Error("the LV asset is not known yet");
    try {
      return (await relayCall(() => newAssetAddress({ tapd: this.tapd, amount, ...target }))).address;
    } catch (error) {
      if (!(error instanceof PermanentFailure) || !ASSET_NOT_SYNCED.test(error.reason)) throw error;
      throw new RetryableFailure(
        `this tapd has not synced ${lv.groupKey ? `group ${lv.groupKey}` : `asset ${lv.assetId}`} from its universe ` +
          `yet: ${error.reason}`,
      );
    }
  }

  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    const transfer = await relayCall(() =>
      sendAsset({ tapd: this.tapd, addresses: [request.address], label: request.label }),
    );
    return { anchorTxid: transfer.anchorTxid };
  }

  async listTransfers(): Promise<AssetTransfer[]> {
    return (await relayCall(() => listTransfers({ tapd: this.tapd }))).map((t) => ({
      label: t.label,
      anchorTxid: t.anchorTxid,
      confirmed: t.confirmationHeight > 0,
    }));
  }

  async mint(request: { name: string; amount: bigint; groupKey: string | undefined }): Promise<AssetView> {
    const { asset } = await relayCall(() =>
      mintGroupedAsset({
        tapd: this.tapd,
        name: request.name,
        amount: request.amount,
        ...(request.groupKey ? { groupKey: request.groupKey } : {}),
      }),
    );
    return {
      assetId: asset.assetId,
      name: asset.name,
      amount: asset.amount,
      groupKey: asset.groupKey,
      anchor: asset.anchor,
      anchorBlockHeight: asset.anchorBlockHeight,
    };
  }

  async assets(): Promise<AssetView[]> {
    const assets = await relayCall(() => listAssets({ tapd: this.tapd, includeUnconfirmedMints: true }));
    return assets
      .filter((a) => !a.isSpent)
      .map((a) => ({
        assetId: a.assetId,
        name: a.name,
        amount: a.amount,
        groupKey: a.groupKey,
        anchor: a.anchor,
        anchorBlockHeight: a.anchorBlockHeight,
      }));
  }

  async lvBalance(lv: LvAsset): Promise<bigint> {
    const by = lv.groupKey ? "group" : "asset";
    const key = lv.groupKey ?? lv.assetId;
    if (!key) return 0n;
    const balances = await relayCall(() => listAssetBalances({ tapd: this.tapd, by }));
    return balances.find((b) => b.key === key)?.balance ?? 0n;
  }

  async receipts(address: string): Promise<ReceiptView[]> {
    return (await relayCall(() => listAddressReceives({ tapd: this.tapd, address }))).map((r) => ({
      address: r.address,
      status: r.status,
      anchor: r.anchor,
      amount: r.amount,
      confirmationHeight: r.confirmationHeight,
    }));
  }

  async decodeAddress(address: string): Promise<DecodedAssetAddress> {
    const decoded = await relayCall(() => decodeAssetAddress({ tapd: this.tapd, address }));
    return { assetId: decoded.assetId, groupKey: decoded.groupKey, amount: decoded.amount };
  }

  async blockHeight(): Promise<number> {
    return (await relayCall(() => getTapdInfo({ tapd: this.tapd }))).blockHeight;
  }

  close(): void {
    this.tapd.close();
  }
}
