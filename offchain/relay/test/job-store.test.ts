// The workers' durable jobs on the real journal backends: compare-and-set moves, prefix listing, and the journaled
// transaction being sent again (not re-signed) after a restart. The workers' lease: worker-lease.test.ts.
import { Cl } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { JobMoved, JobStore, type Job } from "../jobs/store.ts";
import { TxSender } from "../jobs/tx-sender.ts";
import { FakeLedger } from "./fake-chain.ts";
import { freshPostgresJournal, startTestPostgres, type TestPostgres } from "./postgres.ts";

interface Thing extends Job {
  state: "a" | "b";
  amount: bigint;
}

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

const backends: [string, () => Promise<Journal>][] = [
  ["sqlite", () => openSqliteJournal(":memory:")],
  ["postgres", () => freshPostgresJournal(postgres!, "monitor_jobs")],
];

describe.each(backends)("jobs on %s", (_name, open) => {
  it("creates a job once, moves it only from the state it was read in, and keeps bigints exact", async () => {
    const journal = await open();
    const store = new JobStore<Thing>(journal.jobs, "thing:");
    expect(await store.create("1", { state: "a", amount: 2n ** 70n })).toBe(true);
    expect(await store.create("1", { state: "a", amount: 1n })).toBe(false);
    const read = (await store.get("1"))!;
    expect(read.job.amount).toBe(2n ** 70n);
    const moved = await store.move(read, { ...read.job, state: "b" });
    await expect(store.move(read, { ...read.job, state: "b" })).rejects.toBeInstanceOf(JobMoved);
    expect((await store.get("1"))!.job.state).toBe("b");
    expect(moved.job.state).toBe("b");
    await journal.close();
  });

  it("lists jobs by prefix, exactly (no LIKE wildcards, no other case)", async () => {
    const journal = await open();
    for (const key of ["job:1", "job:2", "job_x", "JOB:3", "jobs:4", "job:%"]) await journal.jobs.set(key, "v", 0);
    expect((await journal.jobs.list("job:")).map((v) => v.key)).toEqual(["job:%", "job:1", "job:2"]);
    expect((await journal.jobs.list("job:%")).map((v) => v.key)).toEqual(["job:%"]);
    await journal.close();
  });
});

describe("TxSender", () => {
  it("on restart, resends a journaled tx instead of signing a second; re-signs one the chain never saw", async () => {
    const journal = await openSqliteJournal(":memory:");
    const ledger = new FakeLedger();
    ledger.burnHeight = 100;
    const store = new JobStore<Thing & { state: "a" | "b" }>(journal.jobs, "t:");
    await store.create("1", { state: "a", amount: 1n });
    ledger.dieBeforeBroadcast = true;
    const call = {
      contractId: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.liquidity-oracle",
      functionName: "report-liquidity",
      args: [],
    };
    const tuple = Cl.tuple({ channels: Cl.uint(0) });
    await expect(new TxSender(ledger).run(store, (await store.get("1"))!, { ...call, args: [tuple] })).rejects.toThrow(
      /died/,
    );
    const journaled = (await store.get("1"))!.job.tx!;
    expect(journaled.txid).toMatch(/^[0-9a-f]{64}$/);
    const { outcome, current } = await new TxSender(ledger).run(store, (await store.get("1"))!, {
      ...call,
      args: [tuple],
    });
    expect(outcome.status).toBe("success");
    expect(current.job.tx!.txid).toBe(journaled.txid);
    expect(ledger.log.count("report-liquidity")).toBe(1);

    // A journaled transaction the node refuses and the API never saw (its nonce went to another) is signed afresh.
    await store.move(current, { ...current.job, tx: { txid: "ff".repeat(32), rawHex: "00" } });
    const again = await new TxSender(ledger).run(store, (await store.get("1"))!, { ...call, args: [tuple] });
    expect(again.current.job.tx!.txid).not.toBe("ff".repeat(32));
    expect(ledger.log.count("report-liquidity")).toBe(2);
    await journal.close();
  });
});
