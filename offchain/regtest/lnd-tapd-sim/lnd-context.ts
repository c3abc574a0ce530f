// What every simulated lnd handler works with, and the small conversions lnd's wire format needs: txids as
// reversed bytes, channel points, and the permission each method requires (lnd's rpcserver permission map).
import type { SimChain } from "./bitcoin-chain.ts";
import type { SimLnd } from "./lnd-node.ts";
import type { Permission } from "./macaroon.ts";
import type { SimNetwork } from "./network.ts";
import { SimRpcError } from "./rpc-error.ts";
import type { Message } from "./grpc-server.ts";

export interface LndContext {
  node: SimLnd;
  network: SimNetwork;
  chain: SimChain;
  /** lnd's version string, labelled as the simulator. */
  version: string;
}

/** lnd's wire txids are the hash bytes in internal (reversed) order. */
export const txidToBytes = (txid: string): Buffer => Buffer.from(txid, "hex").reverse();
export const bytesToTxid = (bytes: Buffer): string => Buffer.from(bytes).reverse().toString("hex");

/** Reads an lnrpc.ChannelPoint (either funding_txid form). */
export function readChannelPoint(point: Message | null | undefined): { txid: string; vout: number } {
  if (!point) throw new SimRpcError("must specify channel point");
  const bytes: Buffer | undefined = point.funding_txid_bytes;
  const text: string | undefined = point.funding_txid_str;
  let txid: string;
  if (point.funding_txid === "funding_txid_bytes" && bytes && bytes.length === 32) txid = bytesToTxid(bytes);
  else if (point.funding_txid === "funding_txid_str" && text && /^[0-9a-f]{64}$/i.test(text)) txid = text.toLowerCase();
  else throw new SimRpcError("invalid funding txid in channel point");
  return { txid, vout: Number(point.output_index ?? 0) };
}

export const outPointMessage = (txid: string, vout: number) => ({
  txid_bytes: txidToBytes(txid),
  txid_str: txid,
  output_index: vout,
});

const p = (entity: string, action: string): Permission => ({ entity, action });
export const READ = {
  info: [p("info", "read")],
  offchain: [p("offchain", "read")],
  onchain: [p("onchain", "read")],
  peers: [p("peers", "read")],
  invoices: [p("invoices", "read")],
};
export const WRITE = {
  offchain: [p("offchain", "write")],
  onchain: [p("onchain", "write")],
  peers: [p("peers", "write")],
  invoices: [p("invoices", "write")],
  address: [p("address", "write")],
  channels: [p("onchain", "write"), p("offchain", "write")],
};
