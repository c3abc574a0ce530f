// The workers' durable jobs and leases on the real journal backends: compare-and-set moves, prefix listing, one
// lease holder at a time, and the journaled transaction being sent again (not re-signed) after a restart.
import { Cl } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresJournal } from "../journal/postgres.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { WorkerLease } from "../jobs/lease.ts";
import { JobMoved, JobStore, type Job } from "../jobs/store.ts";
import { TxSender } from "../jobs/tx-sender.ts";
import { FakeLedger } from "./fake-chain.ts";
import { startTestPostgres, type TestPostgres } from "./postgres.ts";

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

let fresh = 0;
async function freshPostgres(): Promise<Journal> {
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: postgres!.url });
  await admin.connect();
  const name = `monitor_jobs_${++fresh}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return openPostgresJournal(postgres!.url.replace(/\/postgres$/, `/${name}`));
}

const backends: [string, () => Promise<Journal>][] = [
  ["sqlite", () => openSqliteJournal(":memory:")],
  ["postgres", freshPostgres],
];

describe.each(backends)("jobs and leases on %s", (_name, open) => {
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

  it("one relay holds a worker's lease, between rounds too; another takes it at expiry or when it stops", async () => {
    const journal = await open();
    let now = 1_000;
    const lease = new WorkerLease(journal.jobs, "sweeper");
    expect(await lease.take("relay-a", now, 500)).toBe("sweeper");
    expect(await lease.take("relay-b", now, 500)).toBeUndefined();
    expect(await lease.renew("sweeper", "relay-a", now, 500)).toBe(true);
    await lease.release();
    expect(await lease.take("relay-b", now, 500)).toBeUndefined();
    now += 501;
    expect(await lease.take("relay-b", now, 500)).toBe("sweeper");
    expect(await lease.renew("sweeper", "relay-a", now, 500)).toBe(false);
    await lease.stop("relay-b", now);
    expect(await lease.take("relay-a", now, 500)).toBe("sweeper");
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
