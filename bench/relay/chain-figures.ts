// The relay's figures against the node emulation and the lnd simulator:
//   processing  per action, the relay's own work (Executor.onTiming: wall time minus every daemon and chain wait)
//   throughput  N fee-policy actions queued at once (one contract-proposal) and drained to confirmed receipts with
//               1 s Stacks blocks, by a relay with several actions in flight (executor.max_in_flight)
//   end-to-end  one fee-policy from queued and due to its report-success confirmed, with 1 s Stacks blocks
// Baselines, measured in the same run: one journal write plus one lnd round trip (processing); the same relay and
// journal draining actions one at a time (max_in_flight = 1; throughput); one relay transaction broadcast and
// confirmed, twice per action, since each action waits for its claim and its receipt (end-to-end).
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

/** Queues `actions` fee-policies with ids from `firstId` and waits until the relay reported them all; the drain's ms. */
async function drainFeePolicies(
  stack: BenchStack,
  relay: RelayRuntime,
  name: string,
  firstId: bigint,
  actions: number,
): Promise<number> {
  progress(`queueing ${actions} fee-policy actions through one passed contract-proposal...`);
  const before = await reportedCount(relay);
  const { queuedAt } = await queueFeePolicies(stack.devnet, name, firstId, actions);
  let lastPrint = performance.now();
  for (;;) {
    const done = (await reportedCount(relay)) - before;
    if (done >= actions) break;
    if (performance.now() - lastPrint > 10_000) {
      const states = Object.entries(await relay.journal.actions.countByState())
        .map(([state, count]) => `${state} ${count}`)
        .join(", ");
      progress(
        `  ${done} of ${actions} reported ` +
          `(${((performance.now() - queuedAt) / 1000).toFixed(0)} s; journal: ${states})`,
      );
      lastPrint = performance.now();
    }
    await new Promise((resume) => setTimeout(resume, 100));
  }
  const drainedMs = performance.now() - queuedAt;
  const failed = (await relay.journal.actions.list({ states: ["reported"], limit: 100_000 })).filter(
    (r) => r.id >= firstId && r.id < firstId + BigInt(actions) && r.outcome !== "success",
  );
  if (failed.length > 0)
    throw new Error(
      `${failed.length} fee-policy actions did not succeed, ` +
        `e.g. #${failed[0]!.id}: ${failed[0]!.lastError ?? failed[0]!.failureDetail}`,
    );
  return drainedMs;
}

/** (a): N fee-policy actions through one relay (50 ms blocks). */
export async function processing(stack: BenchStack, actions: number): Promise<void> {
  const relay = await stack.startRelay(stack.writeConfig("throughput"));
  progress("measuring baselines: journal writes, lnd round trips...");
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
  await drainFeePolicies(stack, relay, "bench-fee-policies", 1_000_000n, actions);
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
}

/** The executor section of a bench relay's config: the stack's defaults with `maxInFlight` actions in flight. */
function executorSection(maxInFlight: number): Record<string, number> {
  return {
    poll_interval_ms: 100,
    retry_backoff_ms: 100,
    max_backoff_ms: 2_000,
    recovery_grace_ms: 0,
    max_in_flight: maxInFlight,
  };
}

/**
 * (c): throughput with 1 s Stacks blocks: `serialActions` fee-policies drained one at a time (max_in_flight = 1),
 * then `actions` more by the same journal with `maxInFlight` in flight, each rate in actions per second.
 */
export async function throughput(actions: number, serialActions: number, maxInFlight: number): Promise<void> {
  const stack = await startBenchStack({ blockTimeMs: 1_000, channels: 10, progress });
  try {
    const journal = { sqlite_path: "throughput.db" };
    progress(`serial baseline: ${serialActions} actions, one at a time...`);
    const serialRelay = await stack.startRelay(stack.writeConfig("serial", { executor: executorSection(1), journal }));
    const serialMs = await drainFeePolicies(stack, serialRelay, "bench-serial", 2_000_000n, serialActions);
    await serialRelay.stop();
    progress(`pipelined: ${actions} actions, ${maxInFlight} in flight...`);
    const relay = await stack.startRelay(
      stack.writeConfig("pipelined", { executor: executorSection(maxInFlight), journal }),
    );
    const pipelinedMs = await drainFeePolicies(stack, relay, "bench-pipelined", 3_000_000n, actions);
    const serialRate = serialActions / (serialMs / 1000);
    const pipelinedRate = actions / (pipelinedMs / 1000);
    console.log(
      `\n(c) throughput: fee-policy actions queued in one transaction, drained to confirmed receipts ` +
        "(node emulation, 1 s blocks)",
    );
    console.log(
      `    serial (max_in_flight 1): ${serialActions} actions in ${(serialMs / 1000).toFixed(1)} s; ` +
        `pipelined (max_in_flight ${maxInFlight}): ${actions} actions in ${(pipelinedMs / 1000).toFixed(1)} s`,
    );
    report({
      name: `drain ${actions} fee-policy actions (total, 1 s blocks)`,
      value: pipelinedMs / 1000,
      unit: "s",
      baselineName: `serial rate x ${actions}`,
      baseline: actions / serialRate,
    });
    report({
      name: `throughput, ${maxInFlight} in flight (1 s blocks)`,
      value: pipelinedRate,
      unit: "actions/s",
      baselineName: `serial (max_in_flight 1, ${serialActions} actions)`,
      baseline: serialRate,
      target: { text: ">= 10x serial", met: pipelinedRate >= 10 * serialRate },
    });
  } finally {
    await stack.stop();
  }
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
