// loopOut: swap channel balance out to an on-chain address, labelled (the relay's `lvdao:<id>`), under one total
// fee cap split into loopd's caps from a fresh quote (FEE_CAP_EXCEEDED if the quote is already over it).
// Requires `swap:execute`, `loop:out` and `swap:read`.
import type { LoopClient } from "../connection/loop.ts";
import { channelIdToUint64, loopOutBody, loopOutFeeCaps } from "../requests/loop.ts";
import { swapStartedFromLoop, type SwapStarted } from "../responses/loop.ts";
import { Checker } from "../validation.ts";
import { getLoopOutQuote, getLoopOutQuoteRpc } from "./get-loop-out-quote.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const loopOutRpc: readonly string[] = [...getLoopOutQuoteRpc, "/looprpc.SwapClient/LoopOut"];

export interface LoopOutArgs {
  loop: LoopClient;
  amountSats: number;
  /** On-chain destination address. */
  dest: string;
  maxTotalFeeSats: number;
  label: string;
  /** Restrict to these channels (lnd's "123x4x0" form or uint64 decimal); any channel when empty. */
  outgoingChannelIds?: string[];
  sweepConfTarget?: number;
  timeoutMs?: number;
}

export async function loopOut(args: LoopOutArgs): Promise<SwapStarted> {
  const check = new Checker("loopd", "loopOut");
  const amountSats = check.integer("amountSats", args.amountSats, 1);
  const dest = check.text("dest", args.dest, 90);
  if (!/^(bc|tb|bcrt)1[02-9ac-hj-np-z]{8,87}$/i.test(dest)) check.fail("dest must be a segwit address");
  const maxTotal = check.integer("maxTotalFeeSats", args.maxTotalFeeSats, 0, amountSats);
  const label = check.text("label", args.label, 500);
  if (label.startsWith("[reserved]")) check.fail("label must not start with [reserved] (loopd keeps that prefix)");
  const channels = (args.outgoingChannelIds ?? []).map((id, index) => {
    if (!/^(\d+x\d+x\d+|\d{1,20})$/.test(id)) check.fail(`outgoingChannelIds[${index}] is not a channel id`);
    return channelIdToUint64(id);
  });
  const sweepConfTarget = check.integer("sweepConfTarget", args.sweepConfTarget ?? 9, 2, 1008);
  const quote = await getLoopOutQuote({
    loop: args.loop,
    amountSats,
    confTarget: sweepConfTarget,
    timeoutMs: args.timeoutMs,
  });
  const caps = loopOutFeeCaps(quote, maxTotal);
  const answer = await args.loop.request(
    "POST",
    "/v1/loop/out",
    loopOutBody({ amountSats, dest, caps, outgoingChannelIds: channels, label, sweepConfTarget }),
    {
      action: "loopOut",
      timeoutMs: args.timeoutMs ?? 120_000,
    },
  );
  return swapStartedFromLoop(answer, "loopOut");
}
