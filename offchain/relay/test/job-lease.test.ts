// The executor's journal lease on a job it is running: relays sharing a journal skip a job another one holds, and
// the holder renews the lease while a step runs, so a step longer than the lease (a daemon call or a confirmation
// that takes long) is never taken over by a second relay that would act on it again.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { Executor } from "../executor/executor.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { FakeLnd } from "./fakes.ts";
import { FakeQueue, testDecoder, testPayload } from "./fake-chain.ts";
import { testConfig } from "./harness.ts";

const LEASE_MS = 150;
const tower: RelayAction = {
  kind: "watchtower",
  payload: { add: true, pubkey: `02${"33".repeat(32)}`, host: "10.0.0.1:9911" },
};

/** An lnd whose addTower answers only when the test lets it, like a daemon call that takes long. */
class SlowLnd extends FakeLnd {
  private release: () => void = () => undefined;
  readonly answered = new Promise<void>((done) => (this.release = done));
  entered = false;
  answer(): void {
    this.release();
  }
  override async addTower(request: { pubkey: string; host: string }): Promise<void> {
    this.entered = true;
    await this.answered;
    return super.addTower(request);
  }
}

async function queued(journal: Journal, queue: FakeQueue): Promise<void> {
  const payload = testPayload(tower);
  queue.queueAction(1n, tower, Buffer.from(payload, "hex"));
  await journal.actions.insertSeen(
    { id: 1n, kind: tower.kind, payloadHex: payload, eta: 0, expires: 10_000, attempt: 0 },
    Date.now(),
  );
}

const relayNamed = (owner: string, journal: Journal, queue: FakeQueue, lnd: FakeLnd, log = memoryLogger()) =>
  new Executor({
    journal,
    queue,
    daemons: { lnd, loop: undefined, tapd: {} },
    decode: testDecoder,
    config: testConfig(),
    log,
    metrics: new RelayMetrics(),
    owner,
    jobLeaseMs: LEASE_MS,
  });

const until = async (probe: () => boolean) => {
  while (!probe()) await new Promise((r) => setTimeout(r, 5));
};

describe("executor: journal job leases", () => {
  it("a step running 4x the lease keeps it: a second relay finds nothing due, and lnd is called once", async () => {
    const journal = await openSqliteJournal(":memory:");
    const queue = new FakeQueue();
    const lnd = new SlowLnd();
    const logA = memoryLogger();
    await queued(journal, queue);
    const running = relayNamed("relay-a", journal, queue, lnd, logA).step();
    await until(() => lnd.entered);
    await new Promise((r) => setTimeout(r, 4 * LEASE_MS));
    const row = await journal.actions.get(1n);
    expect(row).toMatchObject({ owner: "relay-a", state: "executing" });
    expect(row!.leaseUntil).toBeGreaterThan(Date.now());
    expect(await relayNamed("relay-b", journal, queue, lnd).step()).toBe(false);
    lnd.answer();
    expect(await running).toBe(true);
    expect(await journal.actions.get(1n)).toMatchObject({ state: "reported", owner: null, leaseUntil: 0 });
    expect(lnd.log.count("addTower")).toBe(1);
    expect(queue.log.count("reportSuccess")).toBe(1);
    expect(logA.lines.join("\n")).not.toContain("lost the journal lease");
    await journal.close();
  });
});
