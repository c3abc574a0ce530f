// getLoopOutTerms: the swap server's Loop Out amount and CLTV limits. Requires `terms:read` and `loop:out`.
import type { LoopClient } from "../connection/loop.ts";
import { termsFromLoop, type SwapTerms } from "../responses/loop.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getLoopOutTermsRpc: readonly string[] = ["/looprpc.SwapClient/LoopOutTerms"];

export async function getLoopOutTerms(args: { loop: LoopClient; timeoutMs?: number }): Promise<SwapTerms> {
  return termsFromLoop(
    await args.loop.request("GET", "/v1/loop/out/terms", undefined, {
      action: "getLoopOutTerms",
      timeoutMs: args.timeoutMs,
    }),
    "getLoopOutTerms",
  );
}
