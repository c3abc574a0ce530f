// Crash recovery: the relay dies just before each journal write of channel-open, loop-out and lv-transfer, and a
// restarted relay finishes the action. Each time there is exactly one channel, swap or transfer, and exactly one
// receipt: the restarted relay reconciles with the daemons by the idempotency key before doing anything again.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { Executor } from "../executor/executor.ts";
import { CRASH_POINTS, crashingJournal } from "./crash.ts";
import { testDecoder } from "./fake-chain.ts";
import { harness, PEER, testConfig, type Harness } from "./harness.ts";

interface Flow {
  kind: string;
  setup(h: Harness): void;
  action(h: Harness): RelayAction;
  between(h: Harness): void;
  effects(h: Harness): number;
}

const flows: Flow[] = [
  {
    kind: "channel-open",
    setup: () => undefined,
    action: () => ({
      kind: "channel-open",
      payload: {
        peer: PEER,
        host: "127.0.0.1:9735",
        localSats: 1_000_000n,
        pushSats: 0n,
        private: false,
        baseFeeMsat: 1000n,
        feePpm: 1n,
        cltvDelta: 80n,
      },
    }),
    between: (h) => h.lnd.mine(),
    effects: (h) => h.lnd.channels.filter((c) => c.memo === "lvdao:1").length,
  },
  {
    kind: "loop-out",
    setup: () => undefined,
    action: () => ({
      kind: "loop-out",
      payload: { amountSats: 100_000n, channel: null, dest: "bcrt1qexampleexampleexample", maxFeeSats: 2_000n },
    }),
    between: () => undefined,
    effects: (h) => h.loop.swaps.filter((s) => s.label === "lvdao:1").length,
  },
  {
    kind: "lv-transfer",
    setup: (h) => {
      h.tapd.reserve.balance = 1_000n;
    },
    action: () => ({ kind: "lv-transfer", payload: { from: "reserve", to: "operations", amount: 10n } }),
    between: () => undefined,
    effects: (h) => h.tapd.reserve.transfers.filter((t) => t.label === "lvdao:1").length,
  },
];

const cases = flows.flatMap((flow) =>
  CRASH_POINTS.map((point) => ({ flow, point, title: `${flow.kind}: ${point.name}` })),
);

describe("crash recovery: killed before each journal write, restarted, acted exactly once", () => {
  it.each(cases)("$title", async ({ flow, point }) => {
    const h = await harness();
    flow.setup(h);
    await h.queueAction(1n, flow.action(h));

    const dying = crashingJournal(h.journal, point);
    const first = new Executor({
      journal: dying.journal,
      queue: h.queue,
      daemons: { lnd: h.lnd, loop: h.loop, tapd: h.tapd },
      decode: testDecoder,
      config: testConfig(),
      log: h.log,
      metrics: h.metrics,
      owner: "relay-before-crash",
      now: () => h.clock.now,
    });
    for (let round = 0; round < 6 && !dying.crashed(); round++) {
      await first.drain().catch(() => undefined);
      flow.between(h);
      h.clock.now += 1_000;
    }
    expect(dying.crashed()).toBe(true);

    // The journal lease of the dead process runs out; the restarted relay reconciles, then finishes.
    h.clock.now += 16 * 60_000;
    const restarted = h.restart();
    await restarted.recover();
    for (let round = 0; round < 6; round++) {
      await restarted.drain();
      flow.between(h);
      h.clock.now += 1_000;
    }

    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "reported", outcome: "success" });
    expect(flow.effects(h)).toBe(1);
    expect(h.queue.log.count("reportSuccess")).toBe(1);
    expect(h.queue.actions.get(1n)!.status).toBe("executed");
  });
});

describe("crash recovery: the grace period", () => {
  it("does not act again while an interrupted daemon call may still land, and acts once after it", async () => {
    const h = await harness({ executor: { recoveryGraceMs: 30_000 } });
    await h.queueAction(1n, { kind: "loop-in", payload: { amountSats: 50_000n, lastHop: null, maxFeeSats: 100n } });
    await h.journal.actions.move(1n, "seen", "claimed", { claimExpires: h.queue.burnHeight + 6 }, h.clock.now);
    Object.assign(h.queue.actions.get(1n)!, {
      status: "claimed",
      relay: h.queue.relayAddress,
      claimExpires: h.queue.burnHeight + 6,
    });
    await h.journal.actions.move(1n, "claimed", "executing", { executingAt: h.clock.now }, h.clock.now);
    const restarted = h.restart();
    await restarted.recover();
    await restarted.drain();
    expect(h.loop.log.count("loopIn")).toBe(0);
    expect((await h.journal.actions.get(1n))!.retryAt).toBe(h.clock.now + 30_000);
    h.clock.now += 30_000;
    await restarted.drain();
    expect(h.loop.log.count("loopIn")).toBe(1);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "reported", outcome: "success" });
  });

  it("finds an answer lost to a timeout by its label instead of swapping twice", async () => {
    const h = await harness();
    await h.queueAction(1n, {
      kind: "channel-open",
      payload: {
        peer: PEER,
        host: "127.0.0.1:9735",
        localSats: 1_000_000n,
        pushSats: 0n,
        private: false,
        baseFeeMsat: 1000n,
        feePpm: 1n,
        cltvDelta: 80n,
      },
    });
    h.lnd.loseNextOpenAnswer = true;
    for (let round = 0; round < 5; round++) {
      await h.executor.drain();
      h.lnd.mine();
      h.clock.now += 1_000;
    }
    expect(h.lnd.log.count("openChannel")).toBe(1);
    expect(h.lnd.channels.filter((c) => c.memo === "lvdao:1")).toHaveLength(1);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "reported", outcome: "success" });
  });
});
