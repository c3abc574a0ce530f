// What the proposal page reads from the contracts' print events (docs/events.md): the proposal's text as
// proposal-created carried it, each voter's quadratic votes (vote-cast), and each staker's conviction stake
// (conviction-updated). Events are the only place these live: the maps keep a hash, a tally and a total.
import { Cl, type ClarityValue } from "@stacks/transactions";
import type { LogEntry } from "./api.ts";
import type { DelegateChange } from "../model/delegation.ts";
import { Fields } from "./cv.ts";

interface Event {
  txid: string;
  f: Fields;
  raw: Record<string, ClarityValue>;
}

function eventsOf(entries: LogEntry[], topic: string, id: bigint): Event[] {
  const found: Event[] = [];
  for (const entry of entries) {
    const value = Cl.deserialize(entry.hex.replace(/^0x/, ""));
    if (value.type !== "tuple") continue;
    const f = new Fields(value, `${topic} event`);
    if (!f.has("topic") || f.string("topic") !== topic || !f.has("id") || f.uint("id") !== id) continue;
    found.push({ txid: entry.txid, f, raw: value.value });
  }
  return found;
}

export interface ProposalText {
  /** Markdown, when the proposal-created event carries a body. */
  body: string | null;
  link: string | null;
  txid: string;
}

/** The body and link of proposal `id` from proposals' events, or null when its proposal-created is not there. */
export function proposalTextFromLogs(entries: LogEntry[], id: bigint): ProposalText | null {
  const created = eventsOf(entries, "proposal-created", id)[0];
  if (!created) return null;
  const { raw, txid } = created;
  // a string field, or an optional one (none when absent)
  const text = (name: string): string | null => {
    let value = raw[name];
    if (value?.type === "some") value = value.value;
    return value?.type === "ascii" || value?.type === "utf8" ? value.value : null;
  };
  return { body: text("body"), link: text("link"), txid };
}

export interface VoterLine {
  voter: string;
  support: boolean;
  /** The voter's votes after their last vote-cast. */
  votes: bigint;
  /** Credits (GT base units) spent: votes squared. */
  creditsSpent: bigint;
  txids: string[];
}

/** One line per voter on proposal `id`, from quadratic-voting's vote-cast events (oldest first), most votes first. */
export function votersFromLogs(entries: LogEntry[], id: bigint): VoterLine[] {
  const byVoter = new Map<string, VoterLine>();
  for (const { f, txid } of eventsOf(entries, "vote-cast", id)) {
    const voter = f.principal("voter");
    const line = byVoter.get(voter) ?? { voter, support: f.bool("support"), votes: 0n, creditsSpent: 0n, txids: [] };
    line.votes = f.uint("total-votes");
    line.creditsSpent = f.uint("credits-spent");
    line.support = f.bool("support");
    line.txids.push(txid);
    byVoter.set(voter, line);
  }
  return [...byVoter.values()].sort((a, b) => (b.votes > a.votes ? 1 : b.votes < a.votes ? -1 : 0));
}

export interface StakeChange {
  who: string;
  /** The staker's stake after the change, GT base units. */
  stake: bigint;
  totalStake: bigint;
  /** Conviction brought up to the change's burn block, before it counts. */
  conviction: bigint;
  txid: string;
}

/** Every stake change on proposal `id`, oldest first (conviction-voting's conviction-updated). */
export function stakeChangesFromLogs(entries: LogEntry[], id: bigint): StakeChange[] {
  return eventsOf(entries, "conviction-updated", id).map(({ f, txid }) => ({
    who: f.principal("who"),
    stake: f.uint("stake"),
    totalStake: f.uint("total-stake"),
    conviction: f.uint("conviction"),
    txid,
  }));
}

/** The stakers still staked, from the changes: each one's last stake, largest first. */
export function stakersOf(changes: StakeChange[]): { who: string; stake: bigint }[] {
  const last = new Map<string, bigint>();
  for (const change of changes) last.set(change.who, change.stake);
  return [...last.entries()]
    .filter(([, stake]) => stake > 0n)
    .map(([who, stake]) => ({ who, stake }))
    .sort((a, b) => (b.stake > a.stake ? 1 : b.stake < a.stake ? -1 : 0));
}

export interface MemberHistory {
  /** Ids of the proposals the member made, newest first. */
  proposed: bigint[];
  /** The member's votes, one line per proposal (their total after the last call), newest first. */
  votes: { id: bigint; support: boolean; votes: bigint; creditsSpent: bigint }[];
  /** The member's stake per conviction proposal after their last change, newest first; 0 once taken back. */
  stakes: { id: bigint; stake: bigint }[];
}

function tuples(entries: LogEntry[]): Fields[] {
  const found: Fields[] = [];
  for (const entry of entries) {
    const value = Cl.deserialize(entry.hex.replace(/^0x/, ""));
    if (value.type !== "tuple") continue;
    const f = new Fields(value, "event");
    if (f.has("topic")) found.push(f);
  }
  return found;
}

/** A member's proposals, votes and stakes, from proposals', quadratic-voting's and conviction-voting's events. */
export function memberHistoryFromLogs(
  member: string,
  logs: { proposals: LogEntry[]; quadratic: LogEntry[]; conviction: LogEntry[] },
): MemberHistory {
  const proposed = tuples(logs.proposals)
    .filter((f) => f.string("topic") === "proposal-created" && f.principal("proposer") === member)
    .map((f) => f.uint("id"));
  const votes = new Map<bigint, MemberHistory["votes"][number]>();
  for (const f of tuples(logs.quadratic)) {
    if (f.string("topic") !== "vote-cast" || f.principal("voter") !== member) continue;
    const id = f.uint("id");
    votes.delete(id);
    votes.set(id, {
      id,
      support: f.bool("support"),
      votes: f.uint("total-votes"),
      creditsSpent: f.uint("credits-spent"),
    });
  }
  const stakes = new Map<bigint, bigint>();
  for (const f of tuples(logs.conviction)) {
    if (f.string("topic") !== "conviction-updated" || f.principal("who") !== member) continue;
    stakes.delete(f.uint("id"));
    stakes.set(f.uint("id"), f.uint("stake"));
  }
  return {
    proposed: proposed.reverse(),
    votes: [...votes.values()].reverse(),
    stakes: [...stakes.entries()].map(([id, stake]) => ({ id, stake })).reverse(),
  };
}

/** The last event that moved S (the GT staked on all open conviction proposals), which the thresholds follow. */
export type SupportChange =
  | { kind: "stake"; id: bigint; who: string; delta: bigint; txid: string }
  | { kind: "closed"; id: bigint; released: bigint; txid: string };

export function lastSupportChange(entries: LogEntry[]): SupportChange | null {
  const stakes = new Map<string, bigint>();
  const closed = new Set<bigint>();
  let last: SupportChange | null = null;
  for (const entry of entries) {
    const value = Cl.deserialize(entry.hex.replace(/^0x/, ""));
    if (value.type !== "tuple") continue;
    const f = new Fields(value, "conviction-voting event");
    if (!f.has("topic")) continue;
    const topic = f.string("topic");
    if (topic === "conviction-closed") {
      closed.add(f.uint("id"));
      last = { kind: "closed", id: f.uint("id"), released: f.uint("total-stake"), txid: entry.txid };
    } else if (topic === "conviction-updated") {
      const id = f.uint("id");
      const who = f.principal("who");
      const key = `${id}:${who}`;
      const stake = f.uint("stake");
      const delta = stake - (stakes.get(key) ?? 0n);
      stakes.set(key, stake);
      // a change on a closed proposal's stake has already left S
      if (!closed.has(id) && delta !== 0n) last = { kind: "stake", id, who, delta, txid: entry.txid };
    }
  }
  return last;
}

/** gt-token's delegate-changed events (docs/delegation.md), oldest first. */
export function delegateChangesFromLogs(entries: LogEntry[]): DelegateChange[] {
  const found: DelegateChange[] = [];
  for (const entry of entries) {
    const value = Cl.deserialize(entry.hex.replace(/^0x/, ""));
    if (value.type !== "tuple") continue;
    const f = new Fields(value, "gt-token event");
    if (!f.has("topic") || f.string("topic") !== "delegate-changed") continue;
    found.push({
      delegator: f.principal("delegator"),
      from: f.principal("from"),
      to: f.principal("to"),
      txid: entry.txid,
    });
  }
  return found;
}
