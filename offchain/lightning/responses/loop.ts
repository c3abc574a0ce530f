// Pure mappers for loopd's REST answers. grpc-gateway writes proto field names, int64 as decimal strings and bytes
// as base64; every field is present (loopd emits unpopulated fields).
import { AnswerReader } from "../validation.ts";

export interface SwapTerms {
  minSwapSats: number;
  maxSwapSats: number;
  /** Loop Out only. */
  minCltvDelta: number | null;
  maxCltvDelta: number | null;
}

export interface LoopOutQuote {
  swapFeeSats: number;
  prepayAmtSats: number;
  htlcSweepFeeSats: number;
  swapPaymentDest: string;
  cltvDelta: number;
  confTarget: number;
}

export interface LoopInQuote {
  swapFeeSats: number;
  htlcPublishFeeSats: number;
  cltvDelta: number;
  confTarget: number;
}

export interface SwapStarted {
  /** The swap hash (hex); loopd's swap id. */
  id: string;
  htlcAddress: string;
  serverMessage: string;
}

export type SwapState = "INITIATED" | "PREIMAGE_REVEALED" | "HTLC_PUBLISHED" | "SUCCESS" | "FAILED" | "INVOICE_SETTLED";

export interface Swap {
  id: string;
  type: "LOOP_OUT" | "LOOP_IN" | "STATIC_LOOP_IN";
  state: SwapState;
  failureReason: string;
  amountSats: number;
  costServerSats: number;
  costOnchainSats: number;
  costOffchainSats: number;
  label: string;
  htlcAddress: string;
  initiatedAt: Date;
  updatedAt: Date;
}

export interface LiquidityRule {
  channelId: string;
  pubkey: string | null;
  swapType: string;
  type: string;
  incomingThresholdPct: number;
  outgoingThresholdPct: number;
}

export interface LiquidityParams {
  autoloop: boolean;
  budgetSats: number;
  budgetRefreshPeriodSec: number;
  maxInFlight: number;
  minSwapSats: number;
  maxSwapSats: number;
  feePpm: number;
  rules: LiquidityRule[];
  /** Every field as loopd sent it; setting parameters replaces them all, so unknown fields travel back unchanged. */
  raw: Record<string, unknown>;
}

const read = (action: string) => new AnswerReader("loopd", action);
const SWAP_STATES: readonly SwapState[] = [
  "INITIATED",
  "PREIMAGE_REVEALED",
  "HTLC_PUBLISHED",
  "SUCCESS",
  "FAILED",
  "INVOICE_SETTLED",
];

function base64Hex(r: AnswerReader, value: unknown, what: string): string {
  const text = r.string(value, what);
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) r.fail(`expected ${what} to be base64`);
  return Buffer.from(text, "base64").toString("hex");
}

/** loopd times are Unix nanoseconds. */
const fromNanos = (r: AnswerReader, value: unknown, what: string) =>
  new Date(Number(r.amount(value, what) / 1_000_000n));

export function termsFromLoop(answer: unknown, action: string): SwapTerms {
  const r = read(action);
  const t = r.object(answer, "terms");
  return {
    minSwapSats: r.count(t.min_swap_amount, "min_swap_amount"),
    maxSwapSats: r.count(t.max_swap_amount, "max_swap_amount"),
    minCltvDelta: t.min_cltv_delta === undefined ? null : r.count(t.min_cltv_delta, "min_cltv_delta"),
    maxCltvDelta: t.max_cltv_delta === undefined ? null : r.count(t.max_cltv_delta, "max_cltv_delta"),
  };
}

export function loopOutQuoteFromLoop(answer: unknown, action = "getLoopOutQuote"): LoopOutQuote {
  const r = read(action);
  const q = r.object(answer, "quote");
  return {
    swapFeeSats: r.count(q.swap_fee_sat, "swap_fee_sat"),
    prepayAmtSats: r.count(q.prepay_amt_sat, "prepay_amt_sat"),
    htlcSweepFeeSats: r.count(q.htlc_sweep_fee_sat, "htlc_sweep_fee_sat"),
    swapPaymentDest: base64Hex(r, q.swap_payment_dest, "swap_payment_dest"),
    cltvDelta: r.count(q.cltv_delta, "cltv_delta"),
    confTarget: r.count(q.conf_target, "conf_target"),
  };
}

export function loopInQuoteFromLoop(answer: unknown, action = "getLoopInQuote"): LoopInQuote {
  const r = read(action);
  const q = r.object(answer, "quote");
  return {
    swapFeeSats: r.count(q.swap_fee_sat, "swap_fee_sat"),
    // -1 means lnd could not estimate for lack of funds: loopd's own signal, kept as a refusal by the caller.
    htlcPublishFeeSats: r.signed(q.htlc_publish_fee_sat, "htlc_publish_fee_sat"),
    cltvDelta: r.count(q.cltv_delta, "cltv_delta"),
    confTarget: r.count(q.conf_target, "conf_target"),
  };
}

export function swapStartedFromLoop(answer: unknown, action: string): SwapStarted {
  const r = read(action);
  const s = r.object(answer, "swap response");
  const id =
    typeof s.id_bytes === "string" && s.id_bytes.length > 0
      ? base64Hex(r, s.id_bytes, "id_bytes")
      : r.string(s.id, "id");
  if (!/^[0-9a-f]{64}$/.test(id)) r.fail("expected the swap id to be a 32-byte hash");
  const address = [s.htlc_address_p2tr, s.htlc_address_p2wsh, s.htlc_address].find(
    (value) => typeof value === "string" && value.length > 0,
  );
  return {
    id,
    htlcAddress: typeof address === "string" ? address : "",
    serverMessage: typeof s.server_message === "string" ? s.server_message : "",
  };
}

export function swapFromLoop(value: unknown, action: string): Swap {
  const r = read(action);
  const s = r.object(value, "swap");
  const id =
    typeof s.id_bytes === "string" && s.id_bytes.length > 0
      ? base64Hex(r, s.id_bytes, "id_bytes")
      : r.string(s.id, "id");
  const state = r.string(s.state, "state") as SwapState;
  if (!SWAP_STATES.includes(state)) r.fail(`unknown swap state ${state}`);
  const type = r.string(s.type, "type") as Swap["type"];
  if (type !== "LOOP_OUT" && type !== "LOOP_IN" && type !== "STATIC_LOOP_IN")
    r.fail(`unknown swap type ${String(type)}`);
  const address = [s.htlc_address_p2tr, s.htlc_address_p2wsh, s.htlc_address].find(
    (v) => typeof v === "string" && v.length > 0,
  );
  return {
    id,
    type,
    state,
    failureReason: r.string(s.failure_reason, "failure_reason"),
    amountSats: r.count(s.amt, "amt"),
    costServerSats: r.signed(s.cost_server, "cost_server"),
    costOnchainSats: r.signed(s.cost_onchain, "cost_onchain"),
    costOffchainSats: r.signed(s.cost_offchain, "cost_offchain"),
    label: r.string(s.label, "label"),
    htlcAddress: typeof address === "string" ? address : "",
    initiatedAt: fromNanos(r, s.initiation_time, "initiation_time"),
    updatedAt: fromNanos(r, s.last_update_time, "last_update_time"),
  };
}

export function swapsFromLoop(answer: unknown, action = "listSwaps"): Swap[] {
  const r = read(action);
  return r.array(r.object(answer, "swap list").swaps, "swaps").map((swap) => swapFromLoop(swap, action));
}

export function liquidityParamsFromLoop(answer: unknown, action = "getLiquidityParams"): LiquidityParams {
  const r = read(action);
  const p = r.object(answer, "liquidity parameters");
  return {
    autoloop: r.boolean(p.autoloop, "autoloop"),
    budgetSats: r.count(p.autoloop_budget_sat, "autoloop_budget_sat"),
    budgetRefreshPeriodSec: r.count(p.autoloop_budget_refresh_period_sec, "autoloop_budget_refresh_period_sec"),
    maxInFlight: r.count(p.auto_max_in_flight, "auto_max_in_flight"),
    minSwapSats: r.count(p.min_swap_amount, "min_swap_amount"),
    maxSwapSats: r.count(p.max_swap_amount, "max_swap_amount"),
    feePpm: r.count(p.fee_ppm, "fee_ppm"),
    rules: r.array(p.rules, "rules").map((value) => {
      const rule = r.object(value, "rule");
      const pubkey =
        typeof rule.pubkey === "string" && rule.pubkey.length > 0 ? base64Hex(r, rule.pubkey, "pubkey") : null;
      return {
        channelId: String(r.amount(rule.channel_id, "channel_id")),
        pubkey,
        swapType: r.string(rule.swap_type, "swap_type"),
        type: r.string(rule.type, "type"),
        incomingThresholdPct: r.count(rule.incoming_threshold, "incoming_threshold"),
        outgoingThresholdPct: r.count(rule.outgoing_threshold, "outgoing_threshold"),
      };
    }),
    raw: p,
  };
}
