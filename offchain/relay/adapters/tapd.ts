// One tapd node (one LV wallet) as the executor's TapdPort, over offchain/lightning's tapd actions (addresses by
// asset id, labelled sends, transfers read back with their anchor txid in display order).
// Macaroon: addresses:write, assets:write, assets:read.
import { connectTapd, listTransfers, newAssetAddress, sendAsset, type TapdClient } from "../../lightning/index.ts";
import type { DaemonConnection } from "../config.ts";
import type { AssetTransfer, TapdPort } from "../ports.ts";
import { relayCall } from "./classify.ts";

export class TapdWallet implements TapdPort {
  constructor(private readonly tapd: TapdClient) {}

  static connect(connection: DaemonConnection): TapdWallet {
    return new TapdWallet(connectTapd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }));
  }

  async newAddress(request: { assetId: string; amount: bigint }): Promise<string> {
    return (await relayCall(() => newAssetAddress({ tapd: this.tapd, assetId: request.assetId, amount: request.amount }))).address;
  }

  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    const transfer = await relayCall(() => sendAsset({ tapd: this.tapd, addresses: [request.address], label: request.label }));
    return { anchorTxid: transfer.anchorTxid };
  }

  async listTransfers(): Promise<AssetTransfer[]> {
    return (await relayCall(() => listTransfers({ tapd: this.tapd }))).map((t) => ({ label: t.label, anchorTxid: t.anchorTxid }));
  }
}
