// listPeers: the peers lnd is connected to. Requires `peers:read`.
import { getPeers, type AuthenticatedLnd } from "lightning";
import { peersFromLnd, type PeerInfo } from "../responses/lnd-node.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listPeersRpc: readonly string[] = ["/lnrpc.Lightning/ListPeers"];

export async function listPeers(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<PeerInfo[]> {
  return peersFromLnd(await viaLightning("listPeers", () => getPeers({ lnd: args.lnd }), args));
}
