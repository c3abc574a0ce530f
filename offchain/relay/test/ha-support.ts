// Test support for relays with [ha] on one PostgreSQL journal, shared by the HA suites (simulators and regtest) and
// bench section h: a fresh database, a relay.toml turned to that journal with [ha] on, and waits on what the relays
// log ("leading: ..." once a relay has taken the lead and started acting, "ha: standing by" at start).
import { readFileSync, writeFileSync } from "node:fs";
import pg from "pg";
import type { RelayProcess } from "./cli-process.ts";
import type { TestPostgres } from "./postgres.ts";
import { until } from "./wait.ts";

export const LEADING = "leading: executor and workers started";

let databases = 0;

/** A new, empty database on the test server; its URL. */
export async function freshDatabase(postgres: TestPostgres, prefix: string): Promise<string> {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  const name = `${prefix}_${process.pid}_${++databases}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return postgres.url.replace(/\/postgres$/, `/${name}`);
}

/** Turns a relay.toml written by writeRelayToml to the PostgreSQL journal at `journalUrl`, with [ha] on. */
export function withHa(configPath: string, journalUrl: string, leaseMs: number): string {
  const text = readFileSync(configPath, "utf8");
  const turned = text.replace(/\[journal\]\nsqlite_path = .*\n/, `[journal]\npostgres_url = "${journalUrl}"\n`);
  if (turned === text) throw new Error(`${configPath} has no [journal] sqlite_path line to replace`);
  writeFileSync(configPath, `${turned}[ha]\nenabled = true\nlease_ms = ${leaseMs}\n`);
  return configPath;
}

/** The time of the first log line of `relay` with this message at or after `after` (ms), or undefined. */
export function loggedAt(relay: RelayProcess, message: string, after = 0): number | undefined {
  for (const line of relay.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    const record = JSON.parse(line) as { time: string; msg: string };
    const at = Date.parse(record.time);
    if (record.msg === message && at >= after) return at;
  }
  return undefined;
}

/** Waits until `relay` leads (after `after`); when it started acting. */
export async function leads(relay: RelayProcess, after = 0, timeoutMs = 120_000): Promise<number> {
  await until("a relay to lead", () => loggedAt(relay, LEADING, after) !== undefined, timeoutMs);
  return loggedAt(relay, LEADING, after)!;
}

export function standsBy(relay: RelayProcess, timeoutMs = 120_000): Promise<unknown> {
  return until("a relay to stand by", () => relay.output().includes("ha: standing by"), timeoutMs);
}

/** The action's state in the journal at `url`. */
export async function journalState(url: string, id: bigint): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT state FROM actions WHERE id = $1", [id.toString()]);
    return (rows[0] as { state: string } | undefined)?.state;
  } finally {
    await client.end();
  }
}

/** A field of the first log line of `relay` with this message at or after `after` (ms), or undefined. */
export function loggedField(relay: RelayProcess, message: string, field: string, after = 0): unknown {
  for (const line of relay.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    const record = JSON.parse(line) as Record<string, unknown> & { time: string; msg: string };
    if (record.msg === message && Date.parse(record.time) >= after) return record[field];
  }
  return undefined;
}
