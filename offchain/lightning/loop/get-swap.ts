// getSwap: one swap by id (the swap hash, hex). Requires `swap:read`.
import type { LoopClient } from "../connection/loop.ts";
import { swapIdPath } from "../requests/loop.ts";
import { swapFromLoop, type Swap } from "../responses/loop.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getSwapRpc: readonly string[] = ["/looprpc.SwapClient/SwapInfo"];

export async function getSwap(args: { loop: LoopClient; id: string; timeoutMs?: number }): Promise<Swap> {
  const id = new Checker("loopd", "getSwap").hex("id", args.id, 32);
  return swapFromLoop(
    await args.loop.request("GET", `/v1/loop/swap/${swapIdPath(id)}`, undefined, {
      action: "getSwap",
      timeoutMs: args.timeoutMs,
    }),
    "getSwap",
  );
}
