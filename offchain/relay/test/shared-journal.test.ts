// Several relays sharing work through one PostgreSQL journal: each action is taken, executed and reported by exactly
// one of them, even when they drain at the same moment.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Executor } from "../executor/executor.ts";
import { openPostgresJournal } from "../journal/postgres.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { FakeLnd } from "./fakes.ts";
import { FakeQueue, testDecoder, testPayload } from "./fake-chain.ts";
import { testConfig } from "./harness.ts";
import { startTestPostgres, type TestPostgres } from "./postgres.ts";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

it("three relays draining one PostgreSQL journal act on each of 30 actions exactly once", async () => {
  const queue = new FakeQueue();
  const lnd = new FakeLnd();
  const journals = await Promise.all([1, 2, 3].map(() => openPostgresJournal(postgres.url)));
  for (let i = 1n; i <= 30n; i++) {
    const action = {
      kind: "watchtower" as const,
      payload: { add: true, pubkey: `02${i.toString(16).padStart(64, "0")}`, host: `10.0.0.${i}:9911` },
    };
    const payload = testPayload(action);
    queue.queueAction(i, action, Buffer.from(payload, "hex"));
    await journals[0]!.actions.insertSeen(
      { id: i, kind: action.kind, payloadHex: payload, eta: 0, expires: 10_000, attempt: 0 },
      Date.now(),
    );
  }
  const metrics = journals.map(() => new RelayMetrics());
  const executors = journals.map(
    (journal, n) =>
      new Executor({
        journal,
        queue,
        daemons: { lnd, loop: undefined, tapd: {} },
        decode: testDecoder,
        config: testConfig(),
        log: memoryLogger(),
        metrics: metrics[n]!,
        owner: `relay-${n}`,
      }),
  );
  await Promise.all(executors.map((executor) => executor.drain()));
  expect(lnd.towers).toHaveLength(30);
  expect(lnd.log.count("addTower")).toBe(30);
  expect(queue.log.count("claim")).toBe(30);
  expect(queue.log.count("reportSuccess")).toBe(30);
  expect(await journals[0]!.actions.countByState()).toEqual({ reported: 30 });
  // The work was shared, not done by one relay while the others idled.
  expect(metrics.filter((m) => m.processingSeconds.count({ kind: "watchtower" }) > 0).length).toBeGreaterThan(1);
  await Promise.all(journals.map((journal) => journal.close()));
});
