// The audit's comparison, pure: the DAO's decisions (decisions.ts) against the node's live state (node.ts), one
// drift per difference. What each check expects:
//   channels  every channel this node opened is the funding outpoint of an executed channel-open; every channel an
//             executed channel-open made is still there unless an executed channel-close closed it; a channel an
//             executed channel-close named is closing or closed
//   policies  each open channel carries the newest applicable decision: the fee-policy executed last that targets it
//             or every channel (for DAO channels, only those executed after the channel's own open; channels this
//             node opened by hand get none), else its channel-open's policy; base fee, fee rate, CLTV delta and
//             inbound fees (negative = discount) compared
//   towers    the towers in lnd's client are exactly those executed watchtower actions left added, at their hosts
//   LV        each tapd node's LV balance equals what recorded epochs, confirmed contributions and executed
//             lv-transfers put in the wallets it holds
import { lvWallet } from "../../actions.ts";
import type { Wallet } from "../../config.ts";
import { outpointString } from "../../daemons/ports.ts";
import type { Decisions } from "./decisions.ts";

export interface LivePolicy {
  baseFeeMsat: bigint;
  feeRatePpm: number;
  /** null when the node could not say (no graph edge yet): not compared */
  cltvDelta: number | null;
  inboundBaseFeeMsat: number;
  inboundFeeRatePpm: number;
}

export interface LiveChannel {
  outpoint: string;
  state: "opening" | "open" | "closing" | "closed";
  isOpener: boolean;
  peer: string;
}

export interface NodeState {
  channels: LiveChannel[];
  /** by outpoint, for open channels */
  policies: Map<string, LivePolicy>;
  towers: { pubkey: string; addresses: string[] }[];
  /** each tapd node's LV balance with the wallets it holds; undefined when LV could not be checked */
  lv: { wallets: Wallet[]; balance: bigint }[] | undefined;
}

export const DRIFT_KINDS = [
  "channel-not-decided",
  "channel-gone",
  "channel-not-closed",
  "policy-differs",
  "tower-not-decided",
  "tower-missing",
  "lv-balance",
  "channel-not-vault-funded",
  "close-not-to-vault",
  "loop-out-not-to-vault",
  "vault-spend-not-decided",
  // the LV desk's checks (market/audit.ts)
  "trade-summary",
  "trade-summary-missing",
  "desk-invoice",
  "desk-send",
  "desk-deposit",
  "desk-payout",
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface Drift {
  kind: DriftKind;
  subject: string;
  expected: string;
  actual: string;
}

const fundingOf = (evidenceHex: string): string =>
  `${evidenceHex.slice(0, 64)}:${parseInt(evidenceHex.slice(64, 72), 16)}`;
const policyText = (p: LivePolicy): string =>
  `base ${p.baseFeeMsat} msat, ${p.feeRatePpm} ppm, cltv ${p.cltvDelta ?? "?"}, ` +
  `inbound ${p.inboundBaseFeeMsat} msat ${p.inboundFeeRatePpm} ppm`;

/** Per channel, the policy the DAO's newest applicable decision set, with the id that set it. */
export function expectedPolicies(
  decisions: Decisions,
  channels: LiveChannel[],
): Map<string, { policy: LivePolicy; by: bigint }> {
  const expected = new Map<string, { policy: LivePolicy; by: bigint }>();
  const openedBy = new Map<string, number>();
  decisions.executed.forEach((entry, seq) => {
    if (entry.action.kind === "channel-open") openedBy.set(fundingOf(entry.evidenceHex), seq);
  });
  decisions.executed.forEach(({ id, action, evidenceHex }, seq) => {
    if (action.kind === "channel-open") {
      expected.set(fundingOf(evidenceHex), {
        by: id,
        policy: {
          baseFeeMsat: action.payload.baseFeeMsat,
          feeRatePpm: Number(action.payload.feePpm),
          cltvDelta: Number(action.payload.cltvDelta),
          inboundBaseFeeMsat: 0,
          inboundFeeRatePpm: 0,
        },
      });
    } else if (action.kind === "fee-policy") {
      const { payload } = action;
      const policy = {
        baseFeeMsat: payload.baseFeeMsat,
        feeRatePpm: Number(payload.feePpm),
        cltvDelta: Number(payload.cltvDelta),
        inboundBaseFeeMsat: -Number(payload.inboundBaseDiscountMsat),
        inboundFeeRatePpm: -Number(payload.inboundPpmDiscount),
      };
      // "Every channel" covers the DAO's channels opened before it and channels peers opened; a channel this node
      // opened by hand is drift of its own (channel-not-decided) and gets no expected policy.
      const targets = payload.target
        ? [outpointString(payload.target)]
        : channels
            .filter((c) => (openedBy.has(c.outpoint) ? openedBy.get(c.outpoint)! < seq : !c.isOpener))
            .map((c) => c.outpoint);
      for (const target of targets) expected.set(target, { policy, by: id });
    }
  });
  return expected;
}

function samePolicy(a: LivePolicy, b: LivePolicy): boolean {
  return (
    a.baseFeeMsat === b.baseFeeMsat &&
    a.feeRatePpm === b.feeRatePpm &&
    (a.cltvDelta === null || b.cltvDelta === null || a.cltvDelta === b.cltvDelta) &&
    a.inboundBaseFeeMsat === b.inboundBaseFeeMsat &&
    a.inboundFeeRatePpm === b.inboundFeeRatePpm
  );
}

export function compare(decisions: Decisions, node: NodeState): Drift[] {
  const drifts: Drift[] = [];
  const opened = new Map<string, bigint>();
  const closed = new Map<string, bigint>();
  for (const { id, action, evidenceHex } of decisions.executed) {
    if (action.kind === "channel-open") opened.set(fundingOf(evidenceHex), id);
    if (action.kind === "channel-close") closed.set(outpointString(action.payload), id);
  }
  const live = new Map(node.channels.map((c) => [c.outpoint, c]));

  for (const channel of node.channels) {
    if (
      (channel.state === "open" || channel.state === "opening") &&
      channel.isOpener &&
      !opened.has(channel.outpoint)
    ) {
      drifts.push({
        kind: "channel-not-decided",
        subject: `channel ${channel.outpoint}`,
        expected: "an executed channel-open with this funding outpoint",
        actual: `${channel.state} channel to ${channel.peer} opened by this node`,
      });
    }
  }
  for (const [outpoint, id] of opened) {
    const channel = live.get(outpoint);
    const gone = !channel || channel.state === "closing" || channel.state === "closed";
    if (gone && !closed.has(outpoint)) {
      drifts.push({
        kind: "channel-gone",
        subject: `channel ${outpoint}`,
        expected: `open (channel-open #${id}, no channel-close executed)`,
        actual: channel ? channel.state : "unknown to lnd",
      });
    }
  }
  for (const [outpoint, id] of closed) {
    const channel = live.get(outpoint);
    if (channel && (channel.state === "open" || channel.state === "opening")) {
      drifts.push({
        kind: "channel-not-closed",
        subject: `channel ${outpoint}`,
        expected: `closing or closed (channel-close #${id})`,
        actual: channel.state,
      });
    }
  }

  const open = node.channels.filter((c) => c.state === "open");
  for (const [outpoint, { policy, by }] of expectedPolicies(decisions, open)) {
    const actual = node.policies.get(outpoint);
    if (!actual || !live.has(outpoint) || live.get(outpoint)!.state !== "open") continue;
    if (!samePolicy(policy, actual)) {
      drifts.push({
        kind: "policy-differs",
        subject: `channel ${outpoint}`,
        expected: `${policyText(policy)} (action #${by})`,
        actual: policyText(actual),
      });
    }
  }

  const towers = new Map<string, { host: string; by: bigint }>();
  for (const { id, action } of decisions.executed) {
    if (action.kind !== "watchtower") continue;
    if (action.payload.add) towers.set(action.payload.pubkey, { host: action.payload.host, by: id });
    else towers.delete(action.payload.pubkey);
  }
  for (const tower of node.towers) {
    const decided = towers.get(tower.pubkey);
    if (!decided)
      drifts.push({
        kind: "tower-not-decided",
        subject: `tower ${tower.pubkey}`,
        expected: "absent (no executed watchtower add, or removed since)",
        actual: `present at ${tower.addresses.join(", ")}`,
      });
  }
  for (const [pubkey, { host, by }] of towers) {
    const tower = node.towers.find((t) => t.pubkey === pubkey);
    if (!tower?.addresses.includes(host)) {
      drifts.push({
        kind: "tower-missing",
        subject: `tower ${pubkey}`,
        expected: `present at ${host} (watchtower #${by})`,
        actual: tower ? `present at ${tower.addresses.join(", ")}` : "absent",
      });
    }
  }

  if (node.lv) {
    const expected = expectedLv(decisions);
    for (const { wallets, balance } of node.lv) {
      const want = wallets.reduce((sum, w) => sum + (expected[w] ?? 0n), 0n);
      if (want !== balance) {
        drifts.push({
          kind: "lv-balance",
          subject: `LV on the tapd of ${wallets.join(" + ")}`,
          expected: `${want} (recorded epochs, contributions and transfers)`,
          actual: String(balance),
        });
      }
    }
  }
  return drifts;
}

/** LV each wallet should hold: epoch shares (infrastructure -> operations), contributions (reserve), transfers. */
export function expectedLv(decisions: Decisions): Partial<Record<Wallet, bigint>> {
  const held: Partial<Record<Wallet, bigint>> = {};
  const add = (wallet: Wallet, amount: bigint) => (held[wallet] = (held[wallet] ?? 0n) + amount);
  for (const e of decisions.epochs) {
    add("operations", e.toInfrastructure);
    add("channels", e.toChannels);
    add("reserve", e.toReserve);
  }
  for (const c of decisions.contributions) add("reserve", c.amount);
  for (const { action } of decisions.executed) {
    if (action.kind !== "lv-transfer") continue;
    add(lvWallet(action.payload.from), -action.payload.amount);
    add(lvWallet(action.payload.to), action.payload.amount);
  }
  return held;
}
