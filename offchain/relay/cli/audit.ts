// `lvdao audit --config relay.toml [--json <file> | --json -]`: compares the node's live state with what the DAO
// decided on-chain and prints every drift. Exit 0 when the node matches, 3 when there is drift (1 on a runtime
// error, 78 on a config error, as every lvdao command). The JSON report goes to lvdao-audit.json, or the file named,
// or stdout with `--json -`.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, type RelayConfig } from "../config.ts";
import { bindDaemons } from "../daemons/bind.ts";
import type { LvAsset } from "../daemons/ports.ts";
import { lvAsset } from "../jobs/lv-asset.ts";
import { openJournal } from "../journal/open.ts";
import { auditDesk, type DeskDrift } from "../market/audit.ts";
import { StacksClient } from "../stacks/client.ts";
import { ContractReads } from "../stacks/reads.ts";
import { compare, type Drift } from "./audit/compare.ts";
import { readDecisions, type Decisions } from "./audit/decisions.ts";
import { readNode } from "./audit/node.ts";
import { DRIFT_EXIT, UsageError, type Io } from "./io.ts";

export const AUDIT_USAGE = `  lvdao audit --config <relay.toml> [--json <file> | --json -]
      compare the node (channels, policies, towers, LV balances, the desk's trades and summaries) with the DAO's
      executed decisions and lv-ledger's trade summaries; print every
      drift, write the JSON report (default lvdao-audit.json), exit 3 when there is drift`;

export interface AuditReport {
  auditedAt: string;
  deployer: string;
  decisions: {
    executed: Record<string, number>;
    epochs: number;
    contributions: number;
    unreadable: Decisions["unreadable"];
  };
  checked: { channels: number; openChannels: number; towers: number; lvNodes: number | null; deskTrades: number };
  drifts: (Drift | DeskDrift)[];
  notes: string[];
}

/** The LV asset the relay uses: lv.asset_id, or the group key and first asset id its journal holds. */
async function lvIdentity(config: RelayConfig): Promise<LvAsset> {
  if (!config.journal.postgresUrl && !existsSync(config.journal.sqlitePath))
    return { groupKey: undefined, assetId: config.lv.assetId };
  const journal = await openJournal(config.journal);
  try {
    return await lvAsset(journal, config);
  } finally {
    await journal.close();
  }
}

/** The desk's summaries and trades (market/audit.ts), when this relay has a desk journal. */
async function deskAudit(config: RelayConfig, stacks: StacksClient, daemons: ReturnType<typeof bindDaemons>) {
  if (!config.journal.postgresUrl && !existsSync(config.journal.sqlitePath))
    return { drifts: [], notes: [], trades: 0 };
  const reads = new ContractReads(stacks, config.stacks.deployer);
  const pricing = await reads.lvPricing();
  const currentPeriod = pricing ? BigInt((await stacks.tip()).stacksHeight) / pricing.period : undefined;
  const journal = await openJournal(config.journal);
  try {
    return await auditDesk({
      store: journal.desk,
      daemons: daemons.desk,
      tradeSummary: (period) => reads.tradeSummary(period),
      currentPeriod,
    });
  } finally {
    await journal.close();
  }
}

export async function runAudit(config: RelayConfig, now = new Date()): Promise<AuditReport> {
  const stacks = new StacksClient({
    ...config.stacks,
    pollMs: config.stacks.txPollIntervalMs,
    senderKey: config.stacks.relayKey,
  });
  const decisions = await readDecisions(stacks, config.stacks.apiUrl, config.stacks.deployer);
  const daemons = bindDaemons(config);
  const desk = await deskAudit(config, stacks, daemons).catch((error: unknown) => {
    daemons.close?.();
    throw error;
  });
  const { state, notes } = await readNode(daemons, await lvIdentity(config)).finally(() => daemons.close?.());
  notes.push(...desk.notes);
  const executed: Record<string, number> = {};
  for (const { action } of decisions.executed) executed[action.kind] = (executed[action.kind] ?? 0) + 1;
  return {
    auditedAt: now.toISOString(),
    deployer: config.stacks.deployer,
    decisions: {
      executed,
      epochs: decisions.epochs.length,
      contributions: decisions.contributions.length,
      unreadable: decisions.unreadable,
    },
    checked: {
      channels: state.channels.length,
      openChannels: state.policies.size,
      towers: state.towers.length,
      lvNodes: state.lv?.length ?? null,
      deskTrades: desk.trades,
    },
    drifts: [...compare(decisions, state), ...desk.drifts],
    notes,
  };
}

export function renderAudit(report: AuditReport): string[] {
  const lines = [
    `audit ${report.auditedAt}: ${
      Object.entries(report.decisions.executed)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ") || "no executed actions"
    }, ` + `${report.decisions.epochs} revenue epoch(s), ${report.decisions.contributions} contribution(s) on-chain`,
    `checked ${report.checked.channels} channel(s) (${report.checked.openChannels} open), ` +
      `${report.checked.towers} tower(s), ` +
      `${report.checked.lvNodes === null ? "LV not checked" : `LV on ${report.checked.lvNodes} tapd node(s)`}, ` +
      `${report.checked.deskTrades} desk trade(s)`,
  ];
  for (const note of report.notes) lines.push(`note: ${note}`);
  for (const u of report.decisions.unreadable)
    lines.push(`note: executed action #${u.id} (${u.kind}) could not be read: ${u.reason}`);
  for (const d of report.drifts) lines.push(`DRIFT ${d.kind} ${d.subject}: expected ${d.expected}; found ${d.actual}`);
  lines.push(
    report.drifts.length === 0 ? "no drift: the node matches the DAO's decisions" : `${report.drifts.length} drift(s)`,
  );
  return lines;
}

const json = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

export async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: "string" }, json: { type: "string" } },
    strict: true,
  });
  if (!values.config) throw new UsageError("audit needs --config <relay.toml>");
  const { config } = loadConfig(values.config);
  const report = await runAudit(config);
  if (values.json === "-") {
    io.out(json(report));
  } else {
    const path = resolve(values.json ?? "lvdao-audit.json");
    writeFileSync(path, `${json(report)}\n`);
    for (const line of renderAudit(report)) io.out(line);
    io.out(`report: ${path}`);
  }
  return report.drifts.length === 0 ? 0 : DRIFT_EXIT;
}
