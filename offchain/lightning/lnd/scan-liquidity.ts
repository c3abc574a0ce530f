// scanLiquidity: the liquidity monitor's and reporter's view of every open channel (balances, activity) with
// totals, from one ListChannels. Requires `offchain:read`.
import { getChannels, type AuthenticatedLnd } from "lightning";
import { liquidityFromLnd, type LiquidityScan } from "../responses/lnd-channels.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

export async function scanLiquidity(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<LiquidityScan> {
  return liquidityFromLnd(await viaLightning("scanLiquidity", () => getChannels({ lnd: args.lnd }), args));
}
