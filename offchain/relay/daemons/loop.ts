// loopd as the relay's LoopPort, over offchain/lightning's loop actions (REST). A swap's max-fee-sats is the total
// cap, split across loopd's separate fee caps from a fresh quote (a quote over the cap is FEE_CAP_EXCEEDED, which
// the relay reports as 409). Labels carry the idempotency key. Macaroon: swap:execute, swap:read, loop:in,
// loop:out, terms:read.
import {
  connectLoop,
  getLoopInQuote,
  getLoopInTerms,
  getLoopOutQuote,
  getLoopOutTerms,
  listSwaps,
  loopIn,
  loopOut,
  type LoopClient,
} from "../../lightning/index.ts";
import type { LoopConnection } from "../config.ts";
import { relayCall } from "./classify.ts";
import type { LoopPort, Swap, SwapTerms } from "./ports.ts";

export class LoopRest implements LoopPort {
  constructor(private readonly loop: LoopClient) {}

  static connect(connection: LoopConnection): LoopRest {
    return new LoopRest(
      connectLoop({
        restUrl: connection.restUrl,
        ...(connection.certPem ? { cert: connection.certPem } : {}),
        macaroonHex: connection.macaroon.reveal(),
      }),
    );
  }

  async loopOut(request: Parameters<LoopPort["loopOut"]>[0]): Promise<{ swapHash: string }> {
    const started = await relayCall(() =>
      loopOut({
        loop: this.loop,
        amountSats: Number(request.amountSats),
        dest: request.dest,
        maxTotalFeeSats: Number(request.maxTotalFeeSats),
        label: request.label,
        outgoingChannelIds: request.outgoingChanIds,
      }),
    );
    return { swapHash: started.id };
  }

  async loopIn(request: Parameters<LoopPort["loopIn"]>[0]): Promise<{ swapHash: string }> {
    const started = await relayCall(() =>
      loopIn({
        loop: this.loop,
        amountSats: Number(request.amountSats),
        maxTotalFeeSats: Number(request.maxTotalFeeSats),
        label: request.label,
        ...(request.lastHop ? { lastHopPubkey: request.lastHop } : {}),
      }),
    );
    return { swapHash: started.id };
  }

  async listSwaps(): Promise<Swap[]> {
    const swaps = await relayCall(() => listSwaps({ loop: this.loop }));
    return swaps.map((s) => ({
      swapHash: s.id,
      label: s.label,
      type: s.type === "LOOP_OUT" ? "out" : "in",
      state: s.state,
      amountSats: BigInt(s.amountSats),
    }));
  }

  async terms(type: "out" | "in"): Promise<SwapTerms> {
    const terms = await relayCall(() =>
      type === "out" ? getLoopOutTerms({ loop: this.loop }) : getLoopInTerms({ loop: this.loop }),
    );
    return { minSats: BigInt(terms.minSwapSats), maxSats: BigInt(terms.maxSwapSats) };
  }

  async quoteFeeSats(type: "out" | "in", amountSats: bigint): Promise<bigint> {
    if (type === "out") {
      const quote = await relayCall(() => getLoopOutQuote({ loop: this.loop, amountSats: Number(amountSats) }));
      return BigInt(quote.swapFeeSats + quote.htlcSweepFeeSats);
    }
    const quote = await relayCall(() => getLoopInQuote({ loop: this.loop, amountSats: Number(amountSats) }));
    return BigInt(quote.swapFeeSats + Math.max(0, quote.htlcPublishFeeSats));
  }
}
