// A worker's lease on the real journal backends (jobs/lease.ts): one relay at a time runs a worker's rounds; the
// holder keeps the lease between rounds by renewing it, and another relay takes it when it runs out or is handed
// back. Each case is a sequence of moves by two relays against one lease, with the answer each move must get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerLease } from "../jobs/lease.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { freshPostgresJournal, startTestPostgres, type TestPostgres } from "./postgres.ts";

const TTL_MS = 500;

type Move =
  | { at: number; relay: "a" | "b"; take: "sweeper" | undefined }
  | { at: number; relay: "a" | "b"; renew: boolean }
  | { at: number; relay: "a" | "b"; stop: true }
  | { at: number; release: true };

const cases: { name: string; moves: Move[] }[] = [
  {
    name: "the first relay takes a free lease; the other is refused while it is held",
    moves: [
      { at: 0, relay: "a", take: "sweeper" },
      { at: 0, relay: "b", take: undefined },
      { at: TTL_MS - 1, relay: "b", take: undefined },
    ],
  },
  {
    name: "the holder keeps it by renewing, past the first expiry",
    moves: [
      { at: 0, relay: "a", take: "sweeper" },
      { at: 400, relay: "a", renew: true },
      { at: 600, relay: "b", take: undefined },
      { at: 600, relay: "a", take: "sweeper" },
    ],
  },
  {
    name: "release after a round keeps the lease: it outlasts the round",
    moves: [
      { at: 0, relay: "a", take: "sweeper" },
      { at: 1, release: true },
      { at: 2, relay: "b", take: undefined },
    ],
  },
  {
    name: "another relay takes it once it runs out, and the old holder can no longer renew",
    moves: [
      { at: 0, relay: "a", take: "sweeper" },
      { at: TTL_MS + 1, relay: "b", take: "sweeper" },
      { at: TTL_MS + 1, relay: "a", renew: false },
    ],
  },
  {
    name: "a clean stop hands it back at once",
    moves: [
      { at: 0, relay: "a", take: "sweeper" },
      { at: 1, relay: "a", stop: true },
      { at: 2, relay: "b", take: "sweeper" },
    ],
  },
  {
    name: "a stop by a relay that does not hold it changes nothing",
    moves: [
      { at: 0, relay: "a", take: "sweeper" },
      { at: 1, relay: "b", stop: true },
      { at: 2, relay: "b", take: undefined },
      { at: 2, relay: "a", renew: true },
    ],
  },
];

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

const backends: [string, () => Promise<Journal>][] = [
  ["sqlite", () => openSqliteJournal(":memory:")],
  ["postgres", () => freshPostgresJournal(postgres!, "worker_lease")],
];

describe.each(backends)("a worker's lease on %s", (_backend, open) => {
  it.each(cases)("$name", async ({ moves }) => {
    const journal = await open();
    const lease = new WorkerLease(journal.jobs, "sweeper");
    const answers: unknown[] = [];
    const expected: unknown[] = [];
    for (const move of moves) {
      const now = 1_000 + move.at;
      if ("release" in move) {
        await lease.release();
      } else if ("take" in move) {
        answers.push(await lease.take(`relay-${move.relay}`, now, TTL_MS));
        expected.push(move.take);
      } else if ("renew" in move) {
        answers.push(await lease.renew("sweeper", `relay-${move.relay}`, now, TTL_MS));
        expected.push(move.renew);
      } else {
        await lease.stop(`relay-${move.relay}`, now);
      }
    }
    expect(answers).toEqual(expected);
    await journal.close();
  });
});
