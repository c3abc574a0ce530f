// The liquidity monitor against fakes of its collaborators (ledger, lnd, loopd): it follows the policy in force
// on-chain, swaps with label lvdao:auto:<policy>:<n>, records each swap once with report-autonomous, gives a reason
// for every rule it leaves alone, and after a crash neither swaps nor records twice.
import { beforeEach, describe, expect, it } from "vitest";
import type { RebalancePolicy } from "../../actions/index.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { TxSender } from "../jobs/tx-sender.ts";
import { Counter, Gauge } from "../metrics.ts";
import { LiquidityMonitor, type MonitorMetrics } from "../monitors/liquidity-monitor.ts";
import { decodeRelayAction } from "../actions.ts";
import { FakeLedger } from "./fake-chain.ts";
import { FakeLnd, FakeLoop } from "./fakes.ts";

const PEER_A = `02${"aa".repeat(32)}`;
const PEER_B = `03${"bb".repeat(32)}`;

const policy = (overrides: Partial<RebalancePolicy> = {}): RebalancePolicy => ({
  minInboundPct: 20n,
  minOutboundPct: 20n,
  maxSwapFeePpm: 5_000n,
  budgetSats: 3_000_000n,
  budgetPeriod: 144n,
  maxInFlight: 2n,
  peers: [],
  ...overrides,
});

let journal: Journal;
let ledger: FakeLedger;
let lnd: FakeLnd;
let loop: FakeLoop;
let log: ReturnType<typeof memoryLogger>;
let now: number;

function monitor(
  options: { maxLoopSats?: bigint; perDay?: bigint; graceMs?: number; metrics?: MonitorMetrics } = {},
): LiquidityMonitor {
  return new LiquidityMonitor({
    journal,
    chain: ledger,
    queue: ledger.queue,
    decode: decodeRelayAction,
    tx: new TxSender(ledger),
    deployer: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM",
    lnd,
    loop,
    config: {
      limits: { maxLoopSats: options.maxLoopSats ?? 10_000_000n },
      monitors: { maxAutonomousSatsPerDay: options.perDay ?? 100_000_000n },
      recoveryGraceMs: options.graceMs ?? 0,
    },
    log,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    now: () => now,
  });
}

const decisions = (m: LiquidityMonitor) => Object.fromEntries(m.lastDecisions.map((d) => [d.rule, d.decision]));

beforeEach(async () => {
  journal = await openSqliteJournal(":memory:");
  ledger = new FakeLedger();
  lnd = new FakeLnd();
  loop = new FakeLoop();
  log = memoryLogger();
  now = Date.UTC(2025, 0, 1, 12);
});

describe("liquidity monitor: decisions", () => {
  it("does nothing without a rebalance-policy in force on-chain", async () => {
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    const m = monitor();
    await m.round();
    expect(decisions(m)).toEqual({ "*": "no-policy" });
    expect(loop.log.count("loopOut")).toBe(0);
  });

  it("publishes the policy's budget, what it has left, and its rules within and below the band", async () => {
    ledger.setPolicy(7n, policy());
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    lnd.channel(2, PEER_B, 5_000_000n, 5_000_000n);
    lnd.channel(3, PEER_B, 1_000_000n, 9_000_000n);
    const metrics = {
      decisions: new Counter("decisions", ""),
      budgetLeft: new Gauge("budget_left", ""),
      budget: new Gauge("budget", ""),
      rules: new Gauge("rules", ""),
    };
    const m = monitor({ metrics });
    await m.round();
    expect(decisions(m)).toEqual({
      "channel:701x1x0": "loop-out",
      "channel:702x1x0": "liquidity-ok",
      "channel:703x1x0": "budget-spent",
    });
    const p = { policy: "7" };
    expect([metrics.budget.get(p), metrics.budgetLeft.get(p)]).toEqual([3_000_000n, 3_000_000n]);
    expect([metrics.rules.get({ state: "below" }), metrics.rules.get({ state: "within" })]).toEqual([2, 1]);
  });

  it("inbound under threshold: Loop Out, labelled, via that channel, fee-capped, report-autonomous", async () => {
    ledger.setPolicy(7n, policy());
    const channel = lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    lnd.channel(2, PEER_B, 5_000_000n, 5_000_000n);
    const m = monitor();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "loop-out", "channel:702x1x0": "liquidity-ok" });
    expect(loop.swaps).toHaveLength(1);
    const swap = loop.swaps[0]!;
    expect(swap.label).toBe("lvdao:auto:7:1");
    expect(swap.amountSats).toBe(3_000_000n);
    expect(swap.request).toMatchObject({ outgoingChanIds: [channel.chanId], maxTotalFeeSats: 15_000n });
    expect((swap.request as { dest: string }).dest).toMatch(/^bcrt1q/);
    expect(ledger.autonomous).toEqual([
      { policyId: 7n, kind: "loop-out", amount: 3_000_000n, evidence: swap.swapHash },
    ]);
  });

  it("leaves a rule alone while its swap is in flight; swaps again once it settled and budget remains", async () => {
    ledger.setPolicy(7n, policy({ budgetSats: 10_000_000n }));
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    const m = monitor();
    await m.round();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "rule-in-flight" });
    loop.settleAll();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "loop-out" });
    expect(loop.swaps.map((s) => s.label)).toEqual(["lvdao:auto:7:1", "lvdao:auto:7:2"]);
  });

  it("stops at the period's budget (budget-spent) and starts again in the next period", async () => {
    ledger.setPolicy(7n, policy({ budgetSats: 3_000_000n }));
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    const m = monitor();
    await m.round();
    loop.settleAll();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "budget-spent" });
    ledger.burnHeight += 144;
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "loop-out" });
    expect(ledger.autonomous).toHaveLength(2);
  });

  it("refuses a swap whose quote is over max-swap-fee-ppm (fees-too-high) without calling loopd's swap", async () => {
    ledger.setPolicy(7n, policy({ maxSwapFeePpm: 1_000n }));
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    loop.feeFor = (amount) => amount / 500n;
    const m = monitor();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "fees-too-high" });
    expect(loop.log.count("loopOut")).toBe(0);
    expect(ledger.autonomous).toHaveLength(0);
  });

  it("keeps to max-in-flight across rules (in-flight), largest shortfall first", async () => {
    ledger.setPolicy(7n, policy({ maxInFlight: 1n, budgetSats: 20_000_000n }));
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    lnd.channel(2, PEER_B, 9_500_000n, 500_000n);
    const m = monitor();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:702x1x0": "loop-out", "channel:701x1x0": "in-flight" });
  });

  it("with peers listed, judges each peer over all its channels and ignores other peers", async () => {
    ledger.setPolicy(7n, policy({ peers: [PEER_A], budgetSats: 20_000_000n }));
    lnd.channel(1, PEER_A, 4_000_000n, 1_000_000n);
    lnd.channel(2, PEER_A, 5_000_000n, 0n);
    lnd.channel(3, PEER_B, 10_000_000n, 0n);
    const m = monitor();
    await m.round();
    expect(decisions(m)).toEqual({ [`peer:${PEER_A}`]: "loop-out" });
    expect((loop.swaps[0]!.request as { outgoingChanIds: string[] }).outgoingChanIds).toEqual(["701x1x0", "702x1x0"]);
  });

  it("loops in with the peer as last hop when outbound falls below its threshold", async () => {
    ledger.setPolicy(7n, policy());
    lnd.channel(1, PEER_B, 1_000_000n, 9_000_000n);
    const m = monitor();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "loop-in" });
    expect(loop.swaps[0]!.request).toMatchObject({ lastHop: PEER_B, label: "lvdao:auto:7:1" });
    expect(ledger.autonomous[0]).toMatchObject({ kind: "loop-in" });
  });

  it("keeps under the operator's daily cap on autonomous swaps (operator-limit)", async () => {
    ledger.setPolicy(7n, policy({ budgetSats: 20_000_000n }));
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
    const m = monitor({ perDay: 3_100_000n });
    await m.round();
    loop.settleAll();
    await m.round();
    expect(decisions(m)).toEqual({ "channel:701x1x0": "operator-limit" });
    expect(loop.swaps).toHaveLength(1);
  });
});

describe("liquidity monitor: exactly once across crashes", () => {
  beforeEach(() => {
    ledger.setPolicy(7n, policy());
    lnd.channel(1, PEER_A, 9_000_000n, 1_000_000n);
  });

  it("loopd started the swap, its answer lost: the restarted monitor finds it by label, records it once", async () => {
    loop.loseNextAnswer = true;
    await expect(monitor().round()).rejects.toThrow(/timed out/);
    expect(ledger.autonomous).toHaveLength(0);
    const restarted = monitor();
    await restarted.round();
    expect(loop.swaps).toHaveLength(1);
    expect(ledger.autonomous).toHaveLength(1);
    expect(log.lines.some((l) => l.includes("recovered an autonomous swap after a restart"))).toBe(true);
    await restarted.round();
    expect(ledger.autonomous).toHaveLength(1);
  });

  it("died after journaling report-autonomous, before broadcasting: the restart broadcasts that same tx", async () => {
    ledger.dieBeforeBroadcast = true;
    await expect(monitor().round()).rejects.toThrow(/died/);
    expect(ledger.autonomous).toHaveLength(0);
    await monitor().round();
    expect(ledger.autonomous).toHaveLength(1);
    expect(ledger.calls("report-autonomous")).toHaveLength(1);
    expect(ledger.log.count("report-autonomous")).toBe(1);
    expect(loop.swaps).toHaveLength(1);
  });

  it("died after report-autonomous confirmed, before journaling: the restart finds it, records no more", async () => {
    const real = journal;
    const jobs = new Proxy(real.jobs, {
      get: (target, property) =>
        property === "compareAndSet"
          ? async (key: string, expected: string | undefined, next: string) => {
              if (next.includes('"state":"reported"')) throw new Error("killed before journaling the receipt");
              return target.compareAndSet(key, expected, next, now);
            }
          : Reflect.get(target, property),
    });
    journal = { ...real, jobs } as Journal;
    await expect(monitor().round()).rejects.toThrow(/killed/);
    expect(ledger.autonomous).toHaveLength(1);
    journal = real;
    const [job] = await journal.jobs.list("swap:");
    expect(JSON.parse(job!.value)).toMatchObject({ state: "started", tx: { txid: expect.any(String) } });
    await monitor().round();
    expect(ledger.autonomous).toHaveLength(1);
    expect(ledger.log.count("report-autonomous")).toBe(1);
    expect(ledger.log.count("rebroadcast")).toBe(1);
    expect(JSON.parse((await journal.jobs.get(job!.key))!).state).toBe("reported");
  });

  it("died after journaling the intent, before calling loopd: past the grace period, decided afresh", async () => {
    const first = monitor({ graceMs: 60_000 });
    loop.loopOut = async () => {
      throw new Error("killed before the request left");
    };
    await expect(first.round()).rejects.toThrow(/killed/);
    loop = new FakeLoop();
    await monitor({ graceMs: 60_000 }).round();
    expect(loop.swaps).toHaveLength(0);
    now += 61_000;
    const m = monitor({ graceMs: 60_000 });
    await m.round();
    expect(loop.swaps.map((s) => s.label)).toEqual(["lvdao:auto:7:2"]);
    expect(ledger.autonomous).toHaveLength(1);
    const states = (await journal.jobs.list("swap:")).map((v) => JSON.parse(v.value).state);
    expect(states).toEqual(["abandoned", "reported"]);
  });
});
