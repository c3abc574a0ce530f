// A real Prometheus (Debian's `prometheus` binary, scripts/ci/system-deps.sh) for the tests and benchmarks: on a
// loopback port, its storage in a temp dir, scraping the given targets every second (or as asked) with lvdao's alert
// rules loaded, stopped with SIGTERM. A missing binary fails whatever asked for it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./integration-stack.ts";
import { until } from "./wait.ts";

export interface PrometheusHandle {
  url: string;
  /** GET /api/v1/query: the API's answer, whatever its status */
  query(expr: string): Promise<{ status: string; error?: string; data?: { result: unknown[] } }>;
  targets(): Promise<TargetHealth[]>;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Targets' health as Prometheus sees it: job, health (up/down/unknown) and the last scrape error. */
export interface TargetHealth {
  job: string;
  health: string;
  lastError: string;
}

export async function startPrometheus(
  jobs: { job: string; url: string }[],
  options: { scrapeIntervalS?: number } = {},
): Promise<PrometheusHandle> {
  const interval = `${options.scrapeIntervalS ?? 1}s`;
  const dir = mkdtempSync(join(tmpdir(), "lvdao-prometheus-"));
  const scrapes = jobs.map(({ job, url }) => {
    const { host, pathname } = new URL(url);
    const path = pathname === "/" ? "/metrics" : pathname;
    return `  - job_name: ${job}\n    metrics_path: ${path}\n    static_configs:\n      - targets: ["${host}"]\n`;
  });
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\n  evaluation_interval: ${interval}\n` +
      `rule_files:\n  - ${join(REPO, "ops", "prometheus", "alerts.yml")}\n` +
      `scrape_configs:\n${scrapes.join("")}`,
  );
  const port = await freePort();
  const child = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  const spawnError = new Promise<Error>((done) => child.on("error", done));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.race([exited, spawnError]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      spawnError.then((error) => {
        throw new Error(`prometheus could not start (${error.message}): install Debian's prometheus`);
      }),
      exited.then((code) => {
        throw new Error(`prometheus exited with ${code}:\n${output}`);
      }),
      until("prometheus to be ready", async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 30_000),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    output: () => output,
    async targets() {
      const answer = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
        data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
      };
      return answer.data.activeTargets.map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }));
    },
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    },
    stop,
  };
}
