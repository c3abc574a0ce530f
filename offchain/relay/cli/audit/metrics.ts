// The audit as Prometheus gauges, so drift raises an alert without anyone reading a report. Two ways to publish them:
// a textfile for node_exporter's textfile collector (`--metrics <file>`, written whole and renamed into place, so
// the collector never reads half a file), or `--listen host:port`, a small server that re-runs the audit every
// `--interval` seconds and serves the last run's gauges on GET /metrics. Every check is always listed (0 when it
// found nothing), so an alert on a check's value never depends on the series appearing.
import { renameSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Gauge, Registry } from "../../metrics.ts";
import { DRIFT_KINDS, type Drift } from "./compare.ts";

/** What the gauges need of an audit report. */
export interface Audited {
  drifts: readonly Drift[];
}

export class AuditMetrics {
  readonly registry = new Registry();
  readonly drift = this.registry.register(
    new Gauge("lvdao_audit_drift", "Drifts the last successful audit found between the node and the DAO, by check"),
  );
  readonly up = this.registry.register(
    new Gauge("lvdao_audit_up", "Whether the last audit run could read the chain and the node (1) or failed (0)"),
  );
  readonly lastRun = this.registry.register(
    new Gauge("lvdao_audit_last_run_timestamp_seconds", "When the last audit run ended, successful or not"),
  );
  readonly lastSuccess = this.registry.register(
    new Gauge("lvdao_audit_last_success_timestamp_seconds", "When the last successful audit run ended"),
  );
  readonly duration = this.registry.register(
    new Gauge("lvdao_audit_duration_seconds", "How long the last audit run took"),
  );

  /** A run that produced a report: every check's drift count. */
  succeeded(report: Audited, endedAt: number, durationMs: number): void {
    for (const check of DRIFT_KINDS) this.drift.set(report.drifts.filter((d) => d.kind === check).length, { check });
    this.up.set(1);
    this.lastRun.set(endedAt / 1000);
    this.lastSuccess.set(endedAt / 1000);
    this.duration.set(durationMs / 1000);
  }

  /** A run that could not finish: the drift gauges keep the last successful run's counts. */
  failed(endedAt: number, durationMs: number): void {
    this.up.set(0);
    this.lastRun.set(endedAt / 1000);
    this.duration.set(durationMs / 1000);
  }

  render(): string {
    return this.registry.render();
  }
}

/** Writes the gauges for node_exporter's textfile collector: to a temporary file beside it, then renamed over it. */
export function writeTextfile(path: string, metrics: AuditMetrics): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, metrics.render());
  renameSync(temporary, path);
}

export interface AuditServer {
  url: string;
  /** resolves after the run in progress (if any) when the server is stopped */
  stop(): Promise<void>;
}

/**
 * Runs the audit now and every `intervalMs` after the previous run ended, and serves the gauges on GET /metrics
 * from the start (a scrape before the first run ends sees only HELP and TYPE lines).
 */
export async function serveAuditMetrics<R extends Audited>(options: {
  listen: { host: string; port: number };
  intervalMs: number;
  run: () => Promise<R>;
  onRun?: (outcome: { report?: R; error?: Error }) => void;
  now?: () => number;
}): Promise<AuditServer> {
  const now = options.now ?? Date.now;
  const metrics = new AuditMetrics();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = async (): Promise<void> => {
    const started = now();
    try {
      const report = await options.run();
      metrics.succeeded(report, now(), now() - started);
      options.onRun?.({ report });
    } catch (error) {
      metrics.failed(now(), now() - started);
      options.onRun?.({ error: error as Error });
    }
    if (!stopped) timer = setTimeout(() => (running = round()), options.intervalMs);
  };
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && new URL(req.url ?? "/", "http://audit").pathname === "/metrics") {
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(metrics.render());
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("GET /metrics\n");
    }
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.listen.port, options.listen.host, () => done());
  });
  running = round();
  const { port } = server.address() as AddressInfo;
  const host = options.listen.host.includes(":") ? `[${options.listen.host}]` : options.listen.host;
  return {
    url: `http://${host}:${port}`,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
    },
  };
}
