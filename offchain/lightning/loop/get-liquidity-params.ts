// getLiquidityParams: loopd's autoloop configuration. Requires `suggestions:read`.
import type { LoopClient } from "../connection/loop.ts";
import { liquidityParamsFromLoop, type LiquidityParams } from "../responses/loop.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getLiquidityParamsRpc: readonly string[] = ["/looprpc.SwapClient/GetLiquidityParams"];

export async function getLiquidityParams(args: { loop: LoopClient; timeoutMs?: number }): Promise<LiquidityParams> {
  return liquidityParamsFromLoop(
    await args.loop.request("GET", "/v1/liquidity/params", undefined, {
      action: "getLiquidityParams",
      timeoutMs: args.timeoutMs,
    }),
  );
}
