// The journal's contract, run against both backends: SQLite in a temp file and a real PostgreSQL server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresJournal } from "../journal/postgres.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import { JournalConflict, type Journal, type NewAction } from "../journal/types.ts";
import { startTestPostgres, type TestPostgres } from "./postgres.ts";

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
  [
    "postgres",
    async () => {
      const pg = (await import("pg")).default;
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      const name = `journal_${++fresh}`;
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return openPostgresJournal(postgres.url.replace(/\/postgres$/, `/${name}`));
    },
  ],
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
    expect(await journal.insertSeen(action(1n), 1000)).toBe(true);
    expect(await journal.insertSeen(action(1n, { kind: "loop-out" }), 2000)).toBe(false);
    const row = await journal.get(1n);
    expect(row).toMatchObject({ id: 1n, kind: "channel-open", state: "seen", attempt: 0, createdAt: 1000 });
    await journal.close();
  });

  it("moves through the states by compare-and-set and keeps the history", async () => {
    const journal = await open();
    await journal.insertSeen(action(7n), 1);
    await journal.transition(7n, "seen", "claimed", { claimExpires: 16, claimTxid: "aa" }, 2);
    await journal.transition(7n, "claimed", "executing", { executingAt: 3 }, 3, "open channel");
    await journal.patch(7n, { daemonRef: "ff:1" }, 4);
    await journal.transition(7n, "executing", "done", { outcome: "success", evidenceHex: "ab" }, 5);
    await expect(journal.transition(7n, "executing", "done", {}, 6)).rejects.toThrow(JournalConflict);
    const row = await journal.get(7n);
    expect(row).toMatchObject({ state: "done", daemonRef: "ff:1", outcome: "success", evidenceHex: "ab", claimExpires: 16 });
    expect((await journal.history(7n)).map((t) => `${t.from}>${t.to}`)).toEqual(["null>seen", "seen>claimed", "claimed>executing", "executing>done"]);
    await journal.close();
  });

  it("stores booleans, counts and nulls faithfully", async () => {
    const journal = await open();
    await journal.insertSeen(action(3n), 1);
    const row = await journal.patch(3n, { failureRetryable: true, failureCode: 409, lastErrorKind: "permanent", errorCount: 2 }, 2);
    expect(row).toMatchObject({ failureRetryable: true, failureCode: 409, lastErrorKind: "permanent", errorCount: 2, reportTxid: null });
    await journal.close();
  });

  it("hands a due job to one owner at a time and skips terminal rows", async () => {
    const journal = await open();
    await journal.insertSeen(action(1n), 1);
    await journal.insertSeen(action(2n), 1);
    await journal.transition(1n, "seen", "closed", { closedReason: "expired" }, 2);
    const first = await journal.takeJob("relay-a", 100, 1000);
    expect(first?.id).toBe(2n);
    expect(await journal.takeJob("relay-b", 200, 1000)).toBeUndefined();
    expect((await journal.takeJob("relay-a", 200, 1000))?.id).toBe(2n);
    expect((await journal.takeJob("relay-b", 1201, 1000))?.id).toBe(2n);
    await journal.patch(2n, { retryAt: 5000, owner: null }, 1300);
    expect(await journal.takeJob("relay-b", 1400, 1000)).toBeUndefined();
    await journal.close();
  });

  it("renews a job's lease for its holder only, which keeps the job from other relays past the first expiry", async () => {
    const journal = await open();
    await journal.insertSeen(action(1n), 1);
    expect((await journal.takeJob("relay-a", 100, 1000))?.id).toBe(1n);
    expect(await journal.renewJob(1n, "relay-b", 500, 60_000)).toBe(false);
    expect((await journal.get(1n))?.leaseUntil).toBe(1100);
    expect(await journal.renewJob(1n, "relay-a", 500, 60_000)).toBe(true);
    expect((await journal.get(1n))?.leaseUntil).toBe(60_500);
    expect(await journal.takeJob("relay-b", 1101, 1000)).toBeUndefined();
    await journal.close();
  });

  it("never gives one job to two relays taking at the same moment", async () => {
    const journal = await open();
    for (let i = 1n; i <= 20n; i++) await journal.insertSeen(action(i), 1);
    const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => journal.takeJob(`relay-${i}`, 10, 60_000)));
    const ids = taken.map((row) => row?.id).filter((id) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(20);
    await journal.close();
  });

  it("keeps cursors, values, daily spend (once per action) and proposal notes", async () => {
    const journal = await open();
    expect(await journal.getCursor("logs:execution-queue")).toBeUndefined();
    await journal.setCursor("logs:execution-queue", "4", 1);
    await journal.setCursor("logs:execution-queue", "9", 2);
    expect(await journal.getCursor("logs:execution-queue")).toBe("9");
    await journal.setValue("rebalance-policy", "{}", 1);
    expect(await journal.getValue("rebalance-policy")).toBe("{}");
    await journal.recordSpend(1n, "2026-01-01", 2n ** 60n);
    await journal.recordSpend(1n, "2026-01-01", 5n);
    await journal.recordSpend(2n, "2026-01-01", 7n);
    await journal.recordSpend(3n, "2026-01-02", 11n);
    expect(await journal.spentOn("2026-01-01")).toBe(2n ** 60n + 7n);
    await journal.noteProposal({ id: 5n, kind: "loop-out", verdict: "over-limit", detail: "too big" }, 1);
    expect(await journal.proposals(10)).toEqual([{ id: 5n, kind: "loop-out", verdict: "over-limit", detail: "too big" }]);
    await journal.close();
  });

  it("counts rows by state and by kind and outcome", async () => {
    const journal = await open();
    await journal.insertSeen(action(1n), 1);
    await journal.insertSeen(action(2n, { kind: "fee-policy" }), 1);
    await journal.transition(2n, "seen", "done", { outcome: "failure" }, 2);
    expect(await journal.countByState()).toEqual({ seen: 1, done: 1 });
    expect(await journal.countByOutcome()).toEqual([
      { kind: "channel-open", outcome: "seen", count: 1 },
      { kind: "fee-policy", outcome: "failure", count: 1 },
    ]);
    await journal.close();
  });
});
