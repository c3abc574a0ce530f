// Leadership of a relay pair (or more) sharing one journal ([ha] enabled): one relay leads and runs the executor and
// the workers; the others stand by. The leader holds the journal lease row `lease:leader` (the job table's
// compare-and-set, as the workers' leases do), renewing it every third of [ha] lease_ms; a standby tries to take it
// at the same interval and can only once it has run out (`until` = the holder's renewal time + lease_ms).
//
// Fencing: the leader counts its lease from the moment it *sent* its last successful renewal, and fences itself at
// that moment + lease_ms - fence_margin_ms: strictly before any standby may take the lease. From then on, until it
// renews again, fenced() is true and every daemon call throws FencedError (ha/fence.ts); when its renewal fails (or
// hangs) past the fence it drops to standby. The margin covers the clock difference between the relays' hosts and a
// daemon call started just before the fence; see docs/relay.md "High availability".
import type { JobTable } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import { WorkerLease } from "../jobs/lease.ts";
import { classify } from "../failure.ts";

export type Role = "leader" | "standby";

export interface LeadershipOptions {
  table: JobTable;
  /** this process's name in the lease: unique per process, so a second relay on one host never shares it */
  instance: string;
  leaseMs: number;
  fenceMarginMs: number;
  log: Logger;
  /** Runs once leadership is taken, before the relay acts (recover, then start the executor and workers). */
  onElected: () => Promise<void>;
  /** Runs once leadership is lost (fenced already): stop acting. */
  onDeposed: () => Promise<void>;
  now?: () => number;
}

export const LEADER_LEASE = "leader";

export class Leadership {
  private readonly lease: WorkerLease;
  private readonly now: () => number;
  private role: Role = "standby";
  /** the moment this relay stops acting unless it renews first; 0 while standing by */
  private fenceAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fenceTimer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private round: Promise<void> = Promise.resolve();
  /** serializes elected/deposed transitions */
  private transition: Promise<void> = Promise.resolve();
  private electedAt: number | undefined;
  terms = 0;

  constructor(private readonly o: LeadershipOptions) {
    if (o.fenceMarginMs <= 0 || o.fenceMarginMs >= o.leaseMs - this.pollMs)
      throw new Error("fence margin must be above 0 and leave time for a renewal before the fence");
    this.lease = new WorkerLease(o.table, LEADER_LEASE);
    this.now = o.now ?? Date.now;
  }

  /** How often the leader renews and a standby tries to take the lease. */
  get pollMs(): number {
    return Math.max(1, Math.floor(this.o.leaseMs / 3));
  }

  /** True when this relay may not act: it stands by, or its lease is past the fence. Synchronous: daemon calls ask. */
  fenced(): boolean {
    return this.role !== "leader" || this.now() >= this.fenceAt;
  }

  get current(): Role {
    return this.role;
  }

  /** Starts trying: the first attempt runs now, and resolves once its outcome (and any election) is handled. */
  async start(): Promise<void> {
    this.running = true;
    await this.tick();
    await this.settled();
  }

  /** Resolves once every election and deposition so far has run its callback. */
  settled(): Promise<void> {
    return this.transition;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), this.pollMs);
  }

  private tick(): Promise<void> {
    this.round = this.attempt().finally(() => this.schedule());
    return this.round;
  }

  private async attempt(): Promise<void> {
    const sentAt = this.now();
    let held: boolean | undefined;
    try {
      held = await this.lease.hold(this.o.instance, sentAt, this.o.leaseMs);
    } catch (error) {
      if (this.role === "leader")
        this.o.log.warn("could not renew the leadership lease; will try again", { error: classify(error).message });
    }
    if (!this.running) return;
    if (held) {
      this.fenceAt = sentAt + this.o.leaseMs - this.o.fenceMarginMs;
      this.armFence();
      // Not awaited: the leader's start-up (recover() can wait on daemons) must not hold back its renewals.
      if (this.role === "standby") void this.elect();
      return;
    }
    if (this.role !== "leader") return;
    // Another relay holding the lease (held false) is only possible once ours ran out, i.e. after our fence.
    if (held === false) void this.depose("another relay holds the leadership lease");
    else if (this.now() >= this.fenceAt) void this.depose("the leadership lease was not renewed in time");
  }

  /** Fires at the fence even when a renewal hangs (a cut connection), so the relay stops acting on time. */
  private armFence(): void {
    clearTimeout(this.fenceTimer);
    this.fenceTimer = setTimeout(
      () => {
        if (this.role === "leader" && this.now() >= this.fenceAt)
          void this.depose("the leadership lease ran out before a renewal answered");
      },
      Math.max(0, this.fenceAt - this.now()),
    );
  }

  private elect(): Promise<void> {
    this.role = "leader";
    this.terms++;
    this.electedAt = this.now();
    this.o.log.info("took the relay leadership", { instance: this.o.instance, lease_ms: this.o.leaseMs });
    this.transition = this.transition.then(() =>
      this.o.onElected().catch((error: unknown) => {
        this.o.log.error("could not start leading; handing the lease back", { error: classify(error).message });
        // Not returned: the deposition queues behind this very transition.
        void this.depose("start-up as leader failed").then(() => this.release());
      }),
    );
    return this.transition;
  }

  /** Called by the fence when a daemon call finds the lease past its fence, and by the renewal loop. */
  depose(reason: string): Promise<void> {
    if (this.role !== "leader") return this.transition;
    // From this moment on fenced() was true, whenever this line gets written.
    const fencedSince = new Date(Math.min(this.fenceAt, this.now())).toISOString();
    this.role = "standby";
    this.fenceAt = 0;
    clearTimeout(this.fenceTimer);
    this.o.log.error("fenced: stopped acting and standing by", { reason, fenced_since: fencedSince });
    this.transition = this.transition.then(() =>
      this.o
        .onDeposed()
        .catch((error: unknown) =>
          this.o.log.warn("stopping the leader's parts failed", { error: classify(error).message }),
        ),
    );
    return this.transition;
  }

  private async release(): Promise<void> {
    await this.lease.stop(this.o.instance, this.now()).catch(() => undefined);
  }

  /** Stops trying; a leader stops acting and hands the lease back so a standby need not wait it out. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round.catch(() => undefined);
    const wasLeader = this.role === "leader";
    await this.depose("the relay is stopping");
    await this.transition;
    if (wasLeader) await this.release();
  }

  status(): { role: Role; instance: string; leaseMs: number; terms: number; leaderSince: string | null } {
    return {
      role: this.role,
      instance: this.o.instance,
      leaseMs: this.o.leaseMs,
      terms: this.terms,
      leaderSince: this.role === "leader" && this.electedAt ? new Date(this.electedAt).toISOString() : null,
    };
  }
}
