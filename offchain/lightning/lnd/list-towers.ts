// listTowers: the watchtowers this node's watchtower client (`--wtclient.active`) backs up to.
// Requires `offchain:read`.
import { getConnectedWatchtowers, type AuthenticatedLnd } from "lightning";
import { towersFromLnd, type Tower } from "../responses/lnd-node.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listTowersRpc: readonly string[] = [
  "/wtclientrpc.WatchtowerClient/Stats",
  "/wtclientrpc.WatchtowerClient/ListTowers",
  "/wtclientrpc.WatchtowerClient/Policy",
];

export async function listTowers(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<Tower[]> {
  return towersFromLnd(await viaLightning("listTowers", () => getConnectedWatchtowers({ lnd: args.lnd }), args));
}
