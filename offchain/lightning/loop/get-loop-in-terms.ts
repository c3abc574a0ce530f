// getLoopInTerms: the swap server's Loop In amount limits. Requires `terms:read` and `loop:in`.
import type { LoopClient } from "../connection/loop.ts";
import { termsFromLoop, type SwapTerms } from "../responses/loop.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getLoopInTermsRpc: readonly string[] = ["/looprpc.SwapClient/GetLoopInTerms"];

export async function getLoopInTerms(args: { loop: LoopClient; timeoutMs?: number }): Promise<SwapTerms> {
  return termsFromLoop(
    await args.loop.request("GET", "/v1/loop/in/terms", undefined, {
      action: "getLoopInTerms",
      timeoutMs: args.timeoutMs,
    }),
    "getLoopInTerms",
  );
}
