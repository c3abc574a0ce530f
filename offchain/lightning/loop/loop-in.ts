// loopIn: swap on-chain funds into channel balance, labelled, optionally through a given last hop, under one total
// fee cap (FEE_CAP_EXCEEDED if the fresh quote is already over it). Requires `swap:execute`, `loop:in` and `swap:read`.
import { LightningError } from "../errors.ts";
import type { LoopClient } from "../connection/loop.ts";
import { loopInBody, loopInFeeCaps } from "../requests/loop.ts";
import { swapStartedFromLoop, type SwapStarted } from "../responses/loop.ts";
import { Checker } from "../validation.ts";
import { getLoopInQuote, getLoopInQuoteRpc } from "./get-loop-in-quote.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const loopInRpc: readonly string[] = [...getLoopInQuoteRpc, "/looprpc.SwapClient/LoopIn"];

export async function loopIn(args: {
  loop: LoopClient;
  amountSats: number;
  maxTotalFeeSats: number;
  label: string;
  lastHopPubkey?: string;
  htlcConfTarget?: number;
  timeoutMs?: number;
}): Promise<SwapStarted> {
  const check = new Checker("loopd", "loopIn");
  const amountSats = check.integer("amountSats", args.amountSats, 1);
  const maxTotal = check.integer("maxTotalFeeSats", args.maxTotalFeeSats, 0, amountSats);
  const label = check.text("label", args.label, 500);
  if (label.startsWith("[reserved]")) check.fail("label must not start with [reserved] (loopd keeps that prefix)");
  const lastHop = args.lastHopPubkey === undefined ? null : check.pubkey("lastHopPubkey", args.lastHopPubkey);
  const htlcConfTarget = check.integer("htlcConfTarget", args.htlcConfTarget ?? 6, 2, 1008);
  const quote = await getLoopInQuote({
    loop: args.loop,
    amountSats,
    confTarget: htlcConfTarget,
    timeoutMs: args.timeoutMs,
    ...(lastHop ? { lastHopPubkey: lastHop } : {}),
  });
  if (quote.htlcPublishFeeSats < 0)
    throw new LightningError(
      "DAEMON_REFUSED",
      "loopd could not estimate the HTLC fee: not enough confirmed funds in lnd's wallet",
      "loopd",
      "loopIn",
    );
  const caps = loopInFeeCaps(quote, maxTotal);
  const answer = await args.loop.request(
    "POST",
    "/v1/loop/in",
    loopInBody({ amountSats, caps, lastHopPubkey: lastHop, label, htlcConfTarget }),
    {
      action: "loopIn",
      timeoutMs: args.timeoutMs ?? 120_000,
    },
  );
  return swapStartedFromLoop(answer, "loopIn");
}
