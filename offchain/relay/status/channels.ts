// The DAO node's channels as GET /channels serves them (docs/relay.md, "Channels"): each open or opening channel
// with its peer, capacity and balances, the forwarding policy lnd has on it now, and the DAO action that set that
// policy when this relay's journal knows it. Read-only: lnd's ListChannels, the liquidity scan and the fee report,
// joined here by channel point. Amounts are decimal strings (sats and msat can pass 2^53).
import { decodeRelayAction } from "../actions.ts";
import {
  outpointString,
  type ChannelInfo,
  type ChannelPolicy,
  type LndPort,
  type ScannedChannel,
} from "../daemons/ports.ts";
import type { ActionJournal, JournalRow } from "../journal/types.ts";

/** The forwarding policy on this node's side of a channel; inbound fees signed as lnd holds them (a discount < 0). */
export interface ListedPolicy {
  baseFeeMsat: string;
  feePpm: number;
  /** null while lnd has no graph edge for the channel */
  cltvDelta: number | null;
  inboundBaseFeeMsat: number;
  inboundFeePpm: number;
}

export interface PolicySetter {
  /** the action id (= proposal id) */
  actionId: string;
  kind: "channel-open" | "fee-policy";
  /** when this relay recorded the receipt (ISO time) */
  reportedAt: string;
}

export interface ListedChannel {
  /** `<funding txid>:<vout>` */
  channelPoint: string;
  /** lnd's short channel id ("123x4x0"), null until the funding confirms */
  chanId: string | null;
  state: "open" | "opening";
  peer: string;
  capacitySats: string;
  /** null while the channel is opening */
  localSats: string | null;
  remoteSats: string | null;
  active: boolean;
  policy: ListedPolicy | null;
  /** the newest executed DAO action for this channel whose values the policy still has; null if none (set by hand) */
  setBy: PolicySetter | null;
}

export interface ChannelListing {
  updatedAt: string;
  channels: ListedChannel[];
}

/** What an executed action set on the channels it names: `all` for a fee-policy on every channel. */
interface DaoPolicy {
  setter: PolicySetter;
  target: string | "all";
  baseFeeMsat: bigint;
  feePpm: number;
  cltvDelta: number;
  /** lnd's sign: a discount is negative */
  inbound: { baseFeeMsat: number; feePpm: number };
  updatedAt: number;
}

function daoPolicy(row: JournalRow): DaoPolicy | null {
  if (row.outcome !== "success" || row.state !== "reported") return null;
  const setter = (kind: PolicySetter["kind"]): PolicySetter => ({
    actionId: String(row.id),
    kind,
    reportedAt: new Date(row.updatedAt).toISOString(),
  });
  let action: ReturnType<typeof decodeRelayAction>;
  try {
    action = decodeRelayAction(row.kind, Buffer.from(row.payloadHex, "hex"));
  } catch {
    return null; // a payload this relay refused never set anything
  }
  if (action.kind === "channel-open") {
    if (!row.daemonRef) return null;
    const a = action.payload;
    // channel-open sets no inbound fee of its own (its settle applies 0 discounts)
    return {
      setter: setter("channel-open"),
      target: row.daemonRef,
      baseFeeMsat: a.baseFeeMsat,
      feePpm: Number(a.feePpm),
      cltvDelta: Number(a.cltvDelta),
      inbound: { baseFeeMsat: 0, feePpm: 0 },
      updatedAt: row.updatedAt,
    };
  }
  if (action.kind === "fee-policy") {
    const a = action.payload;
    return {
      setter: setter("fee-policy"),
      target: a.target ? `${a.target.txid}:${a.target.vout}` : "all",
      baseFeeMsat: a.baseFeeMsat,
      feePpm: Number(a.feePpm),
      cltvDelta: Number(a.cltvDelta),
      inbound: { baseFeeMsat: -Number(a.inboundBaseDiscountMsat), feePpm: -Number(a.inboundPpmDiscount) },
      updatedAt: row.updatedAt,
    };
  }
  return null;
}

const zeroIfNegZero = (n: number): number => (n === 0 ? 0 : n);

function matches(dao: DaoPolicy, policy: ChannelPolicy): boolean {
  return (
    dao.baseFeeMsat === policy.baseFeeMsat &&
    dao.feePpm === policy.feeRatePpm &&
    (policy.cltvDelta === null || dao.cltvDelta === policy.cltvDelta) &&
    zeroIfNegZero(dao.inbound.baseFeeMsat) === policy.inboundBaseFeeMsat &&
    zeroIfNegZero(dao.inbound.feePpm) === policy.inboundFeeRatePpm
  );
}

/**
 * Joins lnd's views of the channels by channel point: `channels` (every state, with capacity), `scanned` (open ones
 * with balances), `policies` (this node's policy per open channel) and the journal's executed rows. Closing and
 * closed channels are left out. Sorted by channel point.
 */
export function channelListing(input: {
  channels: ChannelInfo[];
  scanned: ScannedChannel[];
  policies: ChannelPolicy[];
  executed: JournalRow[];
  now: number;
}): ChannelListing {
  const balances = new Map(input.scanned.map((c) => [outpointString(c.outpoint), c]));
  const policies = new Map(input.policies.map((p) => [outpointString(p.channel), p]));
  // newest first: the receipt recorded last, then the higher action id
  const dao = input.executed
    .map(daoPolicy)
    .filter((p): p is DaoPolicy => p !== null)
    .sort((a, b) => b.updatedAt - a.updatedAt || Number(BigInt(b.setter.actionId) - BigInt(a.setter.actionId)));
  const listed = input.channels
    .filter((c): c is ChannelInfo & { state: "open" | "opening" } => c.state === "open" || c.state === "opening")
    .map((c): ListedChannel => {
      const point = outpointString(c.outpoint);
      const balance = c.state === "open" ? balances.get(point) : undefined;
      const policy = c.state === "open" ? policies.get(point) : undefined;
      const setBy = policy
        ? (dao.find((d) => (d.target === point || d.target === "all") && matches(d, policy))?.setter ?? null)
        : null;
      return {
        channelPoint: point,
        chanId: c.chanId,
        state: c.state,
        peer: c.pubkey,
        capacitySats: String(c.capacitySats),
        localSats: balance ? String(balance.localSats) : null,
        remoteSats: balance ? String(balance.remoteSats) : null,
        active: balance?.active ?? c.active,
        policy: policy
          ? {
              baseFeeMsat: String(policy.baseFeeMsat),
              feePpm: policy.feeRatePpm,
              cltvDelta: policy.cltvDelta,
              inboundBaseFeeMsat: policy.inboundBaseFeeMsat,
              inboundFeePpm: policy.inboundFeeRatePpm,
            }
          : null,
        setBy,
      };
    })
    .sort((a, b) => (a.channelPoint < b.channelPoint ? -1 : a.channelPoint > b.channelPoint ? 1 : 0));
  return { updatedAt: new Date(input.now).toISOString(), channels: listed };
}

/** The executed rows that may have set a policy: every reported channel-open and fee-policy. */
async function executedPolicyRows(actions: ActionJournal): Promise<JournalRow[]> {
  const rows = await actions.list({ states: ["reported"], limit: 10_000 });
  return rows.filter((r) => r.kind === "channel-open" || r.kind === "fee-policy");
}

/** Reads the listing from lnd and the journal (three lnd reads, and one graph read per open channel). */
export async function readChannelListing(lnd: LndPort, actions: ActionJournal, now: number): Promise<ChannelListing> {
  const [channels, scanned, policies, executed] = await Promise.all([
    lnd.listChannels(),
    lnd.scanChannels(),
    lnd.channelPolicies(),
    executedPolicyRows(actions),
  ]);
  return channelListing({ channels, scanned, policies, executed, now });
}

/**
 * One read at a time, and an answer reused for `ttlMs`: the app polls on every new block, and a listing costs a
 * graph read per channel.
 */
export function cachedListing(read: () => Promise<ChannelListing>, ttlMs: number, clock: () => number = Date.now) {
  let last: { at: number; value: ChannelListing } | null = null;
  let inFlight: Promise<ChannelListing> | null = null;
  return (): Promise<ChannelListing> => {
    if (last && clock() - last.at < ttlMs) return Promise.resolve(last.value);
    inFlight ??= read()
      .then((value) => {
        last = { at: clock(), value };
        return value;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}
