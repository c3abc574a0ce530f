// Builds an executor over an in-memory journal and the fakes, with test-sized limits and timings.
import type { RelayAction } from "../actions.ts";
import type { RelayConfig } from "../config.ts";
import { Executor } from "../executor/executor.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { FakeLnd, FakeLoop, FakeTapd, FakeUniverse, TEST_LV_ASSET } from "./fakes.ts";
import { FakeQueue, testDecoder, testPayload } from "./fake-chain.ts";

export const PEER = `02${"11".repeat(32)}`;
export const OTHER_PEER = `03${"22".repeat(32)}`;

export function testConfig(
  overrides: { limits?: Partial<RelayConfig["limits"]>; executor?: Partial<RelayConfig["executor"]> } = {},
) {
  return {
    limits: {
      maxChannelSats: 5_000_000n,
      maxLoopSats: 1_000_000n,
      peerAllow: [],
      peerDeny: [],
      dailyOnchainBudgetSats: 20_000_000n,
      ...overrides.limits,
    },
    executor: {
      pollIntervalMs: 10,
      retryBackoffMs: 10,
      maxBackoffMs: 100,
      leaseMarginBlocks: 1,
      recoveryGraceMs: 0,
      daemonTimeoutMs: 2_000,
      maxCloseFeeRate: 50n,
      maxInFlight: 1,
      ...overrides.executor,
    },
    lv: { assetId: TEST_LV_ASSET },
    stacks: { txTimeoutMs: 5_000 } as RelayConfig["stacks"],
  };
}

export interface Harness {
  journal: Journal;
  queue: FakeQueue;
  lnd: FakeLnd;
  loop: FakeLoop;
  tapd: { reserve: FakeTapd; operations: FakeTapd };
  executor: Executor;
  metrics: RelayMetrics;
  log: ReturnType<typeof memoryLogger>;
  clock: { now: number };
  /** queues the action on the fake chain and records it as seen, like the watcher would */
  queueAction(id: bigint, action: RelayAction, window?: { eta?: number; expires?: number }): Promise<void>;
  /** a new executor over the same journal and daemons: a relay restarted after a crash */
  restart(overrides?: Parameters<typeof testConfig>[0]): Executor;
  drainUntilSettled(rounds?: number): Promise<void>;
}

export async function harness(
  overrides: Parameters<typeof testConfig>[0] & { dryRun?: boolean } = {},
): Promise<Harness> {
  const journal = await openSqliteJournal(":memory:");
  const queue = new FakeQueue();
  const lnd = new FakeLnd();
  const loop = new FakeLoop();
  const universe = new FakeUniverse();
  const tapd = { reserve: new FakeTapd("reserve", universe), operations: new FakeTapd("operations", universe) };
  const metrics = new RelayMetrics();
  const log = memoryLogger();
  const clock = { now: 1_700_000_000_000 };
  const make = (o: Parameters<typeof testConfig>[0] & { dryRun?: boolean } = overrides) =>
    new Executor({
      journal,
      queue,
      daemons: { lnd, loop, tapd },
      decode: testDecoder,
      config: testConfig(o),
      log,
      metrics,
      owner: "test-relay",
      dryRun: o.dryRun ?? false,
      now: () => clock.now,
    });
  const h: Harness = {
    journal,
    queue,
    lnd,
    loop,
    tapd,
    executor: make(),
    metrics,
    log,
    clock,
    async queueAction(id, action, window) {
      const payload = testPayload(action);
      queue.queueAction(id, action, Buffer.from(payload, "hex"), window);
      const a = queue.actions.get(id)!;
      await journal.actions.insertSeen(
        { id, kind: action.kind, payloadHex: payload, eta: a.eta, expires: a.expires, attempt: 0 },
        clock.now,
      );
    },
    restart(o) {
      h.executor = make({ ...overrides, ...o });
      return h.executor;
    },
    async drainUntilSettled(rounds = 20) {
      for (let i = 0; i < rounds; i++) {
        await h.executor.drain();
        clock.now += 1_000;
      }
    },
  };
  return h;
}
