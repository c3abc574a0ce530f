// One relay at a time runs each background loop's rounds: relays sharing a journal (PostgreSQL) take a lease per
// loop in its kv table by compare-and-set. The holder renews it every round; when it stops renewing (stopped,
// crashed), another relay takes over once it runs out and finds every job where the journal left it.
import type { Journal } from "../journal/types.ts";

interface LeaseRecord {
  owner: string;
  until: number;
}

export class LoopLease {
  constructor(
    private readonly journal: Journal,
    private readonly loop: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return `lease:${this.loop}`;
  }

  /** Takes or renews the lease; false while another relay holds it. */
  async hold(): Promise<boolean> {
    const now = this.now();
    const raw = await this.journal.jobs.get(this.key);
    const current = raw ? (JSON.parse(raw) as LeaseRecord) : undefined;
    if (current && current.owner !== this.owner && current.until > now) return false;
    return this.journal.jobs.compareAndSet(this.key, raw, JSON.stringify({ owner: this.owner, until: now + this.ttlMs }), now);
  }

  /** Hands the lease back (a clean stop), so another relay need not wait for it to run out. */
  async release(): Promise<void> {
    const raw = await this.journal.jobs.get(this.key);
    if (raw && (JSON.parse(raw) as LeaseRecord).owner === this.owner) {
      await this.journal.jobs.compareAndSet(this.key, raw, JSON.stringify({ owner: this.owner, until: 0 }), this.now());
    }
  }
}
