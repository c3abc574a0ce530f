// The relay's status, built from the journal: what `lvdao relay status` prints and GET /status serves. It needs no
// running relay (the CLI reads the journal directly); a running relay adds its live parts (chain tip, loops).
import type { RelayConfig } from "../config.ts";
import { activePolicy, type StoredPolicy } from "../executor/kinds/rebalance-policy.ts";
import { utcDay, type Journal, type JournalRow } from "../journal/types.ts";

export interface StatusSnapshot {
  relay: { address: string | undefined; journal: string; dryRun: boolean; startedAt: string | undefined };
  chain: { burnHeight: number; stacksHeight: number } | undefined;
  journal: { byState: Record<string, number>; byKindAndOutcome: { kind: string; outcome: string; count: number }[]; open: RowSummary[] };
  cursors: Record<string, unknown>;
  activePolicy: StoredPolicy | undefined;
  budget: { day: string; usedSats: string; limitSats: string };
  lastErrors: RowSummary[];
  proposals: { id: string; kind: string; verdict: string; detail: string | null }[];
  loops: Record<string, unknown>;
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

export async function buildStatus(
  journal: Journal,
  config: Pick<RelayConfig, "limits">,
  live: { address?: string; dryRun?: boolean; startedAt?: number; chain?: StatusSnapshot["chain"]; loops?: Record<string, unknown>; now?: number } = {},
): Promise<StatusSnapshot> {
  const now = live.now ?? Date.now();
  const rows = await journal.list({ limit: 500 });
  const cursors: Record<string, unknown> = {};
  for (const cursor of await journal.cursors()) {
    cursors[cursor.name] = { ...(JSON.parse(cursor.value) as object), updatedAt: iso(cursor.updatedAt) };
  }
  return {
    relay: { address: live.address, journal: journal.backend, dryRun: live.dryRun ?? false, startedAt: live.startedAt ? iso(live.startedAt) : undefined },
    chain: live.chain,
    journal: {
      byState: await journal.countByState(),
      byKindAndOutcome: await journal.countByOutcome(),
      open: rows.filter((r) => r.state !== "reported" && r.state !== "closed").map(summarize),
    },
    cursors,
    activePolicy: await activePolicy(journal),
    budget: { day: utcDay(now), usedSats: String(await journal.spentOn(utcDay(now))), limitSats: String(config.limits.dailyOnchainBudgetSats) },
    lastErrors: rows.filter((r) => r.lastError).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 10).map(summarize),
    proposals: (await journal.proposals(20)).map((p) => ({ ...p, id: String(p.id) })),
    loops: live.loops ?? {},
  };
}
