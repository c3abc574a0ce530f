// `lvdao relay start` and `lvdao relay status`.
import { hostname } from "node:os";
import { loadConfig } from "../config.ts";
import { openJournal } from "../journal/open.ts";
import { startRelay } from "../start.ts";
import { buildStatus, type StatusSnapshot } from "../status/snapshot.ts";
import type { Io } from "./io.ts";
import { adminMacaroonWarnings } from "./macaroon.ts";

const json = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

/** Runs until SIGINT or SIGTERM, then stops every part in reverse order. */
export async function relayStart(configPath: string, dryRun: boolean, io: Io): Promise<number> {
  const { config, secrets } = loadConfig(configPath);
  for (const warning of adminMacaroonWarnings(config)) io.err(`lvdao: ${warning}`);
  const runtime = await startRelay(config, { secrets, dryRun, progress: (line) => io.err(`lvdao: ${line}`) });
  const mode = dryRun ? " (dry run: no claims, no daemon calls)" : "";
  io.err(`lvdao: relay running as ${runtime.queue.relayAddress}${mode}; Ctrl-C stops it`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  io.err("lvdao: stopping");
  await runtime.stop();
  return 0;
}

export async function relayStatus(configPath: string, asJson: boolean, io: Io): Promise<number> {
  const { config } = loadConfig(configPath);
  const journal = await openJournal(config.journal);
  try {
    const status = await buildStatus(journal, config);
    // With [ha], the lease names the leading process (`<address>@<host>#<pid>-...`): a relay here stands by unless it
    // is this host's.
    if (config.ha.enabled) {
      const here = status.leader?.current === true && status.leader.instance.includes(`@${hostname()}#`);
      status.ha = { role: here ? "leader" : "standby", host: hostname() };
    }
    io.out(asJson ? json(status) : render(status));
    return 0;
  } finally {
    await journal.close();
  }
}

export function render(s: StatusSnapshot): string {
  const lines: string[] = [];
  lines.push(
    `journal (${s.relay.journal}): ${
      Object.entries(s.journal.byState)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "empty"
    }`,
  );
  for (const { kind, outcome, count } of s.journal.byKindAndOutcome)
    lines.push(`  ${kind.padEnd(18)} ${outcome.padEnd(12)} ${count}`);
  if (s.leader)
    lines.push(
      `leader ([ha]): ${s.leader.current ? s.leader.instance : "none"} (lease ${
        s.leader.current ? "until" : "ran out"
      } ${s.leader.until})`,
    );
  const ha = s.ha as { role?: string; host?: string } | undefined;
  if (ha?.host) lines.push(`this host (${ha.host}): ${ha.role === "leader" ? "leader" : "standby"}`);
  lines.push(`open actions: ${s.journal.open.length}`);
  for (const row of s.journal.open) {
    const ref = row.daemonRef ? ` ref ${row.daemonRef}` : "";
    const next = row.retryAt ? ` next ${row.retryAt}` : "";
    lines.push(`  #${row.id} ${row.kind} ${row.state} attempt ${row.attempt}${ref}${next}`);
  }
  lines.push("cursors:");
  for (const [name, value] of Object.entries(s.cursors)) lines.push(`  ${name} ${json(value).replace(/\s+/g, " ")}`);
  const policy = s.activePolicy
    ? `#${s.activePolicy.actionId} ${json(s.activePolicy.policy).replace(/\s+/g, " ")}`
    : "none";
  lines.push(`active rebalance policy: ${policy}`);
  lines.push(`on-chain budget ${s.budget.day}: ${s.budget.usedSats} of ${s.budget.limitSats} sats used`);
  lines.push(`last errors: ${s.lastErrors.length === 0 ? "none" : ""}`);
  for (const row of s.lastErrors) lines.push(`  #${row.id} ${row.kind} (${row.lastErrorKind}) ${row.lastError}`);
  const flagged = s.proposals.filter((p) => p.verdict === "invalid" || p.verdict === "over-limit");
  if (flagged.length) {
    lines.push("proposals this relay would refuse:");
    for (const p of flagged) lines.push(`  #${p.id} ${p.kind} ${p.verdict}: ${p.detail}`);
  }
  return lines.join("\n");
}
