// The relay's figures against the node emulation and the lnd simulator:
//   processing  per action, the relay's own work (Executor.onTiming: wall time minus every daemon and chain wait)
//   throughput  N fee-policy actions queued at once (one contract-proposal) and drained to confirmed receipts
//   end-to-end  one fee-policy from queued and due to its report-success confirmed, with 1 s Stacks blocks
// Baselines, measured in the same run: one journal write plus one lnd round trip (processing); one relay transaction
// broadcast and confirmed, twice per action, since each action waits for its claim and its receipt (throughput and
// end-to-end).
import { join } from "node:path";
import { Cl } from "@stacks/transactions";
import { getWalletInfo } from "lightning";
import { openSqliteJournal } from "../../offchain/relay/journal/sqlite.ts";
import type { RelayRuntime } from "../../offchain/relay/start.ts";
import { DEPLOYER, passAction } from "../../offchain/devnet/governance.ts";
import { progress, quantile, report, sample } from "./figures.ts";
import { feePolicyPayload, queueFeePolicies, startBenchStack, type BenchStack } from "./stack.ts";

interface ActionTiming {
  processingMs: number;
  wallMs: number;
  waitedByDaemonMs: Record<string, number>;
  steps: number;
}

/** Sums each action's steps, as the executor reports them. */
function collectTimings(relay: RelayRuntime): Map<bigint, ActionTiming> {
  const byAction = new Map<bigint, ActionTiming>();
  relay.executor.onTiming.add((t) => {
    const a = byAction.get(t.id) ?? { processingMs: 0, wallMs: 0, waitedByDaemonMs: {}, steps: 0 };
    a.processingMs += t.processingMs;
    a.wallMs += t.wallMs;
    a.steps += 1;
    for (const [daemon, ms] of Object.entries(t.waitedByDaemonMs))
      a.waitedByDaemonMs[daemon] = (a.waitedByDaemonMs[daemon] ?? 0) + ms;
    byAction.set(t.id, a);
  });
  return byAction;
}

/** One relay transaction (a claim of an action that does not exist: mined, refused) broadcast and confirmed. */
async function chainRoundTrips(relay: RelayRuntime, times: number): Promise<number[]> {
  return sample(
    times,
    async () =>
      relay.stacks.waitForTx(await relay.stacks.call(`${DEPLOYER}.execution-queue`, "claim", [Cl.uint(999_999_999n)])),
    1,
  );
}

async function reportedCount(relay: RelayRuntime): Promise<number> {
  return (await relay.journal.actions.countByState()).reported ?? 0;
}

/** (a) and (c): N fee-policy actions through one relay; the stack stays up for the liquidity scan. */
export async function processingAndThroughput(stack: BenchStack, actions: number): Promise<void> {
  const relay = await stack.startRelay(stack.writeConfig("throughput"));
  progress("measuring baselines: relay transaction round trips, journal writes, lnd round trips...");
  const roundTrip = quantile(await chainRoundTrips(relay, 10), 0.5);
  const journal = await openSqliteJournal(join(stack.dir, "baseline.db"));
  await journal.actions.insertSeen(
    {
      id: 1n,
      kind: "fee-policy",
      payloadHex: Buffer.from(feePolicyPayload(200n)).toString("hex"),
      eta: 0,
      expires: 1,
      attempt: 0,
    },
    Date.now(),
  );
  let counter = 0;
  const journalWrites = await sample(200, () => journal.actions.patch(1n, { retryAt: ++counter }, Date.now()));
  await journal.close();
  const lndRoundTrips = await sample(200, () => getWalletInfo({ lnd: stack.sim.lnd.dao }));
  const floor = quantile(journalWrites, 0.5) + quantile(lndRoundTrips, 0.5);

  const timings = collectTimings(relay);
  progress(`queueing ${actions} fee-policy actions through one passed contract-proposal...`);
  const before = await reportedCount(relay);
  const { queuedAt } = await queueFeePolicies(stack.devnet, "bench-fee-policies", 1_000_000n, actions);
  let lastPrint = performance.now();
  for (;;) {
    const done = (await reportedCount(relay)) - before;
    if (done >= actions) break;
    if (performance.now() - lastPrint > 10_000) {
      progress(`  ${done} of ${actions} reported (${((performance.now() - queuedAt) / 1000).toFixed(0)} s)`);
      lastPrint = performance.now();
    }
    await new Promise((resume) => setTimeout(resume, 100));
  }
  const drainedMs = performance.now() - queuedAt;
  const failed = (await relay.journal.actions.list({ states: ["reported"], limit: 100_000 })).filter(
    (r) => r.id >= 1_000_000n && r.outcome !== "success",
  );
  if (failed.length > 0)
    throw new Error(
      `${failed.length} fee-policy actions did not succeed, ` +
        `e.g. #${failed[0]!.id}: ${failed[0]!.lastError ?? failed[0]!.failureDetail}`,
    );
  const ours = [...timings.entries()].filter(([id]) => id >= 1_000_000n).map(([, t]) => t);
  if (ours.length !== actions) throw new Error(`expected step timings for ${actions} actions, got ${ours.length}`);

  const processing = ours.map((t) => t.processingMs);
  const mean = (pick: (t: ActionTiming) => number) => ours.reduce((sum, t) => sum + pick(t), 0) / ours.length;
  console.log(
    "\n(a) the relay's own processing per action: " +
      `${actions} fee-policy actions on every channel of the simulated dao node`,
  );
  console.log(
    `    per action on average: ${mean((t) => t.steps).toFixed(2)} steps, ` +
      `wall ${mean((t) => t.wallMs).toFixed(1)} ms = processing ${mean((t) => t.processingMs).toFixed(2)} ms`,
  );
  console.log(
    `    + waiting for Stacks ${mean((t) => t.waitedByDaemonMs.stacks ?? 0).toFixed(1)} ms + waiting for lnd ` +
      `${mean((t) => t.waitedByDaemonMs.lnd ?? 0).toFixed(2)} ms`,
  );
  const baselineName = "journal write + lnd GetInfo round trip (p50)";
  report({
    name: "processing per action p50",
    value: quantile(processing, 0.5),
    unit: "ms",
    baselineName,
    baseline: floor,
    target: { text: "<= 50 ms", met: quantile(processing, 0.5) <= 50 },
  });
  report({
    name: "processing per action p95",
    value: quantile(processing, 0.95),
    unit: "ms",
    baselineName,
    baseline: floor,
  });

  const perSecond = actions / (drainedMs / 1000);
  const floorSeconds = (actions * 2 * roundTrip) / 1000;
  console.log(
    `\n(c) throughput: ${actions} fee-policy actions queued in one transaction, ` +
      "drained to confirmed receipts (node emulation, 50 ms blocks)",
  );
  console.log(
    `    relay transaction round trip p50 ${roundTrip.toFixed(0)} ms; each action waits for two (claim, receipt), ` +
      "one action at a time",
  );
  report({
    name: `drain ${actions} fee-policy actions (total)`,
    value: drainedMs / 1000,
    unit: "s",
    baselineName: "2 relay tx round trips per action",
    baseline: floorSeconds,
  });
  report({
    name: "throughput",
    value: perSecond,
    unit: "actions/s",
    baselineName: "1 / (2 tx round trips)",
    baseline: actions / floorSeconds,
  });
}

/** (b): end to end with 1 s Stacks blocks, over `count` fee-policies passed by vote one after another. */
export async function endToEnd(count: number): Promise<void> {
  const stack = await startBenchStack({ blockTimeMs: 1_000, channels: 10, progress });
  try {
    const relay = await stack.startRelay(stack.writeConfig("end-to-end"));
    progress("measuring the baseline: relay transaction round trips with 1 s blocks...");
    const roundTrip = quantile(await chainRoundTrips(relay, 6), 0.5);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      progress(`  fee-policy ${i + 1} of ${count}: propose, vote, conclude...`);
      const id = await passAction(
        stack.devnet,
        "fee-policy",
        feePolicyPayload(BigInt(100 + i)),
        `bench fee-policy ${i + 1}`,
      );
      const due = performance.now();
      for (;;) {
        const row = await relay.journal.actions.get(id);
        if (row?.state === "reported") {
          if (row.outcome !== "success")
            throw new Error(`fee-policy #${id} failed: ${row.failureDetail ?? row.lastError}`);
          break;
        }
        await new Promise((resume) => setTimeout(resume, 20));
      }
      times.push(performance.now() - due);
    }
    console.log(
      `\n(b) end to end: ${count} fee-policy actions, ` +
        "from queued and due to report-success confirmed (node emulation, 1 s blocks)",
    );
    console.log(`    ${times.map((t) => (t / 1000).toFixed(2)).join(", ")} s`);
    const baselineName = "2 relay tx round trips (p50)";
    report({
      name: "end-to-end p50 (1 s blocks)",
      value: quantile(times, 0.5) / 1000,
      unit: "s",
      baselineName,
      baseline: (2 * roundTrip) / 1000,
    });
    report({
      name: "end-to-end p95 (1 s blocks)",
      value: quantile(times, 0.95) / 1000,
      unit: "s",
      baselineName,
      baseline: (2 * roundTrip) / 1000,
    });
  } finally {
    await stack.stop();
  }
}
