// A worker's lease: one relay at a time runs each worker's rounds. Relays sharing a journal (PostgreSQL) take the
// lease in the job table by compare-and-set. A worker keeps its lease between rounds, renewing it, so one relay runs
// a worker until it stops (and hands the lease back) or dies (and the lease runs out); the next relay finds every
// job where the journal left it.
import type { JobTable } from "../journal/types.ts";
import type { JobQueue } from "./runner.ts";

interface LeaseRecord {
  owner: string;
  until: number;
}

/** The job queue of one worker: its single job is the worker's round, taken while this relay holds the lease. */
export class WorkerLease implements JobQueue<string> {
  constructor(
    private readonly table: JobTable,
    private readonly worker: string,
  ) {}

  private get key(): string {
    return `lease:${this.worker}`;
  }

  /** Takes or renews the lease; false while another relay holds it. */
  async hold(owner: string, now: number, ttlMs: number): Promise<boolean> {
    const raw = await this.table.get(this.key);
    const current = raw ? (JSON.parse(raw) as LeaseRecord) : undefined;
    if (current && current.owner !== owner && current.until > now) return false;
    return this.table.compareAndSet(this.key, raw, JSON.stringify({ owner, until: now + ttlMs }), now);
  }

  async take(owner: string, now: number, ttlMs: number): Promise<string | undefined> {
    return (await this.hold(owner, now, ttlMs)) ? this.worker : undefined;
  }

  renew(_worker: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.hold(owner, now, ttlMs);
  }

  /** The lease outlasts the round: it is handed back when the worker stops. */
  async release(): Promise<void> {}

  /** Hands the lease back (a clean stop), so another relay need not wait for it to run out. */
  async stop(owner: string, now: number): Promise<void> {
    const raw = await this.table.get(this.key);
    if (raw && (JSON.parse(raw) as LeaseRecord).owner === owner) {
      await this.table.compareAndSet(this.key, raw, JSON.stringify({ owner, until: 0 }), now);
    }
  }
}
