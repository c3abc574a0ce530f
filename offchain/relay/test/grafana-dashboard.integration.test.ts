// The Grafana dashboard (ops/grafana/lvdao.json) against a real Prometheus: Debian's binary scrapes a running relay
// (the node emulation with the real contracts, the lnd/tapd and loopd simulators) and `lvdao audit --metrics`'s
// server every second, while actions pass by vote and run: a fee-policy, a channel-open over the operator's limit
// (a failure), a rebalance-policy (the liquidity monitor then decides and swaps), and a revenue epoch. Then every
// PromQL expression in the dashboard must parse and return data from Prometheus's query API, and Prometheus must
// have loaded every alert rule.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Cl } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { runAudit } from "../cli/audit.ts";
import { serveAuditMetrics } from "../cli/audit/metrics.ts";
import { REPO, startIntegrationStack } from "./integration-stack.ts";
import { startPrometheus } from "./prometheus.ts";
import { executeByVote } from "./relay-suite.ts";
import { relaySuite } from "./relay-suite.ts";
import { until } from "./wait.ts";

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

/**
 * Short, with a timeout long enough for the relay's /metrics on a busy machine: it reads the chain tip from the node
 * emulation, which shares this process's event loop with the simulators and the relay.
 */
const SCRAPE_INTERVAL_S = 5;
/** Grafana's range variable, as Grafana would fill it in for that scrape interval (4 scrapes or more). */
const RATE_INTERVAL = "1m";

const dashboard = JSON.parse(readFileSync(join(REPO, "ops", "grafana", "lvdao.json"), "utf8")) as {
  panels: Panel[];
};
const expressions = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((t) => ({
    panel: panel.title,
    expr: t.expr.replaceAll("$__rate_interval", RATE_INTERVAL),
  })),
);

const suite = relaySuite("grafana-dashboard.integration.test.ts", {
  start: async () => {
    const stack = await startIntegrationStack("relay-dashboard");
    if (!stack.hasLoop) throw new Error("the loopd simulator (offchain/regtest/loopd-sim) is not available");
    return stack;
  },
  prepare: () => ({
    http: true,
    limits: { max_channel_sats: 1_500_000 },
    monitors: { liquidity_poll_ms: 300, revenue_epoch_blocks: 20, liquidity_report_blocks: 1_000 },
  }),
  timeoutMs: 180_000,
});

describe("the Grafana dashboard on a real Prometheus scraping the relay", () => {
  it("the dashboard covers actions, latency, liquidity, Loop spend, LV and epochs, relay health", () => {
    const all = expressions.map((e) => e.expr).join("\n");
    for (const metric of [
      "lvdao_relay_actions_total",
      "lvdao_relay_action_seconds_bucket",
      "lvdao_relay_liquidity_sats",
      "lvdao_relay_autonomous_budget_left_sats",
      "lvdao_relay_lv_minted_units",
      "lvdao_relay_revenue_epoch",
      'up{job="lvdao-relay"}',
      "lvdao_relay_journal_lag_seconds",
      "lvdao_audit_drift",
    ])
      expect(all).toContain(metric);
    expect(expressions.length).toBeGreaterThanOrEqual(20);
  });

  it("every expression parses and returns data after a short run", async () => {
    const relay = suite.relay;
    let audits = 0;
    const audit = await serveAuditMetrics({
      listen: { host: "127.0.0.1", port: 0 },
      intervalMs: 30_000,
      run: () => runAudit(relay.config),
      onRun: () => audits++,
    });
    const prometheus = await startPrometheus(
      [
        { job: "lvdao-relay", url: `${relay.statusUrl}/metrics` },
        { job: "lvdao-audit", url: `${audit.url}/metrics` },
      ],
      { scrapeIntervalS: SCRAPE_INTERVAL_S },
    );
    try {
      const { sim } = suite.stack;
      await executeByVote(suite, "fee-policy", {
        target: Cl.none(),
        "base-fee-msat": Cl.uint(1_000),
        "fee-ppm": Cl.uint(200),
        "inbound-base-discount-msat": Cl.uint(0),
        "inbound-ppm-discount": Cl.uint(0),
        "cltv-delta": Cl.uint(40),
      });
      await executeByVote(
        suite,
        "channel-open",
        {
          peer: Cl.buffer(Buffer.from(sim.nodes.peer.pubkey, "hex")),
          host: Cl.stringAscii(sim.nodes.peer.p2p_host),
          "local-sats": Cl.uint(2_000_000),
          "push-sats": Cl.uint(0),
          private: Cl.bool(false),
          "base-fee-msat": Cl.uint(1_000),
          "fee-ppm": Cl.uint(100),
          "cltv-delta": Cl.uint(40),
        },
        "failure",
      );
      await executeByVote(suite, "rebalance-policy", {
        "min-inbound-pct": Cl.uint(60),
        "min-outbound-pct": Cl.uint(10),
        "max-swap-fee-ppm": Cl.uint(10_000),
        "budget-sats": Cl.uint(3_000_000),
        "budget-period": Cl.uint(144),
        "max-in-flight": Cl.uint(1),
        peers: Cl.list([]),
      });
      await suite.stack.devnet.mine({ burn: 20 });
      await until("a revenue epoch recorded", async () => relay.metrics.revenueEpoch.get() !== undefined, 90_000);
      await until("an audit run", async () => audits > 0, 120_000);

      const answers = await until(
        "every dashboard expression to return data",
        async () => {
          const all = await Promise.all(
            expressions.map(async (e) => ({ ...e, answer: await prometheus.query(e.expr) })),
          );
          return all.every((a) => a.answer.status === "success" && (a.answer.data?.result.length ?? 0) > 0)
            ? all
            : undefined;
        },
        60_000,
      ).catch(async () =>
        Promise.all(expressions.map(async (e) => ({ ...e, answer: await prometheus.query(e.expr) }))),
      );
      const missing = answers
        .filter((a) => a.answer.status !== "success" || (a.answer.data?.result.length ?? 0) === 0)
        .map((a) => `${a.panel}: ${a.expr} -> ${a.answer.error ?? "no data"}`);
      // A scrape error explains missing data better than the list of empty panels.
      expect(missing.length === 0 ? [] : await prometheus.targets()).toEqual([]);
      expect(missing).toEqual([]);

      const rules = (await (await fetch(`${prometheus.url}/api/v1/rules?type=alert`)).json()) as {
        data: { groups: { rules: { name: string; health: string }[] }[] };
      };
      const loaded = rules.data.groups.flatMap((g) => g.rules);
      expect(loaded.length).toBe(12);
      expect(loaded.filter((r) => r.health !== "ok")).toEqual([]);
    } finally {
      await prometheus.stop();
      await audit.stop();
    }
  }, 300_000);
});
