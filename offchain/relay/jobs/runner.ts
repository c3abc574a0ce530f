// The one job engine. A runner takes the next due job from its queue under a lease, renews the lease every third of
// its length while the job runs (another relay sharing the journal must never take a job this one is still acting
// on), runs it, and hands it back; then it takes the next, or sleeps until the next round or a poke. A step that
// throws is counted and logged and the runner goes on: several failed steps in a row make it unhealthy.
// With maxInFlight above 1 the runner holds up to that many jobs at once: each step takes one more due job (never one
// it already holds) and starts it, and a job that ends frees its slot and wakes the runner. Each job still runs one
// step at a time; only different jobs overlap.
// The executor runs on it with the action journal as its queue (one job per action); each monitor runs on it with
// its worker lease as its queue (one job: the monitor's round). What a job does, and how its own failures are
// retried and recorded, belongs to the job.
import { classify } from "../failure.ts";
import type { Logger } from "../log.ts";
import { Poller } from "../poller.ts";

/** A part that runs beside the relay's event intake: the executor and each monitor. */
export interface Worker {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
  /** what `relay status` and GET /status show for this worker */
  status?(): Promise<unknown>;
  /** false when the worker is stuck; GET /healthz reports it */
  healthy?(): boolean;
}

/** Where a runner takes its jobs from. */
export interface JobQueue<J> {
  /**
   * The next due job, leased to `owner` until now + leaseMs; undefined when none is due (or another relay holds it).
   * `held` are the jobs this runner is running now: never one of them again.
   */
  take(owner: string, now: number, leaseMs: number, held: readonly J[]): Promise<J | undefined>;
  /** Extends the lease; false when `owner` no longer holds the job. */
  renew(job: J, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** Ends this step's hold on the job. */
  release(job: J, now: number): Promise<unknown>;
  /** Hands back whatever `owner` still holds, when the runner stops. */
  stop?(owner: string, now: number): Promise<void>;
}

export interface JobRunnerOptions<J> {
  name: string;
  queue: JobQueue<J>;
  /** this relay's name in leases (`<relay address>@<host>`, stable across restarts) */
  owner: string;
  /** how long a taken job stays leased without renewal */
  leaseMs: number;
  intervalMs: () => number;
  log: Logger;
  /** Runs the job; true when more may be due at once (the runner takes the next without sleeping). */
  run: (job: J) => Promise<boolean | void>;
  /** Called once per step whose lease another relay took while the job still ran (lvdao_relay_lease_lost_total). */
  onLeaseLost?: (job: J) => void;
  /** Called after each step with its wall time, from taking the job to handing it back. */
  afterStep?: (job: J, wallMs: number) => void;
  /** What `relay status` and GET /status show beyond the runner's own figures. */
  details?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** how many jobs may run at once (read before each take); 1 or absent: one at a time */
  maxInFlight?: () => number;
  /** this many failed steps in a row make the runner unhealthy */
  unhealthyAfter?: number;
  now?: () => number;
}

export class JobRunner<J> implements Worker {
  readonly name: string;
  private readonly poller: Poller;
  private readonly now: () => number;
  private holdsLease = false;
  private lastRoundAt: number | undefined;
  private lastError: string | undefined;
  private failuresInARow = 0;
  /** jobs started by step() and still running, when several may run at once */
  private readonly inFlight = new Map<J, Promise<void>>();
  rounds = 0;

  constructor(private readonly o: JobRunnerOptions<J>) {
    this.name = o.name;
    this.now = o.now ?? Date.now;
    this.poller = new Poller(
      () => this.step(),
      o.intervalMs,
      (error) => this.failed(error),
    );
  }

  /**
   * Takes one due job and runs it. False when none was due, or when the job asks for no more at once. With several
   * jobs allowed in flight, the job is started and left running (its slot is freed, and the runner woken, when it
   * ends); when every slot is taken, waits for one to free.
   */
  async step(): Promise<boolean> {
    const { queue, owner, leaseMs } = this.o;
    const limit = Math.max(1, this.o.maxInFlight?.() ?? 1);
    if (this.inFlight.size >= limit) {
      await Promise.race(this.inFlight.values());
      return true;
    }
    const started = performance.now();
    const job = await queue.take(owner, this.now(), leaseMs, [...this.inFlight.keys()]);
    this.holdsLease = job !== undefined || this.inFlight.size > 0;
    if (job === undefined) return false;
    if (limit === 1 && this.inFlight.size === 0) return this.runJob(job, started);
    const running = this.runJob(job, started).then(
      () => undefined,
      (error: unknown) => this.failed(error),
    );
    this.inFlight.set(
      job,
      running.finally(() => {
        this.inFlight.delete(job);
        this.poller.poke();
      }),
    );
    return true;
  }

  /** How many jobs are running now. */
  get running(): number {
    return this.inFlight.size;
  }

  private failed(error: unknown): void {
    this.failuresInARow++;
    this.lastError = classify(error).message;
    this.o.log.warn(`${this.o.name} step failed; will retry`, { error: this.lastError, in_a_row: this.failuresInARow });
  }

  private async runJob(job: J, started: number): Promise<boolean> {
    const { queue } = this.o;
    const renewal = this.renewWhileRunning(job);
    try {
      const again = await this.o.run(job);
      this.rounds++;
      this.lastRoundAt = this.now();
      this.failuresInARow = 0;
      this.lastError = undefined;
      return again === true;
    } finally {
      clearInterval(renewal);
      await queue.release(job, this.now()).catch((error: unknown) =>
        this.o.log.warn(`${this.o.name} could not hand a job back; its lease will run out`, {
          error: classify(error).message,
        }),
      );
      this.o.afterStep?.(job, performance.now() - started);
    }
  }

  /** Renews the job's lease every third of its length until the step ends (the caller clears the timer). */
  private renewWhileRunning(job: J): ReturnType<typeof setInterval> {
    const { queue, owner, leaseMs, log, name } = this.o;
    let lost = false;
    return setInterval(
      () => {
        queue.renew(job, owner, this.now(), leaseMs).then(
          (held) => {
            if (held || lost) return;
            lost = true;
            log.error(`${name} lost the lease on a job still running`, { job: String(job) });
            this.o.onLeaseLost?.(job);
          },
          (error: unknown) =>
            log.warn(`${name} could not renew a job's lease; will try again`, { error: classify(error).message }),
        );
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
  }

  /** Runs due jobs until none is due and none is running. */
  async drain(): Promise<void> {
    for (;;) {
      while (await this.step()) {
        // keep going
      }
      if (this.inFlight.size === 0) return;
      await Promise.all(this.inFlight.values());
    }
  }

  start(): void {
    this.poller.start();
  }

  /** Wakes the runner now (new work arrived). */
  poke(): void {
    this.poller.poke();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    await Promise.all(this.inFlight.values());
    await this.o.queue.stop?.(this.o.owner, this.now()).catch(() => undefined);
  }

  async status(): Promise<unknown> {
    return {
      running: this.poller.isRunning,
      holdsLease: this.holdsLease,
      inFlight: this.inFlight.size,
      rounds: this.rounds,
      lastRoundAt: this.lastRoundAt ? new Date(this.lastRoundAt).toISOString() : null,
      lastError: this.lastError ?? null,
      ...((await this.o.details?.()) ?? {}),
    };
  }

  healthy(): boolean {
    return this.failuresInARow < (this.o.unhealthyAfter ?? 5);
  }
}
