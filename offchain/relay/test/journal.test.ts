// The journal's contract, run against both backends: SQLite in a temp file and a real PostgreSQL server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteJournal } from "../journal/sqlite.ts";
import {
  IllegalTransition,
  JOURNAL_STATES,
  JournalConflict,
  TRANSITIONS,
  type Journal,
  type JournalState,
  type NewAction,
} from "../journal/types.ts";
import { freshPostgresJournal, startTestPostgres, type TestPostgres } from "./postgres.ts";

let postgres: TestPostgres;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-journal-"));
  postgres = await startTestPostgres();
});
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let fresh = 0;
const backends: [string, () => Promise<Journal>][] = [
  ["sqlite", () => openSqliteJournal(join(dir, `journal-${++fresh}.db`))],
  ["postgres", () => freshPostgresJournal(postgres, "journal")],
];

const action = (id: bigint, overrides: Partial<NewAction> = {}): NewAction => ({
  id,
  kind: "channel-open",
  payloadHex: "0c00",
  eta: 10,
  expires: 100,
  attempt: 0,
  ...overrides,
});

describe.each(backends)("journal on %s", (_name, open) => {
  it("records an action once and keeps the first copy", async () => {
    const journal = await open();
    expect(await journal.actions.insertSeen(action(1n), 1000)).toBe(true);
    expect(await journal.actions.insertSeen(action(1n, { kind: "loop-out" }), 2000)).toBe(false);
    const row = await journal.actions.get(1n);
    expect(row).toMatchObject({ id: 1n, kind: "channel-open", state: "seen", attempt: 0, createdAt: 1000 });
    await journal.close();
  });

  it("moves through the states by compare-and-set and keeps the history", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(7n), 1);
    await journal.actions.move(7n, "seen", "claimed", { claimExpires: 16, claimTxid: "aa" }, 2);
    await journal.actions.move(7n, "claimed", "executing", { executingAt: 3 }, 3, "open channel");
    await journal.actions.patch(7n, { daemonRef: "ff:1" }, 4);
    await journal.actions.move(7n, "executing", "done", { outcome: "success", evidenceHex: "ab" }, 5);
    await expect(journal.actions.move(7n, "executing", "done", {}, 6)).rejects.toThrow(JournalConflict);
    const row = await journal.actions.get(7n);
    expect(row).toMatchObject({
      state: "done",
      daemonRef: "ff:1",
      outcome: "success",
      evidenceHex: "ab",
      claimExpires: 16,
    });
    expect((await journal.actions.history(7n)).map((t) => `${t.from}>${t.to}`)).toEqual([
      "null>seen",
      "seen>claimed",
      "claimed>executing",
      "executing>done",
    ]);
    await journal.close();
  });

  it("refuses a move TRANSITIONS does not list, before writing anything", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(4n), 1);
    await expect(journal.actions.move(4n, "seen", "executing", { executingAt: 2 }, 2)).rejects.toThrow(
      IllegalTransition,
    );
    expect(await journal.actions.get(4n)).toMatchObject({ state: "seen", executingAt: null });
    expect(await journal.actions.history(4n)).toHaveLength(1);
    await journal.close();
  });

  it("closes with the reason, and a requeue clears everything the previous attempt wrote", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(5n), 1);
    await journal.actions.move(5n, "seen", "claimed", { claimTxid: "aa", claimExpires: 20 }, 2);
    await journal.actions.move(
      5n,
      "claimed",
      "done",
      { outcome: "failure", failureCode: 503, failureRetryable: true, failureDetail: "down", errorCount: 3 },
      3,
    );
    await journal.actions.patch(5n, { reportTxid: "bb" }, 4);
    const requeued = await journal.actions.requeue(
      5n,
      "done",
      { attempt: 1, retryAt: 99 },
      5,
      "requeued after retryable failure 503",
    );
    expect(requeued).toMatchObject({
      state: "seen",
      attempt: 1,
      retryAt: 99,
      claimTxid: null,
      claimExpires: null,
      reportTxid: null,
      outcome: null,
      failureCode: null,
      failureRetryable: null,
      failureDetail: null,
      errorCount: 0,
    });
    const closed = await journal.actions.close(5n, "seen", "expired", 6);
    expect(closed).toMatchObject({ state: "closed", closedReason: "expired" });
    expect((await journal.actions.history(5n)).map((t) => [t.to, t.detail])).toEqual([
      ["seen", "attempt 0"],
      ["claimed", null],
      ["done", null],
      ["seen", "requeued after retryable failure 503"],
      ["closed", "expired"],
    ]);
    await journal.close();
  });

  it("finds the newest action of a kind reported executed", async () => {
    const journal = await open();
    const report = async (id: bigint, outcome: "success" | "failure") => {
      await journal.actions.insertSeen(action(id, { kind: "rebalance-policy" }), 1);
      await journal.actions.move(id, "seen", "claimed", {}, 1);
      await journal.actions.move(id, "claimed", "executing", {}, 1);
      await journal.actions.move(id, "executing", "done", { outcome }, 1);
      await journal.actions.move(id, "done", "reported", {}, 1);
    };
    expect(await journal.actions.lastExecuted("rebalance-policy")).toBeUndefined();
    await report(9n, "success");
    await report(10n, "success");
    await report(11n, "failure");
    await journal.actions.insertSeen(action(12n, { kind: "rebalance-policy" }), 1);
    await journal.actions.insertSeen(action(13n, { kind: "fee-policy" }), 1);
    expect((await journal.actions.lastExecuted("rebalance-policy"))?.id).toBe(10n);
    await journal.close();
  });

  it("stores booleans, counts and nulls faithfully", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(3n), 1);
    const row = await journal.actions.patch(
      3n,
      { failureRetryable: true, failureCode: 409, lastErrorKind: "permanent", errorCount: 2 },
      2,
    );
    expect(row).toMatchObject({
      failureRetryable: true,
      failureCode: 409,
      lastErrorKind: "permanent",
      errorCount: 2,
      reportTxid: null,
    });
    await journal.close();
  });

  it("hands a due job to one owner at a time and skips terminal rows", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(1n), 1);
    await journal.actions.insertSeen(action(2n), 1);
    await journal.actions.move(1n, "seen", "closed", { closedReason: "expired" }, 2);
    const first = await journal.actions.take("relay-a", 100, 1000);
    expect(first?.id).toBe(2n);
    expect(await journal.actions.take("relay-b", 200, 1000)).toBeUndefined();
    expect((await journal.actions.take("relay-a", 200, 1000))?.id).toBe(2n);
    expect((await journal.actions.take("relay-b", 1201, 1000))?.id).toBe(2n);
    await journal.actions.patch(2n, { retryAt: 5000, owner: null }, 1300);
    expect(await journal.actions.take("relay-b", 1400, 1000)).toBeUndefined();
    await journal.close();
  });

  it("renews a job's lease for its holder only, keeping the job from other relays past the first expiry", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(1n), 1);
    expect((await journal.actions.take("relay-a", 100, 1000))?.id).toBe(1n);
    expect(await journal.actions.renew(1n, "relay-b", 500, 60_000)).toBe(false);
    expect((await journal.actions.get(1n))?.leaseUntil).toBe(1100);
    expect(await journal.actions.renew(1n, "relay-a", 500, 60_000)).toBe(true);
    expect((await journal.actions.get(1n))?.leaseUntil).toBe(60_500);
    expect(await journal.actions.take("relay-b", 1101, 1000)).toBeUndefined();
    await journal.close();
  });

  it("never gives one job to two relays taking at the same moment", async () => {
    const journal = await open();
    for (let i = 1n; i <= 20n; i++) await journal.actions.insertSeen(action(i), 1);
    const taken = await Promise.all(
      Array.from({ length: 20 }, (_, i) => journal.actions.take(`relay-${i}`, 10, 60_000)),
    );
    const ids = taken.map((row) => row?.id).filter((id) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(20);
    await journal.close();
  });

  it("keeps cursors, values, daily spend (once per action) and proposal notes", async () => {
    const journal = await open();
    expect(await journal.cursors.get("logs:execution-queue")).toBeUndefined();
    await journal.cursors.set("logs:execution-queue", "4", 1);
    await journal.cursors.set("logs:execution-queue", "9", 2);
    expect(await journal.cursors.get("logs:execution-queue")).toBe("9");
    await journal.jobs.set("lv-group-key", "02ab", 1);
    expect(await journal.jobs.get("lv-group-key")).toBe("02ab");
    await journal.spend.record(1n, "2026-01-01", 2n ** 60n);
    await journal.spend.record(1n, "2026-01-01", 5n);
    await journal.spend.record(2n, "2026-01-01", 7n);
    await journal.spend.record(3n, "2026-01-02", 11n);
    expect(await journal.spend.spentOn("2026-01-01")).toBe(2n ** 60n + 7n);
    await journal.proposals.note({ id: 5n, kind: "loop-out", verdict: "over-limit", detail: "too big" }, 1);
    expect(await journal.proposals.list(10)).toEqual([
      { id: 5n, kind: "loop-out", verdict: "over-limit", detail: "too big" },
    ]);
    await journal.close();
  });

  it("counts rows by state and by kind and outcome", async () => {
    const journal = await open();
    await journal.actions.insertSeen(action(1n), 1);
    await journal.actions.insertSeen(action(2n, { kind: "fee-policy" }), 1);
    await journal.actions.move(2n, "seen", "claimed", {}, 2);
    await journal.actions.move(2n, "claimed", "done", { outcome: "failure" }, 2);
    expect(await journal.actions.countByState()).toEqual({ seen: 1, done: 1 });
    expect(await journal.actions.countByOutcome()).toEqual([
      { kind: "channel-open", outcome: "seen", count: 1 },
      { kind: "fee-policy", outcome: "failure", count: 1 },
    ]);
    await journal.close();
  });
});

describe("the action journal's transition table", () => {
  const legal: [JournalState, JournalState[]][] = [
    ["seen", ["claimed", "closed"]],
    ["claimed", ["executing", "done", "seen"]],
    ["executing", ["done", "closed"]],
    ["done", ["reported", "seen", "closed"]],
    ["reported", ["seen"]],
    ["closed", ["seen"]],
  ];
  it.each(legal)("from %s the only moves are %j", (from, to) => {
    expect([...TRANSITIONS[from]].sort()).toEqual([...to].sort());
  });

  it("lists every state, and no state moves to itself", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...JOURNAL_STATES].sort());
    for (const state of JOURNAL_STATES) expect(TRANSITIONS[state]).not.toContain(state);
  });
});
