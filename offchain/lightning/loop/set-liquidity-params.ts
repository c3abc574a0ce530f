// setLiquidityParams: replace loopd's autoloop configuration; setting replaces every parameter, so pass what
// getLiquidityParams returned, changed. Requires `suggestions:write`.
import type { LoopClient } from "../connection/loop.ts";
import { liquidityParamsBody } from "../requests/loop.ts";
import type { LiquidityParams } from "../responses/loop.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const setLiquidityParamsRpc: readonly string[] = ["/looprpc.SwapClient/SetLiquidityParams"];

export async function setLiquidityParams(args: {
  loop: LoopClient;
  params: LiquidityParams;
  timeoutMs?: number;
}): Promise<void> {
  const check = new Checker("loopd", "setLiquidityParams");
  check.integer("params.budgetSats", args.params.budgetSats, 0);
  check.integer("params.maxInFlight", args.params.maxInFlight, 0, 100);
  check.integer("params.minSwapSats", args.params.minSwapSats, 0);
  check.integer("params.maxSwapSats", args.params.maxSwapSats, 0);
  check.integer("params.feePpm", args.params.feePpm, 0, 1_000_000);
  args.params.rules.forEach((rule, index) => {
    check.integer(`params.rules[${index}].incomingThresholdPct`, rule.incomingThresholdPct, 0, 100);
    check.integer(`params.rules[${index}].outgoingThresholdPct`, rule.outgoingThresholdPct, 0, 100);
  });
  await args.loop.request("POST", "/v1/liquidity/params", liquidityParamsBody(args.params), {
    action: "setLiquidityParams",
    timeoutMs: args.timeoutMs,
  });
}
