// connectPeer: connect to pubkey@socket unless already connected (so a retried action does nothing twice).
// Requires `peers:write` and `peers:read`.
import { addPeer, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";
import { listPeers, listPeersRpc } from "./list-peers.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const connectPeerRpc: readonly string[] = [...listPeersRpc, "/lnrpc.Lightning/ConnectPeer"];

export async function connectPeer(
  args: { lnd: AuthenticatedLnd; pubkey: string; socket: string } & LndCallOptions,
): Promise<{ alreadyConnected: boolean }> {
  const check = new Checker("lnd", "connectPeer");
  const pubkey = check.pubkey("pubkey", args.pubkey);
  const socket = check.socket("socket", args.socket);
  const peers = await listPeers(args);
  if (peers.some((peer) => peer.pubkey === pubkey)) return { alreadyConnected: true };
  // One attempt: the relay owns retries, and lightning's default backoff would hide an unreachable peer for seconds.
  await viaLightning(
    "connectPeer",
    () => addPeer({ lnd: args.lnd, public_key: pubkey, socket, retry_count: 0, timeout: 10_000 }),
    args,
  );
  return { alreadyConnected: false };
}
