// (e) The resident memory of a relay process (`lvdao relay start`, monitors on, status HTTP on) whose journal holds
// 10,000 actions, each with the full history of a reported fee-policy (seen -> claimed -> executing -> done ->
// reported). RSS is read from /proc after start-up and after /status and /metrics were served (both read the whole
// journal's counts, /status also the newest 500 rows); the peak (VmHWM) is shown too.
// (g) The scrape time of the same relay's /metrics: timed GETs as Prometheus sends them (p50, p95), and a real
// Prometheus scraping it every second, its own `scrape_duration_seconds` over the run (p50, p95).
// Baseline for both: the same relay on an empty journal, in the same run.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { openSqliteJournal } from "../../offchain/relay/journal/sqlite.ts";
import { spawnLvdao } from "../../offchain/relay/test/cli-process.ts";
import { startPrometheus } from "../../offchain/relay/test/prometheus.ts";
import { progress, quantile, report, sample } from "./figures.ts";
import { feePolicyPayload, startBenchStack, type BenchStack } from "./stack.ts";

const SETTLE_MS = 5_000;
const SCRAPES = 50;
/** How long the real Prometheus scrapes the relay, once a second. */
const PROMETHEUS_RUN_MS = 20_000;
const PROMETHEUS_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75," +
  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

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

interface ScrapeTimes {
  /** timed GET /metrics, ms */
  direct: { p50: number; p95: number };
  /** Prometheus's scrape_duration_seconds over its run, ms */
  prometheus: { p50: number; p95: number; scrapes: number };
}

async function scrapeTimes(url: string): Promise<ScrapeTimes> {
  const times = await sample(SCRAPES, async () =>
    (await fetch(`${url}/metrics`, { headers: { Accept: PROMETHEUS_ACCEPT } })).text(),
  );
  const prometheus = await startPrometheus([{ job: "lvdao-relay", url: `${url}/metrics` }]);
  try {
    await new Promise((resume) => setTimeout(resume, PROMETHEUS_RUN_MS));
    const over = async (expr: string): Promise<number> => {
      const answer = await prometheus.query(expr);
      const value = (answer.data?.result[0] as { value: [number, string] } | undefined)?.value[1];
      if (value === undefined) throw new Error(`Prometheus has no answer for ${expr}: ${answer.error ?? "no data"}`);
      return Number(value);
    };
    const window = `${PROMETHEUS_RUN_MS / 1000}s`;
    const series = 'scrape_duration_seconds{job="lvdao-relay"}';
    return {
      direct: { p50: quantile(times, 0.5), p95: quantile(times, 0.95) },
      prometheus: {
        p50: (await over(`quantile_over_time(0.5, ${series}[${window}])`)) * 1000,
        p95: (await over(`quantile_over_time(0.95, ${series}[${window}])`)) * 1000,
        scrapes: await over(`count_over_time(${series}[${window}])`),
      },
    };
  } finally {
    await prometheus.stop();
  }
}

async function relayRss(
  stack: BenchStack,
  name: string,
  scrape: boolean,
): Promise<RelayMemory & { scrape?: ScrapeTimes }> {
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
    const memory = { idleMb: idle.rssMb, ...memoryOf(relay.child.pid!), rows: reported ? Number(reported[1]) : 0 };
    return scrape ? { ...memory, scrape: await scrapeTimes(url) } : memory;
  } finally {
    relay.child.kill("SIGTERM");
    await relay.exited;
  }
}

export async function journalFigures(rows: number, want: { rss: boolean; scrape: boolean }): Promise<void> {
  const stack = await startBenchStack({ blockTimeMs: 50, channels: 10, progress });
  try {
    progress(`writing ${rows} reported actions with their history into a journal...`);
    await fillJournal(join(stack.dir, "full.db"), rows);
    progress("starting a relay process on an empty journal, then one on the full journal...");
    const empty = await relayRss(stack, "empty", want.scrape);
    const full = await relayRss(stack, "full", want.scrape);
    if (full.rows !== rows)
      throw new Error(`the relay's /metrics counted ${full.rows} reported rows, expected ${rows}`);
    if (want.rss) reportRss(rows, empty, full);
    if (want.scrape) reportScrape(rows, empty.scrape!, full.scrape!);
  } finally {
    await stack.stop();
  }
}

function reportScrape(rows: number, empty: ScrapeTimes, full: ScrapeTimes): void {
  console.log(`\n(g) scrape time of the relay's /metrics with ${rows} journal rows`);
  console.log(
    `    a real Prometheus scraping every second for ${PROMETHEUS_RUN_MS / 1000} s: ` +
      `${full.prometheus.scrapes} scrapes with the rows, ${empty.prometheus.scrapes} empty`,
  );
  const figures = [
    ["Prometheus scrape_duration_seconds p50", full.prometheus.p50, empty.prometheus.p50],
    ["Prometheus scrape_duration_seconds p95", full.prometheus.p95, empty.prometheus.p95],
    [`GET /metrics p50 (${SCRAPES} scrapes)`, full.direct.p50, empty.direct.p50],
    [`GET /metrics p95 (${SCRAPES} scrapes)`, full.direct.p95, empty.direct.p95],
  ] as const;
  for (const [name, value, baseline] of figures)
    report({ name: `${name}, ${rows} rows`, value, unit: "ms", baselineName: "empty journal", baseline });
}

function reportRss(rows: number, empty: RelayMemory, full: RelayMemory): void {
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
}
