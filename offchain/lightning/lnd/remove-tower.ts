// removeTower: remove a watchtower from the watchtower client; removing one that is not listed changes nothing.
// Requires `offchain:write` and `offchain:read`.
import { disconnectWatchtower, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";
import { listTowers, listTowersRpc } from "./list-towers.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const removeTowerRpc: readonly string[] = [...listTowersRpc, "/wtclientrpc.WatchtowerClient/RemoveTower"];

export async function removeTower(
  args: { lnd: AuthenticatedLnd; pubkey: string } & LndCallOptions,
): Promise<{ wasPresent: boolean }> {
  const pubkey = new Checker("lnd", "removeTower").pubkey("pubkey", args.pubkey);
  if (!(await listTowers(args)).some((tower) => tower.pubkey === pubkey)) return { wasPresent: false };
  await viaLightning("removeTower", () => disconnectWatchtower({ lnd: args.lnd, public_key: pubkey }), args);
  return { wasPresent: true };
}
