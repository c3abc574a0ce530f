// The processing time the relay reports (lvdao_relay_processing_seconds, Executor.onTiming) must leave out the time
// spent waiting for daemons and for Stacks confirmations: the benchmark's per-action figure rests on it. The fake lnd
// and the fake chain here answer only after a set delay, so those waits are known lower bounds.
import { describe, expect, it } from "vitest";
import type { StepTiming } from "../executor/executor.ts";
import { harness, PEER } from "./harness.ts";

const LND_DELAY_MS = 120;
const CONFIRMATION_DELAY_MS = 80;
const sleep = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

describe("executor step timing", () => {
  it("a fee-policy's daemon and confirmation waits are counted as waits, not as the relay's processing", async () => {
    const h = await harness();
    h.lnd.addChannel(PEER, 1_000_000n);
    const applyPolicy = h.lnd.applyPolicy.bind(h.lnd);
    h.lnd.applyPolicy = async (request) => {
      await sleep(LND_DELAY_MS);
      return applyPolicy(request);
    };
    const waitForTx = h.queue.waitForTx.bind(h.queue);
    h.queue.waitForTx = async (txid) => {
      await sleep(CONFIRMATION_DELAY_MS);
      return waitForTx(txid);
    };
    const timings: StepTiming[] = [];
    h.executor.onTiming.add((t) => timings.push(t));
    await h.queueAction(7n, {
      kind: "fee-policy",
      payload: {
        target: null,
        baseFeeMsat: 1n,
        feePpm: 10n,
        inboundBaseDiscountMsat: 0n,
        inboundPpmDiscount: 0n,
        cltvDelta: 40n,
      },
    });

    await h.drainUntilSettled(3);

    expect((await h.journal.actions.get(7n))?.state).toBe("reported");
    expect(timings.map((t) => [t.id, t.from, t.to])).toEqual([[7n, "seen", "reported"]]);
    const [step] = timings as [StepTiming];
    expect(step.waitedByDaemonMs.lnd).toBeGreaterThanOrEqual(LND_DELAY_MS - 1);
    // claim and receipt each wait for a confirmation
    expect(step.waitedByDaemonMs.stacks).toBeGreaterThanOrEqual(2 * CONFIRMATION_DELAY_MS - 1);
    const waited = Object.values(step.waitedByDaemonMs).reduce((a, b) => a + b, 0);
    expect(step.processingMs).toBeCloseTo(step.wallMs - waited, 6);
    expect(step.processingMs).toBeLessThan(step.wallMs - LND_DELAY_MS - 2 * CONFIRMATION_DELAY_MS + 1);
    // the histogram observed the same figure
    const rendered = h.metrics.registry.render();
    expect(rendered).toContain(`lvdao_relay_processing_seconds_sum{kind="fee-policy"} ${step.processingMs / 1000}`);
  });

  it("a poll that finds no due job reports no timing", async () => {
    const h = await harness();
    const timings: StepTiming[] = [];
    h.executor.onTiming.add((t) => timings.push(t));
    expect(await h.executor.step()).toBe(false);
    expect(timings).toEqual([]);
    expect(h.metrics.processingSeconds.count({ kind: "fee-policy" })).toBe(0);
  });
});
