// `lvdao audit --config relay.toml [--json <file> | --json -]`: compares the node's live state with what the DAO
// decided on-chain and prints every drift. Exit 0 when the node matches, 3 when there is drift (1 on a runtime
// error, 78 on a config error, as every lvdao command). The JSON report goes to lvdao-audit.json, or the file named,
// or stdout with `--json -`.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, type RelayConfig } from "../config.ts";
import { bindDaemons } from "../daemons/bind.ts";
import { outpointString, type LvAsset } from "../daemons/ports.ts";
import { lvAsset } from "../jobs/lv-asset.ts";
import { openJournal } from "../journal/open.ts";
import { auditDesk, type DeskDrift } from "../market/audit.ts";
import { StacksClient } from "../stacks/client.ts";
import { BtcdVault } from "../vault/bind.ts";
import { chainVaultKeys } from "../vault/chain-keys.ts";
import { ContractReads } from "../stacks/reads.ts";
import { compare, type Drift } from "./audit/compare.ts";
import { readDecisions, type Decisions } from "./audit/decisions.ts";
import { moneyTrail, trailTxids, type TrailTx } from "./audit/money-trail.ts";
import { AuditMetrics, serveAuditMetrics, writeTextfile } from "./audit/metrics.ts";
import { readNode } from "./audit/node.ts";
import { configOrDevnet, DRIFT_EXIT, UsageError, type Io } from "./io.ts";

export const AUDIT_USAGE = `  lvdao audit [--config <relay.toml>] [--json <file> | --json -]
      compare the node (channels, policies, towers, LV balances, the desk's trades and summaries, and with a vault
      the money trail) with the DAO's executed decisions and lv-ledger's trade summaries; print every drift, write
      the JSON report (default lvdao-audit.json), exit 3 when there is drift (default config: npm start's relay's)
  lvdao audit --config <relay.toml> --metrics [--textfile <file>]
      the audit's drift as Prometheus gauges, once: to stdout, or written whole into <file> (node_exporter's
      textfile collector); exit 3 when there is drift
  lvdao audit --config <relay.toml> --metrics --listen <host:port> [--interval <seconds>]
      serve the gauges on GET /metrics, re-running the audit every <seconds> (default 300) until stopped`;

const DEFAULT_INTERVAL_S = 300;

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

/** The money trail (audit/money-trail.ts) when the config names a vault; a note when it does not. */
async function readMoney(
  config: RelayConfig,
  stacks: StacksClient,
  decisions: Decisions,
  notes: string[],
): Promise<Drift[]> {
  if (!config.vault) {
    notes.push("money trail not checked: no [vault] in the relay config");
    return [];
  }
  const daemons = bindDaemons(config);
  const closings = new Map<string, string>();
  try {
    for (const c of (await daemons.lnd?.listChannels()) ?? [])
      if (c.closingTxid) closings.set(outpointString(c.outpoint), c.closingTxid);
  } finally {
    daemons.close?.();
  }
  const journal = await openJournal(config.journal);
  try {
    const vault = new BtcdVault(config.vault, journal.jobs, chainVaultKeys(stacks, config.stacks.deployer));
    const txs = new Map<string, TrailTx>();
    for (const txid of trailTxids(decisions.executed, closings)) {
      const tx = await vault.transaction(txid);
      if (tx) txs.set(txid, tx);
    }
    const vaultDests = new Set<string>();
    for (const { action } of decisions.executed)
      if (action.kind === "loop-out" && (await vault.isVaultAddress(action.payload.dest)))
        vaultDests.add(action.payload.dest);
    return moneyTrail(decisions.executed, { history: await vault.history(), txs, vaultDests, closings });
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
  const money = await readMoney(config, stacks, decisions, notes);
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
    drifts: [...compare(decisions, state), ...money, ...desk.drifts],
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

/** `host:port` as --listen takes it; an IPv6 host in brackets. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) throw new UsageError(`--listen wants host:port (e.g. 127.0.0.1:8734), got "${text}"`);
  return { host: match[1] ?? match[2]!, port };
}

function parseInterval(text: string | undefined): number {
  if (text === undefined) return DEFAULT_INTERVAL_S;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1)
    throw new UsageError(`--interval wants a whole number of seconds >= 1, got "${text}"`);
  return seconds;
}

/** The one-shot gauges: the report's, or a failed run's (then the error goes on to exit 1). */
async function metricsOnce(config: RelayConfig, textfile: string | undefined, io: Io): Promise<number> {
  const metrics = new AuditMetrics();
  const started = Date.now();
  const publish = () => (textfile ? writeTextfile(resolve(textfile), metrics) : io.out(metrics.render().trimEnd()));
  let report: AuditReport;
  try {
    report = await runAudit(config);
  } catch (error) {
    metrics.failed(Date.now(), Date.now() - started);
    publish();
    throw error;
  }
  metrics.succeeded(report, Date.now(), Date.now() - started);
  publish();
  return report.drifts.length === 0 ? 0 : DRIFT_EXIT;
}

async function metricsServer(
  config: RelayConfig,
  listen: { host: string; port: number },
  interval: number,
  io: Io,
): Promise<number> {
  const server = await serveAuditMetrics({
    listen,
    intervalMs: interval * 1000,
    run: () => runAudit(config),
    onRun: ({ report, error }) =>
      error
        ? io.err(`audit failed: ${error.message}`)
        : io.out(`audit ${report!.auditedAt}: ${report!.drifts.length} drift(s)`),
  });
  io.out(`audit metrics: ${server.url}/metrics (the audit re-runs every ${interval} s)`);
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await server.stop();
  return 0;
}

export async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      json: { type: "string" },
      metrics: { type: "boolean" },
      textfile: { type: "string" },
      listen: { type: "string" },
      interval: { type: "string" },
    },
    strict: true,
  });
  const metricsOnly = ["textfile", "listen", "interval"].filter((k) => values[k as keyof typeof values] !== undefined);
  if (!values.metrics && metricsOnly.length > 0) throw new UsageError(`--${metricsOnly[0]} goes with --metrics`);
  if (values.metrics && values.json !== undefined) throw new UsageError("--metrics and --json are separate runs");
  if (values.listen !== undefined && values.textfile !== undefined)
    throw new UsageError("--listen serves the gauges; --textfile writes them once: pick one");
  if (values.interval !== undefined && values.listen === undefined)
    throw new UsageError("--interval goes with --listen");
  const interval = parseInterval(values.interval);
  const listen = values.listen === undefined ? undefined : parseListen(values.listen);
  const { config } = loadConfig(configOrDevnet(values.config, "audit", io));
  if (values.metrics)
    return listen ? metricsServer(config, listen, interval, io) : metricsOnce(config, values.textfile, io);
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
