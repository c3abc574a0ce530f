// (e) The resident memory of a relay process (`lvdao relay start`, monitors on, status HTTP on) whose journal holds
// 10,000 actions, each with the full history of a reported fee-policy (seen -> claimed -> executing -> done ->
// reported). RSS is read from /proc after start-up and after /status and /metrics were served (both read the whole
// journal's counts, /status also the newest 500 rows); the peak (VmHWM) is shown too. Baseline: the same relay on an
// empty journal, in the same run.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { openSqliteJournal } from "../../offchain/relay/journal/sqlite.ts";
import { spawnLvdao } from "../../offchain/relay/test/cli-process.ts";
import { progress, report } from "./figures.ts";
import { feePolicyPayload, startBenchStack, type BenchStack } from "./stack.ts";

const SETTLE_MS = 5_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

/** Writes `rows` reported fee-policy actions, each through every journal state, in one transaction's worth of writes. */
async function fillJournal(path: string, rows: number): Promise<void> {
  const journal = await openSqliteJournal(path);
  const payloadHex = Buffer.from(feePolicyPayload(200n)).toString("hex");
  const now = Date.now();
  for (let i = 1; i <= rows; i++) {
    const id = BigInt(i);
    await journal.actions.insertSeen(
      { id, kind: "fee-policy", payloadHex, eta: 0, expires: 1_000_000, attempt: 0 },
      now,
    );
    await journal.actions.move(id, "seen", "claimed", { claimExpires: 1_000 }, now, "claim");
    await journal.actions.move(
      id,
      "claimed",
      "executing",
      { executingAt: now },
      now,
      "set every channel to 1000 msat + 200 ppm",
    );
    await journal.actions.move(
      id,
      "executing",
      "done",
      { daemonRef: "ab".repeat(32), outcome: "success", evidenceHex: "ab".repeat(32) },
      now,
      `evidence ${"ab".repeat(32)}`,
    );
    await journal.actions.move(
      id,
      "done",
      "reported",
      { reportTxid: "cd".repeat(32) },
      now,
      `receipt ${"cd".repeat(32)}`,
    );
    if (i % 2_000 === 0) progress(`  journal: ${i} of ${rows} rows written`);
  }
  await journal.close();
}

interface RelayMemory {
  /** settled after start-up, before any HTTP request */
  idleMb: number;
  /** after /status and /metrics were served */
  rssMb: number;
  peakMb: number;
  rows: number;
}

async function relayRss(stack: BenchStack, name: string): Promise<RelayMemory> {
  const port = await freePort();
  const tapd = stack.sim.nodes.dao;
  const config = stack.writeConfig(name, {
    monitors: { enabled: true, liquidity_poll_ms: 1_000, pledge_poll_ms: 1_000 },
    http: { enabled: true, listen: `127.0.0.1:${port}` },
    tapd: { socket: tapd.tapd_socket!, cert_file: tapd.tapd_cert_path!, macaroon_file: tapd.tapd_macaroon_path! },
  });
  const relay = spawnLvdao(["relay", "start", "--config", config]);
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const answered = await fetch(`${url}/healthz`).then(
        (r) => r.status > 0,
        () => false,
      );
      if (answered) break;
      if (relay.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the relay did not serve /healthz:\n${relay.output().slice(-2_000)}`);
      await new Promise((resume) => setTimeout(resume, 250));
    }
    await new Promise((resume) => setTimeout(resume, SETTLE_MS));
    const idle = memoryOf(relay.child.pid!);
    for (let i = 0; i < 3; i++) {
      await (await fetch(`${url}/status`)).json();
      await new Promise((resume) => setTimeout(resume, 300));
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const reported = /lvdao_relay_journal_rows\{state="reported"\} (\d+)/.exec(metrics);
    await new Promise((resume) => setTimeout(resume, 1_000));
    return { idleMb: idle.rssMb, ...memoryOf(relay.child.pid!), rows: reported ? Number(reported[1]) : 0 };
  } finally {
    relay.child.kill("SIGTERM");
    await relay.exited;
  }
}

export async function journalRss(rows: number): Promise<void> {
  const stack = await startBenchStack({ blockTimeMs: 50, channels: 10, progress });
  try {
    progress(`writing ${rows} reported actions with their history into a journal...`);
    await fillJournal(join(stack.dir, "full.db"), rows);
    progress("starting a relay process on an empty journal, then one on the full journal...");
    const empty = await relayRss(stack, "empty");
    const full = await relayRss(stack, "full");
    if (full.rows !== rows)
      throw new Error(`the relay's /metrics counted ${full.rows} reported rows, expected ${rows}`);
    console.log(
      `\n(e) RSS of a relay process (lvdao relay start, monitors and status HTTP on) with ${rows} journal rows`,
    );
    console.log(
      `    settled after start-up, before any request: ${full.idleMb.toFixed(0)} MB with the rows, ` +
        `${empty.idleMb.toFixed(0)} MB empty`,
    );
    console.log(`    peak (VmHWM): ${full.peakMb.toFixed(0)} MB with the rows, ${empty.peakMb.toFixed(0)} MB empty`);
    report({
      name: `relay RSS, ${rows} journal rows`,
      value: full.rssMb,
      unit: "MB",
      baselineName: "same relay, empty journal",
      baseline: empty.rssMb,
      target: { text: "<= 200 MB", met: full.rssMb <= 200 },
    });
  } finally {
    await stack.stop();
  }
}
