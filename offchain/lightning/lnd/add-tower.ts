// addTower: add a watchtower to the watchtower client; adding one already listed at that socket changes nothing.
// Requires `offchain:write` and `offchain:read`.
import { connectWatchtower, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";
import { listTowers, listTowersRpc } from "./list-towers.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const addTowerRpc: readonly string[] = [...listTowersRpc, "/wtclientrpc.WatchtowerClient/AddTower"];

export async function addTower(
  args: { lnd: AuthenticatedLnd; pubkey: string; socket: string } & LndCallOptions,
): Promise<{ alreadyAdded: boolean }> {
  const check = new Checker("lnd", "addTower");
  const pubkey = check.pubkey("pubkey", args.pubkey);
  const socket = check.socket("socket", args.socket);
  const existing = (await listTowers(args)).find((tower) => tower.pubkey === pubkey);
  if (existing?.sockets.includes(socket)) return { alreadyAdded: true };
  await viaLightning("addTower", () => connectWatchtower({ lnd: args.lnd, public_key: pubkey, socket }), args);
  return { alreadyAdded: false };
}
