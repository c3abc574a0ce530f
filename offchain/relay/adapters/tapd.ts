// One tapd node (one LV wallet) as the executor's TapdPort, over @lightningpolar/tapd-api (tapd 0.7 protos).
// tapd returns the anchor transaction hash in Bitcoin's internal byte order; it is reversed here to the txid as
// block explorers and lnd show it. Macaroon: tapd's admin macaroon (addresses:write, assets:write, assets:read).
import { TapClient, type TapdRpcApis } from "@lightningpolar/tapd-api";
import type { DaemonConnection } from "../config.ts";
import { conflict, RetryableFailure } from "../failure.ts";
import type { AssetTransfer, TapdPort } from "../ports.ts";

/** grpc-js errors carry a numeric status: UNAVAILABLE (14), DEADLINE_EXCEEDED (4), RESOURCE_EXHAUSTED (8) pass. */
export function classifyGrpcError(error: unknown, what: string): Error {
  const { code, details, message } = (error ?? {}) as { code?: number; details?: string; message?: string };
  const text = `${what}: ${details ?? message ?? String(error)}`;
  if (code === undefined || [4, 8, 14].includes(code)) return new RetryableFailure(text);
  return conflict(text);
}

const displayTxid = (hash: Buffer | Uint8Array | string): string =>
  (typeof hash === "string" ? Buffer.from(hash, "base64") : Buffer.from(hash)).reverse().toString("hex");

export class TapdWallet implements TapdPort {
  constructor(private readonly tapd: TapdRpcApis) {}

  static connect(connection: DaemonConnection): TapdWallet {
    return new TapdWallet(TapClient.create({ socket: connection.socket, macaroon: connection.macaroon.reveal(), cert: Buffer.from(connection.certPem).toString("hex") }));
  }

  private async call<T>(what: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw classifyGrpcError(error, what);
    }
  }

  async newAddress(request: { assetId: string; amount: bigint }): Promise<string> {
    const addr = await this.call("tapd new address", () => this.tapd.taprootAssets.newAddr({ assetId: Buffer.from(request.assetId, "hex"), amt: request.amount.toString() }));
    return addr.encoded;
  }

  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    const { transfer } = await this.call("tapd send", () => this.tapd.taprootAssets.sendAsset({ tapAddrs: [request.address], label: request.label }));
    if (!transfer) throw new RetryableFailure("tapd send answered without a transfer");
    return { anchorTxid: displayTxid(transfer.anchorTxHash as Buffer) };
  }

  async listTransfers(): Promise<AssetTransfer[]> {
    const { transfers } = await this.call("tapd list transfers", () => this.tapd.taprootAssets.listTransfers({}));
    return transfers.map((t) => ({ label: t.label, anchorTxid: displayTxid(t.anchorTxHash as Buffer) }));
  }
}
