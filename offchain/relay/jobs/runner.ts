// The shape every monitor shares: a Poller whose rounds run only while this relay holds the loop's lease
// (monitors/lease.ts), with the round's outcome kept for `relay status` and /healthz. A monitor supplies its round
// and its status details.
import type { Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { Worker } from "../workers.ts";
import { Poller } from "../jobs/poller.ts";
import { classify } from "../failure.ts";
import { LoopLease } from "./lease.ts";

export interface LeasedLoopOptions {
  name: string;
  journal: Journal;
  /** this relay's name in leases (the executor's job owner) */
  owner: string;
  intervalMs: number;
  /** how long the lease lasts without renewal: longer than the longest round (a transaction confirmation) */
  leaseMs: number;
  log: Logger;
  /** one round; true to run again at once */
  round: () => Promise<boolean | void>;
  details?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** this many failed rounds in a row make the loop unhealthy */
  unhealthyAfter?: number;
  now?: () => number;
}

export class LeasedLoop implements Worker {
  readonly name: string;
  private readonly loop: Poller;
  private readonly lease: LoopLease;
  private holdsLease = false;
  private lastRoundAt: number | undefined;
  private lastError: string | undefined;
  private failuresInARow = 0;
  rounds = 0;

  constructor(private readonly o: LeasedLoopOptions) {
    this.name = o.name;
    const now = o.now ?? Date.now;
    this.lease = new LoopLease(o.journal, o.name, o.owner, o.leaseMs, now);
    this.loop = new Poller(
      async () => {
        this.holdsLease = await this.lease.hold();
        if (!this.holdsLease) return false;
        const again = await o.round();
        this.rounds++;
        this.lastRoundAt = now();
        this.failuresInARow = 0;
        this.lastError = undefined;
        return again;
      },
      () => o.intervalMs,
      (error) => {
        this.failuresInARow++;
        this.lastError = classify(error).message;
        o.log.warn(`${o.name} round failed; will retry`, { error: this.lastError, in_a_row: this.failuresInARow });
      },
    );
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Runs one round now, outside the timer (tests, benchmarks). */
  async runOnce(): Promise<boolean | void> {
    if (!(await this.lease.hold())) return false;
    return this.o.round();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.lease.release().catch(() => undefined);
  }

  async status(): Promise<unknown> {
    return {
      running: this.loop.isRunning,
      holdsLease: this.holdsLease,
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
