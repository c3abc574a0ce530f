// One tapd node (one LV wallet) as the executor's TapdPort, over offchain/lightning's tapd connection (tapd 0.7
// protos, tapd's own field names). tapd returns the anchor transaction hash in Bitcoin's internal byte order; it is
// reversed here to the txid as block explorers and lnd show it. Macaroon: tapd's admin macaroon (addresses:write,
// assets:write, assets:read).
import { connectTapd, type TapdClient } from "../../lightning/connection/tapd.ts";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import type { DaemonConnection } from "../config.ts";
import { RetryableFailure } from "../failure.ts";
import type { AssetTransfer, TapdPort } from "../ports.ts";
import { relayCall } from "./classify.ts";

export const displayTxid = (hash: Buffer | Uint8Array): string => Buffer.from(hash).reverse().toString("hex");

export class TapdWallet implements TapdPort {
  constructor(private readonly tapd: TapdClient) {}

  static connect(connection: DaemonConnection): TapdWallet {
    return new TapdWallet(connectTapd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }));
  }

  private call(method: string, request: Record<string, unknown>) {
    return relayCall(() => unaryCall(this.tapd.assets, method, request, { daemon: "tapd", action: method }));
  }

  async newAddress(request: { assetId: string; amount: bigint }): Promise<string> {
    const addr = await this.call("NewAddr", { asset_id: Buffer.from(request.assetId, "hex"), amt: request.amount.toString() });
    return String(addr.encoded);
  }

  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    const answer = await this.call("SendAsset", { tap_addrs: [request.address], label: request.label });
    if (!answer.transfer) throw new RetryableFailure("tapd SendAsset answered without a transfer");
    return { anchorTxid: displayTxid(answer.transfer.anchor_tx_hash as Buffer) };
  }

  async listTransfers(): Promise<AssetTransfer[]> {
    const answer = await this.call("ListTransfers", {});
    return ((answer.transfers ?? []) as { label: string; anchor_tx_hash: Buffer }[]).map((t) => ({ label: t.label, anchorTxid: displayTxid(t.anchor_tx_hash) }));
  }
}
