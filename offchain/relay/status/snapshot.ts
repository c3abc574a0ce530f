// The relay's status, built from the journal: what `lvdao relay status` prints and GET /status serves. It needs no
// running relay (the CLI reads the journal directly); a running relay adds its live parts (chain tip, workers).
import { LEADER_LEASE } from "../ha/leadership.ts";
import { createHash } from "node:crypto";
import { decodeRelayAction } from "../actions.ts";
import type { RelayConfig } from "../config.ts";
import { utcDay, type ActionJournal, type Journal, type JournalRow } from "../journal/types.ts";

/** A rebalance-policy this relay reported executed: the payload's fields as text, and the payload's sha256. */
export interface ExecutedPolicy {
  actionId: string;
  policy: Record<string, string | string[]>;
  payloadSha256: string;
}

export interface StatusSnapshot {
  relay: { address: string | undefined; journal: string; dryRun: boolean; startedAt: string | undefined };
  chain: { burnHeight: number; stacksHeight: number } | undefined;
  journal: {
    byState: Record<string, number>;
    byKindAndOutcome: { kind: string; outcome: string; count: number }[];
    open: RowSummary[];
  };
  cursors: Record<string, unknown>;
  /** the newest rebalance-policy this relay reported executed; the liquidity monitor enforces get-active-policy */
  activePolicy: ExecutedPolicy | undefined;
  budget: { day: string; usedSats: string; limitSats: string };
  lastErrors: RowSummary[];
  proposals: { id: string; kind: string; verdict: string; detail: string | null }[];
  workers: Record<string, unknown>;
  /** the journal's leadership lease (relays with [ha] enabled), whoever holds it; null when none was ever taken */
  leader: { instance: string; until: string; current: boolean } | null;
  /** this process's role, when a running relay answers: leader or standby ([ha]), or single */
  ha?: unknown;
}

export interface RowSummary {
  id: string;
  kind: string;
  state: string;
  attempt: number;
  outcome: string | null;
  failureCode: number | null;
  daemonRef: string | null;
  lastError: string | null;
  lastErrorKind: string | null;
  retryAt: string | null;
  updatedAt: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function summarize(row: JournalRow): RowSummary {
  return {
    id: String(row.id),
    kind: row.kind,
    state: row.state,
    attempt: row.attempt,
    outcome: row.outcome,
    failureCode: row.failureCode,
    daemonRef: row.daemonRef,
    lastError: row.lastError,
    lastErrorKind: row.lastErrorKind,
    retryAt: row.retryAt > 0 ? iso(row.retryAt) : null,
    updatedAt: iso(row.updatedAt),
  };
}

/** The newest rebalance-policy reported executed, read from its row alone (never the whole journal). */
export async function lastExecutedPolicy(actions: ActionJournal): Promise<ExecutedPolicy | undefined> {
  const row = await actions.lastExecuted("rebalance-policy");
  if (!row) return undefined;
  const payload = Buffer.from(row.payloadHex, "hex");
  const action = decodeRelayAction(row.kind, payload);
  const fields = Object.entries({ kind: action.kind, ...action.payload }).map(([k, v]) => [
    k,
    Array.isArray(v) ? v.map(String) : String(v),
  ]);
  return {
    actionId: String(row.id),
    policy: Object.fromEntries(fields),
    payloadSha256: createHash("sha256").update(payload).digest("hex"),
  };
}

export async function buildStatus(
  journal: Journal,
  config: Pick<RelayConfig, "limits">,
  live: {
    address?: string;
    dryRun?: boolean;
    startedAt?: number;
    chain?: StatusSnapshot["chain"];
    workers?: Record<string, unknown>;
    ha?: unknown;
    now?: number;
  } = {},
): Promise<StatusSnapshot> {
  const now = live.now ?? Date.now();
  const rows = await journal.actions.list({ limit: 500 });
  const cursors: Record<string, unknown> = {};
  for (const cursor of await journal.cursors.list()) {
    cursors[cursor.name] = { ...(JSON.parse(cursor.value) as object), updatedAt: iso(cursor.updatedAt) };
  }
  return {
    relay: {
      address: live.address,
      journal: journal.backend,
      dryRun: live.dryRun ?? false,
      startedAt: live.startedAt ? iso(live.startedAt) : undefined,
    },
    chain: live.chain,
    journal: {
      byState: await journal.actions.countByState(),
      byKindAndOutcome: await journal.actions.countByOutcome(),
      open: rows.filter((r) => r.state !== "reported" && r.state !== "closed").map(summarize),
    },
    cursors,
    activePolicy: await lastExecutedPolicy(journal.actions),
    budget: {
      day: utcDay(now),
      usedSats: String(await journal.spend.spentOn(utcDay(now))),
      limitSats: String(config.limits.dailyOnchainBudgetSats),
    },
    lastErrors: rows
      .filter((r) => r.lastError)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, 10)
      .map(summarize),
    proposals: (await journal.proposals.list(20)).map((p) => ({ ...p, id: String(p.id) })),
    workers: live.workers ?? {},
    leader: await leaderLease(journal, now),
    ...(live.ha ? { ha: live.ha } : {}),
  };
}

/** The leadership lease row (offchain/relay/ha/leadership.ts), as `relay status` shows it. */
async function leaderLease(journal: Journal, now: number): Promise<StatusSnapshot["leader"]> {
  const raw = await journal.jobs.get(`lease:${LEADER_LEASE}`);
  if (!raw) return null;
  const { owner, until } = JSON.parse(raw) as { owner: string; until: number };
  return { instance: owner, until: iso(until), current: until > now };
}
