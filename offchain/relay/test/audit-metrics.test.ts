// `lvdao audit --metrics`: the gauges a run leaves (every check listed, drift counted per check), a failed run, the
// textfile written whole, the server that re-runs the audit on its interval, and the command line's usage errors.
// The audit itself against real peers, with these gauges, is in monitors.integration.test.ts.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditReport } from "../cli/audit.ts";
import { parseListen } from "../cli/audit.ts";
import type { Drift } from "../cli/audit/compare.ts";
import { AuditMetrics, serveAuditMetrics, writeTextfile } from "../cli/audit/metrics.ts";
import { main } from "../cli/main.ts";
import { until } from "./wait.ts";

const drift = (kind: Drift["kind"], subject: string): Drift => ({ kind, subject, expected: "x", actual: "y" });
const report = (drifts: Drift[]): AuditReport => ({
  auditedAt: "2026-01-02T00:00:00.000Z",
  deployer: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM",
  decisions: { executed: {}, epochs: 0, contributions: 0, unreadable: [] },
  checked: { channels: 2, openChannels: 2, towers: 0, lvNodes: null, deskTrades: 0 },
  drifts,
  notes: [],
});
const TWO_DRIFTS = report([
  drift("policy-differs", "channel a"),
  drift("policy-differs", "channel b"),
  drift("channel-not-decided", "channel c"),
]);
const sample = (text: string, series: string): string | undefined =>
  text
    .split("\n")
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-audit-metrics-"));
  writeFileSync(join(dir, "relay.key"), "7287ba251d44a4d3fd9276c88ce34c5c52a038955511cccaf77e61068649c17801");
  writeFileSync(
    join(dir, "relay.toml"),
    `[stacks]\napi_url = "http://127.0.0.1:1"\ndeployer = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM"\n` +
      `relay_key_file = "relay.key"\n[journal]\nsqlite_path = "relay.db"\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("audit gauges", () => {
  it("a run lists every check, counting its drifts, and stamps the run", () => {
    const metrics = new AuditMetrics();
    metrics.succeeded(TWO_DRIFTS, 1_700_000_000_500, 1_250);
    const text = metrics.render();
    expect(text.split("\n").filter((l) => l.startsWith("lvdao_audit_drift{"))).toEqual([
      'lvdao_audit_drift{check="channel-not-decided"} 1',
      'lvdao_audit_drift{check="channel-gone"} 0',
      'lvdao_audit_drift{check="channel-not-closed"} 0',
      'lvdao_audit_drift{check="policy-differs"} 2',
      'lvdao_audit_drift{check="tower-not-decided"} 0',
      'lvdao_audit_drift{check="tower-missing"} 0',
      'lvdao_audit_drift{check="lv-balance"} 0',
      'lvdao_audit_drift{check="channel-not-vault-funded"} 0',
      'lvdao_audit_drift{check="close-not-to-vault"} 0',
      'lvdao_audit_drift{check="loop-out-not-to-vault"} 0',
      'lvdao_audit_drift{check="vault-spend-not-decided"} 0',
      'lvdao_audit_drift{check="trade-summary"} 0',
      'lvdao_audit_drift{check="trade-summary-missing"} 0',
      'lvdao_audit_drift{check="desk-invoice"} 0',
      'lvdao_audit_drift{check="desk-send"} 0',
      'lvdao_audit_drift{check="desk-deposit"} 0',
      'lvdao_audit_drift{check="desk-payout"} 0',
    ]);
    expect(sample(text, "lvdao_audit_up")).toBe("1");
    expect(sample(text, "lvdao_audit_last_run_timestamp_seconds")).toBe("1700000000.5");
    expect(sample(text, "lvdao_audit_last_success_timestamp_seconds")).toBe("1700000000.5");
    expect(sample(text, "lvdao_audit_duration_seconds")).toBe("1.25");
  });

  it("a failed run sets up to 0 and keeps the last successful run's drift and time", () => {
    const metrics = new AuditMetrics();
    metrics.succeeded(TWO_DRIFTS, 1_700_000_000_000, 1_000);
    metrics.failed(1_700_000_300_000, 2_000);
    const text = metrics.render();
    expect(sample(text, "lvdao_audit_up")).toBe("0");
    expect(sample(text, 'lvdao_audit_drift{check="policy-differs"}')).toBe("2");
    expect(sample(text, "lvdao_audit_last_run_timestamp_seconds")).toBe("1700000300");
    expect(sample(text, "lvdao_audit_last_success_timestamp_seconds")).toBe("1700000000");
  });

  it("the textfile is written whole, with no temporary file left beside it", () => {
    const metrics = new AuditMetrics();
    metrics.succeeded(report([]), 1_700_000_000_000, 10);
    const collector = mkdtempSync(join(dir, "collector-"));
    writeTextfile(join(collector, "lvdao.prom"), metrics);
    expect(readdirSync(collector)).toEqual(["lvdao.prom"]);
    expect(readFileSync(join(collector, "lvdao.prom"), "utf8")).toBe(metrics.render());
    expect(() => writeTextfile(join(dir, "missing", "lvdao.prom"), metrics)).toThrow(/ENOENT/);
  });
});

describe("audit metrics server", () => {
  it("serves the gauges and re-runs the audit on its interval, a failing run included", async () => {
    // Each run waits for the test to hand it its outcome, so the scrapes see one run at a time.
    const pending: ((outcome: AuditReport | Error) => void)[] = [];
    let ran = 0;
    const server = await serveAuditMetrics({
      listen: { host: "127.0.0.1", port: 0 },
      intervalMs: 20,
      run: async () => {
        ran++;
        const outcome = await new Promise<AuditReport | Error>((resolve) => pending.push(resolve));
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    });
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    const finishRun = async (n: number, outcome: AuditReport | Error) => {
      await until(`audit run ${n} to start`, async () => pending.length === n);
      pending[n - 1]!(outcome);
    };
    try {
      expect(sample(await scrape(), "lvdao_audit_up")).toBeUndefined();
      await finishRun(1, TWO_DRIFTS);
      const first = await until("the first run's gauges", async () => {
        const text = await scrape();
        return sample(text, "lvdao_audit_up") === "1" ? text : undefined;
      });
      expect(sample(first, 'lvdao_audit_drift{check="policy-differs"}')).toBe("2");
      await finishRun(2, new Error("lnd unreachable"));
      const failed = await until("the failed run's gauges", async () => {
        const text = await scrape();
        return sample(text, "lvdao_audit_up") === "0" ? text : undefined;
      });
      expect(sample(failed, 'lvdao_audit_drift{check="policy-differs"}')).toBe("2");
      await finishRun(3, report([]));
      const clean = await until("the clean run's gauges", async () => {
        const text = await scrape();
        return sample(text, "lvdao_audit_up") === "1" ? text : undefined;
      });
      expect(sample(clean, 'lvdao_audit_drift{check="policy-differs"}')).toBe("0");
      expect((await fetch(`${server.url}/status`)).status).toBe(404);
      await finishRun(4, report([]));
    } finally {
      await server.stop();
    }
    const after = ran;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toBe(after);
  });
});

describe("lvdao audit --metrics command line", () => {
  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it.each([
    [["--textfile", "x.prom"], "--textfile goes with --metrics"],
    [["--listen", "127.0.0.1:8734"], "--listen goes with --metrics"],
    [["--metrics", "--json", "-"], "--metrics and --json are separate runs"],
    [["--metrics", "--listen", "127.0.0.1:1", "--textfile", "x"], "pick one"],
    [["--metrics", "--interval", "60"], "--interval goes with --listen"],
    [["--metrics", "--listen", "127.0.0.1:1", "--interval", "0"], "--interval wants a whole number"],
    [["--metrics", "--listen", "localhost"], '--listen wants host:port (e.g. 127.0.0.1:8734), got "localhost"'],
  ])("%j exits 2: %s", async (args, message) => {
    const result = await run("audit", "--config", join(dir, "relay.toml"), ...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it.each([
    ["127.0.0.1:8734", { host: "127.0.0.1", port: 8734 }],
    ["[::1]:0", { host: "::1", port: 0 }],
    ["monitor.lan:80", { host: "monitor.lan", port: 80 }],
  ])("--listen %s", (text, listen) => {
    expect(parseListen(text)).toEqual(listen);
  });

  it("a run that cannot reach the chain exits 1 and still writes the textfile, with up 0", async () => {
    const path = join(dir, "failed.prom");
    const result = await run("audit", "--config", join(dir, "relay.toml"), "--metrics", "--textfile", path);
    expect(result.code).toBe(1);
    expect(existsSync(path)).toBe(true);
    expect(sample(readFileSync(path, "utf8"), "lvdao_audit_up")).toBe("0");
  });
});
