// getTowerServerInfo: this node's own watchtower server (`--watchtower.active`), or null when it runs none.
// Requires `info:read`.
import { getTowerServerInfo as lndGetTowerServerInfo, type AuthenticatedLnd } from "lightning";
import { towerServerFromLnd, type TowerServer } from "../responses/lnd-node.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getTowerServerInfoRpc: readonly string[] = ["/watchtowerrpc.Watchtower/GetInfo"];

export async function getTowerServerInfo(
  args: { lnd: AuthenticatedLnd } & LndCallOptions,
): Promise<TowerServer | null> {
  return towerServerFromLnd(
    await viaLightning("getTowerServerInfo", () => lndGetTowerServerInfo({ lnd: args.lnd }), args),
  );
}
