// listSwaps: loopd's swaps, optionally only those with a label (the relay's crash reconciliation: was `lvdao:<id>`
// already started?). Requires `swap:read`.
import type { LoopClient } from "../connection/loop.ts";
import { swapsFromLoop, type Swap } from "../responses/loop.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listSwapsRpc: readonly string[] = ["/looprpc.SwapClient/ListSwaps"];

export async function listSwaps(args: { loop: LoopClient; label?: string; timeoutMs?: number }): Promise<Swap[]> {
  const label = args.label === undefined ? undefined : new Checker("loopd", "listSwaps").text("label", args.label, 500);
  const query = label === undefined ? "" : `?list_swap_filter.label=${encodeURIComponent(label)}`;
  const swaps = swapsFromLoop(
    await args.loop.request("GET", `/v1/loop/swaps${query}`, undefined, {
      action: "listSwaps",
      timeoutMs: args.timeoutMs,
    }),
  );
  // Filtered here too: loopd releases before the label filter ignore it.
  return label === undefined ? swaps : swaps.filter((swap) => swap.label === label);
}
