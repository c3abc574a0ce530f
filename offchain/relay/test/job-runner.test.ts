// The one job engine against a queue it can watch: what a step takes, renews and hands back, what it reports, and
// when it counts as unhealthy. The executor's and the workers' own suites run it on the real journal.
import { describe, expect, it } from "vitest";
import { JobRunner, type JobQueue } from "../jobs/runner.ts";
import { memoryLogger } from "../log.ts";

/** A queue of named jobs that records every call. */
class Recorder implements JobQueue<string> {
  readonly calls: string[] = [];
  constructor(
    public due: string[],
    public holds = true,
  ) {}
  async take(owner: string) {
    this.calls.push(`take ${owner}`);
    return this.due.shift();
  }
  async renew(job: string) {
    this.calls.push(`renew ${job}`);
    return this.holds;
  }
  async release(job: string) {
    this.calls.push(`release ${job}`);
  }
  async stop(owner: string) {
    this.calls.push(`stop ${owner}`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function runner(
  queue: Recorder,
  run: (job: string) => Promise<boolean | void>,
  extra: { leaseMs?: number; unhealthyAfter?: number } = {},
) {
  const log = memoryLogger();
  const steps: [string, number][] = [];
  const lost: string[] = [];
  const r = new JobRunner<string>({
    name: "worker",
    queue,
    owner: "relay-a",
    leaseMs: extra.leaseMs ?? 60_000,
    intervalMs: () => 5,
    log,
    run,
    afterStep: (job, wallMs) => steps.push([job, wallMs]),
    onLeaseLost: (job) => lost.push(job),
    details: () => ({ extra: "detail" }),
    ...(extra.unhealthyAfter ? { unhealthyAfter: extra.unhealthyAfter } : {}),
  });
  return { r, log, steps, lost };
}

describe("a job runner's step", () => {
  it.each([
    {
      name: "nothing due: takes nothing and runs nothing",
      due: [],
      result: true,
      ran: [],
      step: false,
      calls: ["take relay-a"],
    },
    {
      name: "a job that asks for more: true",
      due: ["a"],
      result: true,
      ran: ["a"],
      step: true,
      calls: ["take relay-a", "release a"],
    },
    {
      name: "a job that is done for now: false",
      due: ["a"],
      result: undefined,
      ran: ["a"],
      step: false,
      calls: ["take relay-a", "release a"],
    },
  ])("$name", async ({ due, result, ran, step, calls }) => {
    const queue = new Recorder([...due]);
    const seen: string[] = [];
    const { r, steps } = runner(queue, async (job) => {
      seen.push(job);
      return result as boolean | undefined;
    });
    expect(await r.step()).toBe(step);
    expect(seen).toEqual(ran);
    expect(queue.calls).toEqual(calls);
    expect(steps.map(([job]) => job)).toEqual(ran);
  });

  it("hands the job back and reports the step even when the job throws", async () => {
    const queue = new Recorder(["a"]);
    const { r, steps } = runner(queue, async () => {
      throw new Error("daemon down");
    });
    await expect(r.step()).rejects.toThrow("daemon down");
    expect(queue.calls).toEqual(["take relay-a", "release a"]);
    expect(steps).toHaveLength(1);
  });

  it("renews the lease every third of it while a job outlasts the lease, and stops renewing after", async () => {
    const queue = new Recorder(["a"]);
    const { r } = runner(queue, () => sleep(130), { leaseMs: 60 });
    await r.step();
    const renewals = queue.calls.filter((c) => c === "renew a").length;
    expect(renewals).toBeGreaterThanOrEqual(4);
    await sleep(60);
    expect(queue.calls.filter((c) => c === "renew a").length).toBe(renewals);
  });

  it("logs and reports a lost lease once per step while the job still runs", async () => {
    const queue = new Recorder(["a"], false);
    const { r, log, lost } = runner(queue, () => sleep(80), { leaseMs: 30 });
    await r.step();
    expect(queue.calls.filter((c) => c === "renew a").length).toBeGreaterThanOrEqual(3);
    expect(log.lines.filter((l) => l.includes("worker lost the lease on a job still running"))).toHaveLength(1);
    expect(lost).toEqual(["a"]);
  });

  it("reports no lost lease while renewals hold", async () => {
    const queue = new Recorder(["a"], true);
    const { r, lost } = runner(queue, () => sleep(80), { leaseMs: 30 });
    await r.step();
    expect(lost).toEqual([]);
  });

  it("drains every due job in order", async () => {
    const queue = new Recorder(["a", "b", "c"]);
    const seen: string[] = [];
    const { r } = runner(queue, async (job) => {
      seen.push(job);
      return true;
    });
    await r.drain();
    expect(seen).toEqual(["a", "b", "c"]);
  });
});

describe("a running job runner", () => {
  it("reports rounds, lease, last error and the worker's details; unhealthy after failures in a row", async () => {
    const queue = new Recorder([]);
    let fail = true;
    const { r, log } = runner(
      queue,
      async () => {
        if (fail) throw new Error("round failed");
      },
      { unhealthyAfter: 3 },
    );
    queue.due = Array(10).fill("w");
    r.start();
    while (queue.calls.filter((c) => c.startsWith("take")).length < 4) await sleep(2);
    expect(r.healthy()).toBe(false);
    expect(await r.status()).toMatchObject({
      running: true,
      holdsLease: true,
      rounds: 0,
      lastError: "round failed",
      extra: "detail",
    });
    expect(log.lines.join("\n")).toContain("worker step failed; will retry");
    fail = false;
    while (r.rounds === 0) await sleep(2);
    expect(r.healthy()).toBe(true);
    expect(await r.status()).toMatchObject({ lastError: null, lastRoundAt: expect.any(String) });
    await r.stop();
    expect(queue.calls.at(-1)).toBe("stop relay-a");
    expect(await r.status()).toMatchObject({ running: false });
  });

  it("a poke cuts the sleep short", async () => {
    const queue = new Recorder([]);
    const seen: string[] = [];
    const log = memoryLogger();
    const r = new JobRunner<string>({
      name: "slow",
      queue,
      owner: "o",
      leaseMs: 1000,
      intervalMs: () => 60_000,
      log,
      run: async (job) => void seen.push(job),
    });
    r.start();
    await sleep(10);
    queue.due.push("new work");
    r.poke();
    while (seen.length === 0) await sleep(2);
    expect(seen).toEqual(["new work"]);
    await r.stop();
  });
});

/** A queue of due job names that hands out any job not already held, like the journal's take with its skip list. */
class SharedQueue implements JobQueue<string> {
  readonly taken: string[] = [];
  constructor(public due: string[]) {}
  async take(_owner: string, _now: number, _leaseMs: number, held: readonly string[]) {
    const job = this.due.find((j) => !held.includes(j));
    if (job !== undefined) this.taken.push(job);
    return job;
  }
  async renew() {
    return true;
  }
  async release() {}
}

describe("a job runner with several jobs in flight", () => {
  it.each([
    { maxInFlight: 1, jobs: 6, peak: 1 },
    { maxInFlight: 4, jobs: 6, peak: 4 },
    { maxInFlight: 16, jobs: 6, peak: 6 },
  ])(
    "runs up to $maxInFlight of $jobs jobs at once, never one job twice at once",
    async ({ maxInFlight, jobs, peak }) => {
      const queue = new SharedQueue(Array.from({ length: jobs }, (_, i) => `job-${i}`));
      const running = new Set<string>();
      let highest = 0;
      let overlapped = false;
      const r = new JobRunner<string>({
        name: "executor",
        queue,
        owner: "relay-a",
        leaseMs: 60_000,
        intervalMs: () => 5,
        log: memoryLogger(),
        maxInFlight: () => maxInFlight,
        run: async (job) => {
          if (running.has(job)) overlapped = true;
          running.add(job);
          highest = Math.max(highest, running.size);
          await sleep(20);
          running.delete(job);
          queue.due = queue.due.filter((j) => j !== job);
          return true;
        },
      });
      await r.drain();
      expect(overlapped).toBe(false);
      expect(highest).toBe(peak);
      expect(queue.due).toEqual([]);
      expect([...queue.taken].sort()).toEqual(Array.from({ length: jobs }, (_, i) => `job-${i}`).sort());
      expect(r.running).toBe(0);
    },
  );

  it("keeps going after one job of several fails, and stop() waits for the jobs still running", async () => {
    const queue = new SharedQueue(["a", "b", "c"]);
    const finished: string[] = [];
    const log = memoryLogger();
    const r = new JobRunner<string>({
      name: "executor",
      queue,
      owner: "relay-a",
      leaseMs: 60_000,
      intervalMs: () => 5,
      log,
      maxInFlight: () => 3,
      run: async (job) => {
        await sleep(job === "c" ? 60 : 10);
        queue.due = queue.due.filter((j) => j !== job);
        if (job === "a") throw new Error("a broke");
        finished.push(job);
      },
    });
    r.start();
    while (queue.taken.length < 3) await sleep(2);
    await r.stop();
    expect(finished.sort()).toEqual(["b", "c"]);
    expect(log.lines.join("\n")).toContain("a broke");
    expect(r.running).toBe(0);
  });
});
