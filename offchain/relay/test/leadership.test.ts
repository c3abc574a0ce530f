// The leadership lease and its fence (ha/leadership.ts, ha/fence.ts) on a real journal's job table with a clock the
// test moves: one leader at a time, the fence shut strictly before another relay may take the lease, a daemon call
// past the fence refused before it reaches the daemon, and the fenced relay back on standby.
import { afterEach, beforeEach, expect, it } from "vitest";
import { fenceDaemons, FencedError } from "../ha/fence.ts";
import { Leadership } from "../ha/leadership.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal, JobTable } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { FakeLnd } from "./fakes.ts";

const LEASE = 3_000;
const MARGIN = 600;
let journal: Journal;
let now = 1_000_000;
const relays: Leadership[] = [];

beforeEach(async () => {
  journal = await openSqliteJournal(":memory:");
  now = 1_000_000;
});
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop();
  await journal.close();
});

function relay(name: string, table: JobTable = journal.jobs, startUp: () => Promise<void> = async () => undefined) {
  const events: string[] = [];
  const leadership = new Leadership({
    table,
    instance: name,
    leaseMs: LEASE,
    fenceMarginMs: MARGIN,
    log: memoryLogger(),
    now: () => now,
    onElected: async () => {
      events.push("elected");
      await startUp();
    },
    onDeposed: async () => void events.push("deposed"),
  });
  relays.push(leadership);
  return { leadership, events };
}

/** Runs one renewal attempt now: what the poll timer does every lease/3 once started (no timer here). */
const attempt = async (l: Leadership) => {
  const inside = l as unknown as { running: boolean; attempt(): Promise<void> };
  inside.running = true;
  await inside.attempt();
  await l.settled();
};

it("one leader: a second relay stands by until the lease ran out, and never while the first is unfenced", async () => {
  const a = relay("a");
  const b = relay("b");
  await attempt(a.leadership);
  await attempt(b.leadership);
  expect([a.leadership.current, b.leadership.current]).toEqual(["leader", "standby"]);
  expect(a.events).toEqual(["elected"]);

  // a goes silent (dies or is cut). Up to its fence it may act; b cannot take the lease before the lease ran out.
  for (const t of [1_000, LEASE - MARGIN - 1]) {
    now = 1_000_000 + t;
    await attempt(b.leadership);
    expect(b.leadership.current).toBe("standby");
    expect(a.leadership.fenced()).toBe(false);
  }
  now = 1_000_000 + LEASE - MARGIN;
  expect(a.leadership.fenced()).toBe(true);
  now = 1_000_000 + LEASE - 1;
  await attempt(b.leadership);
  expect(b.leadership.current).toBe("standby");
  now = 1_000_000 + LEASE;
  await attempt(b.leadership);
  expect(b.leadership.current).toBe("leader");
  expect(b.leadership.fenced()).toBe(false);

  // a comes back: the lease is b's, so a drops to standby.
  await attempt(a.leadership);
  expect(a.leadership.current).toBe("standby");
  expect(a.events).toEqual(["elected", "deposed"]);
});

it("a renewal that fails leaves the leader acting until its fence, then it stands by", async () => {
  let cut = false;
  const table: JobTable = new Proxy(journal.jobs, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        cut ? Promise.reject(new Error("connection terminated")) : value.apply(target, args);
    },
  });
  const a = relay("a", table);
  await attempt(a.leadership);
  cut = true;
  now += LEASE / 3;
  await attempt(a.leadership);
  expect(a.leadership.current).toBe("leader");
  now = 1_000_000 + LEASE - MARGIN;
  await attempt(a.leadership);
  expect(a.leadership.current).toBe("standby");
  expect(a.events).toEqual(["elected", "deposed"]);
});

it("a daemon call past the fence throws FencedError, never reaches the daemon, and deposes the relay", async () => {
  const lnd = new FakeLnd();
  const a = relay("a");
  const daemons = fenceDaemons(
    { lnd, loop: undefined, tapd: {} },
    { fenced: () => a.leadership.fenced(), onFenced: (call) => void a.leadership.depose(call) },
  );
  await expect(daemons.lnd!.addTower({ pubkey: "02ab", host: "10.0.0.1:9911" })).rejects.toBeInstanceOf(FencedError);
  await attempt(a.leadership);
  await daemons.lnd!.addTower({ pubkey: `02${"ab".repeat(32)}`, host: "10.0.0.1:9911" });
  expect(lnd.log.count("addTower")).toBe(1);

  now += LEASE - MARGIN;
  const refused = daemons.lnd!.addTower({ pubkey: `02${"cd".repeat(32)}`, host: "10.0.0.2:9911" });
  await expect(refused).rejects.toThrow(/fenced: lnd.addTower refused/);
  expect(lnd.log.count("addTower")).toBe(1);
  await a.leadership.stop();
  expect(a.leadership.current).toBe("standby");
  expect(a.events).toEqual(["elected", "deposed"]);
});

it("a clean stop hands the lease back: another relay leads at once", async () => {
  const a = relay("a");
  const b = relay("b");
  await attempt(a.leadership);
  await a.leadership.stop();
  await attempt(b.leadership);
  expect(b.leadership.current).toBe("leader");
});

it("a slow start-up as leader (recover() waiting on daemons) does not hold back its renewals", async () => {
  let finish: () => void = () => undefined;
  const a = relay("a", journal.jobs, () => new Promise<void>((done) => (finish = done)));
  const inside = a.leadership as unknown as { running: boolean; attempt(): Promise<void> };
  inside.running = true;
  await inside.attempt();
  expect(a.leadership.current).toBe("leader");
  for (let i = 1; i <= 6; i++) {
    now = 1_000_000 + (i * LEASE) / 3;
    await inside.attempt();
    expect(a.leadership.fenced(), `renewal ${i}`).toBe(false);
  }
  finish();
  await a.leadership.settled();
  expect(a.events).toEqual(["elected"]);
});
