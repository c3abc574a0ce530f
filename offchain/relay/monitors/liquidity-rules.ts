// The liquidity monitor's decisions, autoloop-style and pure, so every rule is a row in a table test. A
// rebalance-policy gives one rule per listed peer (all of that peer's channels together) or, with no peers listed,
// one per channel. A rule whose inbound share is under `min-inbound-pct` gets a Loop Out, one whose outbound share is
// under `min-outbound-pct` a Loop In, each sized to bring the share back to the middle of the allowed band and
// clamped by the swap server's terms, the period's budget and the operator's caps. Every rule that gets no swap gets
// a reason code.
import type { RebalancePolicy } from "../../actions/index.ts";
import type { ScannedChannel, SwapTerms } from "../daemons/ports.ts";

export const NO_SWAP_REASONS = [
  "liquidity-ok",
  "budget-spent",
  "in-flight",
  "rule-in-flight",
  "fees-too-high",
  "below-minimum-swap",
  "operator-limit",
  "channel-inactive",
  "no-loopd",
] as const;
export type NoSwapReason = (typeof NO_SWAP_REASONS)[number];

export interface Rule {
  /** "channel:<short id>" or "peer:<pubkey>" */
  key: string;
  peer: string;
  channels: ScannedChannel[];
  localSats: bigint;
  remoteSats: bigint;
}

export type SwapKind = "loop-out" | "loop-in";

export interface SwapPlan {
  rule: Rule;
  kind: SwapKind;
  amountSats: bigint;
  /** the most the swap may cost: amount * max-swap-fee-ppm / 10^6 */
  maxFeeSats: bigint;
}

export type Decision =
  | { rule: string; swap: SwapPlan; reason?: undefined }
  | { rule: string; swap?: undefined; reason: NoSwapReason; detail: string };

export interface PlanInput {
  channels: ScannedChannel[];
  policy: RebalancePolicy;
  /** rule keys with a swap of ours still in flight */
  rulesInFlight: ReadonlySet<string>;
  /** our autonomous swaps still in flight, any rule */
  inFlight: number;
  /** what the policy's budget has left this period, swaps not yet recorded on-chain included */
  budgetLeftSats: bigint;
  /** the operator's caps: max_loop_sats per swap, and what max_autonomous_sats_per_day has left today */
  maxSwapSats: bigint;
  operatorLeftSats: bigint;
  terms: { out: SwapTerms | undefined; in: SwapTerms | undefined };
}

/** The rules a policy defines over the node's open channels. */
export function rulesFor(channels: ScannedChannel[], policy: RebalancePolicy): Rule[] {
  // One rule per channel needs no grouping: the common case, and on a large node the one the scan time is spent in.
  if (policy.peers.length === 0) {
    return channels.map((channel) => ({
      key: `channel:${channel.chanId}`,
      peer: channel.pubkey.toLowerCase(),
      channels: [channel],
      localSats: channel.localSats,
      remoteSats: channel.remoteSats,
    }));
  }
  const rules = new Map<string, Rule>();
  const peers = new Set(policy.peers.map((p) => p.toLowerCase()));
  for (const channel of channels) {
    const peer = channel.pubkey.toLowerCase();
    if (peers.size > 0 && !peers.has(peer)) continue;
    const key = peers.size > 0 ? `peer:${peer}` : `channel:${channel.chanId}`;
    const rule = rules.get(key) ?? { key, peer, channels: [], localSats: 0n, remoteSats: 0n };
    rule.channels.push(channel);
    rule.localSats += channel.localSats;
    rule.remoteSats += channel.remoteSats;
    rules.set(key, rule);
  }
  return [...rules.values()];
}

/** The swap a rule needs before any budget or fee check, or why it needs none. */
export function need(rule: Rule, policy: RebalancePolicy): { kind: SwapKind; amountSats: bigint } | undefined {
  const capacity = rule.localSats + rule.remoteSats;
  if (capacity === 0n) return undefined;
  const minIn = policy.minInboundPct;
  const minOut = policy.minOutboundPct;
  // Targets are the middle of the band [min-inbound, 100 - min-outbound] of inbound share, in sats.
  if (rule.remoteSats * 100n < minIn * capacity) {
    const target = (capacity * (minIn + 100n - minOut)) / 200n;
    return target > rule.remoteSats ? { kind: "loop-out", amountSats: target - rule.remoteSats } : undefined;
  }
  if (rule.localSats * 100n < minOut * capacity) {
    const target = (capacity * (minOut + 100n - minIn)) / 200n;
    return target > rule.localSats ? { kind: "loop-in", amountSats: target - rule.localSats } : undefined;
  }
  return undefined;
}

const minBig = (...values: bigint[]): bigint => values.reduce((a, b) => (b < a ? b : a));
/** A whole percent for the decision's text (display only; the rules above compare in exact sats). */
const pct = (part: bigint, whole: bigint): number =>
  whole === 0n ? 0 : Math.floor((Number(part) * 100) / Number(whole));

export const maxFeeFor = (amountSats: bigint, maxSwapFeePpm: bigint): bigint =>
  (amountSats * maxSwapFeePpm) / 1_000_000n;

/** Decides every rule of the policy, largest shortfall first, spending budget and in-flight slots as it goes. */
export function planSwaps(input: PlanInput): Decision[] {
  const { policy } = input;
  const rules = rulesFor(input.channels, policy)
    .map((rule) => ({ rule, want: need(rule, policy) }))
    .sort((a, b) =>
      (b.want?.amountSats ?? 0n) > (a.want?.amountSats ?? 0n)
        ? 1
        : (b.want?.amountSats ?? 0n) < (a.want?.amountSats ?? 0n)
          ? -1
          : a.rule.key < b.rule.key
            ? -1
            : 1,
    );
  let budgetLeft = input.budgetLeftSats;
  let operatorLeft = input.operatorLeftSats;
  let inFlight = input.inFlight;
  const decisions: Decision[] = [];
  const skip = (rule: Rule, reason: NoSwapReason, detail: string) => decisions.push({ rule: rule.key, reason, detail });

  for (const { rule, want } of rules) {
    const capacity = rule.localSats + rule.remoteSats;
    const shares = `inbound ${pct(rule.remoteSats, capacity)}%, outbound ${pct(rule.localSats, capacity)}%`;
    if (!want) {
      skip(
        rule,
        "liquidity-ok",
        `${shares} within ${policy.minInboundPct}% inbound / ${policy.minOutboundPct}% outbound`,
      );
      continue;
    }
    if (rule.channels.every((c) => !c.active)) {
      skip(rule, "channel-inactive", `${shares}, but no channel of the rule is active`);
      continue;
    }
    if (input.rulesInFlight.has(rule.key)) {
      skip(rule, "rule-in-flight", `${shares}; a swap for this rule is still in flight`);
      continue;
    }
    if (inFlight >= Number(policy.maxInFlight)) {
      skip(rule, "in-flight", `${shares}; ${inFlight} swap(s) in flight, the policy allows ${policy.maxInFlight}`);
      continue;
    }
    const terms = want.kind === "loop-out" ? input.terms.out : input.terms.in;
    if (!terms) {
      skip(rule, "no-loopd", `${shares}; a ${want.kind} is needed but loopd is not configured or did not answer`);
      continue;
    }
    if (budgetLeft < terms.minSats) {
      skip(
        rule,
        "budget-spent",
        `${shares}; ${budgetLeft} sats of the ${policy.budgetSats}-sat budget left this period, ` +
          `the smallest swap is ${terms.minSats}`,
      );
      continue;
    }
    const operatorCap = minBig(input.maxSwapSats, operatorLeft);
    if (operatorCap < terms.minSats) {
      skip(
        rule,
        "operator-limit",
        `${shares}; the operator's caps leave ${operatorCap} sats, the smallest swap is ${terms.minSats}`,
      );
      continue;
    }
    if (want.amountSats < terms.minSats) {
      skip(
        rule,
        "below-minimum-swap",
        `${shares}; ${want.amountSats} sats would restore it, the smallest swap is ${terms.minSats}`,
      );
      continue;
    }
    const amountSats = minBig(want.amountSats, terms.maxSats, budgetLeft, operatorCap);
    budgetLeft -= amountSats;
    operatorLeft -= amountSats;
    inFlight += 1;
    decisions.push({
      rule: rule.key,
      swap: { rule, kind: want.kind, amountSats, maxFeeSats: maxFeeFor(amountSats, policy.maxSwapFeePpm) },
    });
  }
  return decisions;
}
