// getLoopOutQuote: what a Loop Out of `amountSats` would cost now. Requires `swap:read` and `loop:out`.
import type { LoopClient } from "../connection/loop.ts";
import { loopOutQuoteFromLoop, type LoopOutQuote } from "../responses/loop.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getLoopOutQuoteRpc: readonly string[] = ["/looprpc.SwapClient/LoopOutQuote"];

export async function getLoopOutQuote(args: {
  loop: LoopClient;
  amountSats: number;
  confTarget?: number;
  timeoutMs?: number;
}): Promise<LoopOutQuote> {
  const check = new Checker("loopd", "getLoopOutQuote");
  const amount = check.integer("amountSats", args.amountSats, 1);
  const confTarget = check.integer("confTarget", args.confTarget ?? 9, 2, 1008);
  const answer = await args.loop.request("GET", `/v1/loop/out/quote/${amount}?conf_target=${confTarget}`, undefined, {
    action: "getLoopOutQuote",
    timeoutMs: args.timeoutMs,
  });
  return loopOutQuoteFromLoop(answer);
}
