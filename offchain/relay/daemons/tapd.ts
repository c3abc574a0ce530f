// One tapd node (one LV wallet) as the executor's TapdPort, over offchain/lightning's tapd actions (addresses by
// asset id, labelled sends, transfers read back with their anchor txid in display order and whether it confirmed).
// Macaroon: addresses:write, assets:write, assets:read.
import { connectTapd, listTransfers, newAssetAddress, sendAsset, type TapdClient } from "../../lightning/index.ts";
import type { DaemonConnection } from "../config.ts";
import { PermanentFailure, RetryableFailure } from "../failure.ts";
import type { AssetTransfer, TapdPort } from "../ports.ts";
import { relayCall } from "./classify.ts";

/**
 * How tapd refuses an address for an asset it has not learned yet. A tapd learns another node's asset from its
 * universe federation, which has the issuance proof only a little after the mint confirms, so a receiving wallet's
 * first address request can meet this and pass a moment later.
 */
const ASSET_NOT_SYNCED = /unable to find asset or group/i;

export class TapdWallet implements TapdPort {
  constructor(private readonly tapd: TapdClient) {}

  static connect(connection: DaemonConnection): TapdWallet {
    return new TapdWallet(connectTapd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }));
  }

  async newAddress(request: { assetId: string; amount: bigint }): Promise<string> {
    try {
      return (await relayCall(() => newAssetAddress({ tapd: this.tapd, assetId: request.assetId, amount: request.amount }))).address;
    } catch (error) {
      if (!(error instanceof PermanentFailure) || !ASSET_NOT_SYNCED.test(error.reason)) throw error;
      throw new RetryableFailure(`this tapd has not synced asset ${request.assetId} from its universe yet: ${error.reason}`);
    }
  }

  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    const transfer = await relayCall(() => sendAsset({ tapd: this.tapd, addresses: [request.address], label: request.label }));
    return { anchorTxid: transfer.anchorTxid };
  }

  async listTransfers(): Promise<AssetTransfer[]> {
    return (await relayCall(() => listTransfers({ tapd: this.tapd }))).map((t) => ({ label: t.label, anchorTxid: t.anchorTxid, confirmed: t.confirmationHeight > 0 }));
  }
}
