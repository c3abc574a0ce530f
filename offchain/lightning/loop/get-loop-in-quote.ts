// getLoopInQuote: what a Loop In of `amountSats` would cost now. Requires `swap:read` and `loop:in`.
import type { LoopClient } from "../connection/loop.ts";
import { loopInQuoteFromLoop, type LoopInQuote } from "../responses/loop.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getLoopInQuoteRpc: readonly string[] = ["/looprpc.SwapClient/GetLoopInQuote"];

export async function getLoopInQuote(args: {
  loop: LoopClient;
  amountSats: number;
  lastHopPubkey?: string;
  confTarget?: number;
  timeoutMs?: number;
}): Promise<LoopInQuote> {
  const check = new Checker("loopd", "getLoopInQuote");
  const amount = check.integer("amountSats", args.amountSats, 1);
  const confTarget = check.integer("confTarget", args.confTarget ?? 6, 2, 1008);
  const lastHopBytes =
    args.lastHopPubkey === undefined
      ? undefined
      : Buffer.from(check.pubkey("lastHopPubkey", args.lastHopPubkey), "hex");
  const lastHop = lastHopBytes === undefined ? "" : `&loop_in_last_hop=${lastHopBytes.toString("base64url")}`;
  const answer = await args.loop.request(
    "GET",
    `/v1/loop/in/quote/${amount}?conf_target=${confTarget}${lastHop}`,
    undefined,
    { action: "getLoopInQuote", timeoutMs: args.timeoutMs },
  );
  return loopInQuoteFromLoop(answer);
}
