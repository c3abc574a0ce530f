// The executor: runs on the job runner with the action journal as its queue, holding up to executor.max_in_flight
// due action jobs at once and moving each along
//   seen -> claimed -> executing -> done -> reported
// writing each state before the side effect it announces. Jobs overlap (their claims and receipts share blocks);
// each job's own steps never do. Retryable trouble is retried with backoff while the claim
// lease lasts and then reported with `retryable true`; permanent trouble is reported with its code. On start,
// recover() reconciles every row a crash may have left in `executing` against the daemons before anything runs.
import { AsyncLocalStorage } from "node:async_hooks";
import { idempotencyKey, type ActionDecoder, type RelayAction } from "../actions.ts";
import type { RelayConfig } from "../config.ts";
import type { Daemons } from "../daemons/ports.ts";
import { FAILURE_CODE, PermanentFailure, RetryableFailure, classify, failureDetail } from "../failure.ts";
import { lvAsset } from "../jobs/lv-asset.ts";
import { JobRunner } from "../jobs/runner.ts";
import { utcDay, type Journal, type JournalRow, type JournalState } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { RelayMetrics } from "../metrics.ts";
import type { QueuePort } from "../stacks/queue.ts";
import { NotFinalYet, type KindContext, type KindHandler } from "./context.ts";
import { instrument, type CallClock } from "./instrument.ts";
import { HANDLERS } from "./kinds/index.ts";
import { checkLimits } from "./limits.ts";
import { QueueSteps } from "./queue-steps.ts";

export interface ExecutorOptions {
  journal: Journal;
  queue: QueuePort;
  daemons: Daemons;
  decode: ActionDecoder;
  config: Pick<RelayConfig, "limits" | "executor" | "lv" | "stacks">;
  log: Logger;
  metrics: RelayMetrics;
  /** this relay's name in the journal's job leases */
  owner: string;
  /** how long a taken job stays leased without renewal; JOB_LEASE_MS unless a test shortens it */
  jobLeaseMs?: number;
  dryRun?: boolean;
  now?: () => number;
  /** whether the DAO has this relay enabled; absent: always */
  enablement?: { enabled(): Promise<boolean> };
}

/** Where one executor step's wall time went (benchmarks and tests listen with Executor.onTiming). */
export interface StepTiming {
  id: bigint;
  kind: string;
  from: JournalRow["state"];
  to: JournalRow["state"];
  /** from taking the job to releasing it */
  wallMs: number;
  /** waiting for daemons and the chain (instrumented port calls), by daemon */
  waitedByDaemonMs: Record<string, number>;
  /** the relay's own work: wall time minus the waits (what lvdao_relay_processing_seconds observes) */
  processingMs: number;
}

/**
 * How long a taken job stays leased to this relay in the journal without renewal. A step can outlast it (a claim
 * and a report each wait up to stacks.tx_timeout_ms for a confirmation), so the lease is renewed every third of it
 * while the step runs: another relay sharing the journal must never take a job this one is still acting on.
 */
const JOB_LEASE_MS = 15 * 60_000;

/**
 * A CallClock for the instrumented ports that adds every wait to the relay-wide total and to the clock of the job
 * whose step made the call (several jobs run at once, so the total's difference over a step is not that step's).
 */
function attributingClock(total: CallClock, current: AsyncLocalStorage<CallClock>): CallClock {
  return {
    get waitedMs() {
      return total.waitedMs;
    },
    set waitedMs(value: number) {
      const job = current.getStore();
      if (job) job.waitedMs += value - total.waitedMs;
      total.waitedMs = value;
    },
    waitedByDaemonMs: new Proxy(total.waitedByDaemonMs, {
      set(byDaemon, daemon, value: number) {
        const job = current.getStore();
        const name = String(daemon);
        if (job) job.waitedByDaemonMs[name] = (job.waitedByDaemonMs[name] ?? 0) + value - (byDaemon[name] ?? 0);
        byDaemon[name] = value;
        return true;
      },
    }),
  };
}

export class Executor {
  /** every wait of every job since start */
  readonly clock: CallClock = { waitedMs: 0, waitedByDaemonMs: {} };
  /** Listeners told where each step's time went. */
  readonly onTiming = new Set<(timing: StepTiming) => void>();
  private readonly daemons: Daemons;
  private readonly queueSteps: QueueSteps;
  private readonly now: () => number;
  private readonly runner: JobRunner<JournalRow>;
  /** the turn of the action now checking and recording an on-chain spend (oneSpenderAtATime) */
  private spending: Promise<unknown> = Promise.resolve();
  /** the running step's own waits, for the instrumented ports to add to */
  private readonly stepClock = new AsyncLocalStorage<CallClock>();
  /** the waits of each step that just ran, by action id, for its timing */
  private readonly lastRuns = new Map<
    bigint,
    { to: JournalState; waitedMs: number; waitedByDaemonMs: Record<string, number> }
  >();

  constructor(private readonly options: ExecutorOptions) {
    const { metrics, config, journal } = options;
    const clock = attributingClock(this.clock, this.stepClock);
    const wrap = <T extends object>(port: T | undefined, name: string): T | undefined =>
      port && instrument(port, name, { metrics, timeoutMs: config.executor.daemonTimeoutMs, clock });
    this.daemons = {
      lnd: wrap(options.daemons.lnd, "lnd"),
      loop: wrap(options.daemons.loop, "loopd"),
      vault: wrap(options.daemons.vault, "vault"),
      tapd: Object.fromEntries(
        Object.entries(options.daemons.tapd).map(([wallet, port]) => [wallet, wrap(port, `tapd-${wallet}`)]),
      ),
    };
    this.now = options.now ?? Date.now;
    const queue = instrument(options.queue, "stacks", {
      metrics,
      timeoutMs: config.stacks.txTimeoutMs * 2,
      clock,
    });
    this.queueSteps = new QueueSteps({
      actions: journal.actions,
      queue,
      log: options.log,
      now: this.now,
      config: config.executor,
      dryRun: options.dryRun ?? false,
      ...(options.enablement ? { enablement: options.enablement } : {}),
    });
    this.runner = new JobRunner<JournalRow>({
      name: "executor",
      queue: {
        take: (owner, now, leaseMs, held) =>
          journal.actions.take(
            owner,
            now,
            leaseMs,
            held.map((row) => row.id),
          ),
        renew: (row, owner, now, leaseMs) => journal.actions.renew(row.id, owner, now, leaseMs),
        release: (row, now) => journal.actions.release(row.id, now),
      },
      owner: options.owner,
      leaseMs: options.jobLeaseMs ?? JOB_LEASE_MS,
      intervalMs: () => config.executor.pollIntervalMs,
      maxInFlight: () => config.executor.maxInFlight,
      log: options.log,
      now: this.now,
      run: (row) => this.run(row),
      afterStep: (row, wallMs) => this.observe(row, wallMs),
      onLeaseLost: () => options.metrics.leaseLost.inc({ worker: "executor" }),
    });
    // At 0 from the start, so a dashboard shows the counter and an alert sees its first increase.
    options.metrics.leaseLost.inc({ worker: "executor" }, 0);
  }

  /** Reconciles every row left in `executing` by a crash, before any job runs. */
  async recover(): Promise<number> {
    const rows = await this.options.journal.actions.list({ states: ["executing"] });
    for (const row of rows) {
      if (row.daemonRef) continue;
      const action = this.decodeSafely(row);
      if (!action) continue;
      try {
        const ref = await this.handler(action).reconcile(action, this.context(row));
        if (ref) {
          await this.options.journal.actions.patch(row.id, { daemonRef: ref }, this.now());
          this.options.log.warn("recovered an action's effect after a restart", { id: row.id, kind: row.kind, ref });
        } else {
          this.options.log.warn("found no effect of an interrupted action; it will be retried after the grace period", {
            id: row.id,
            kind: row.kind,
          });
        }
      } catch (error) {
        this.options.log.warn("could not reconcile an interrupted action yet", {
          id: row.id,
          kind: row.kind,
          error: classify(error).message,
        });
      }
    }
    return rows.length;
  }

  /**
   * Takes the next due job and advances it as far as it can go now (with several allowed in flight: starts it).
   * False when nothing was due.
   */
  step(): Promise<boolean> {
    return this.runner.step();
  }

  /** Runs due jobs until none is due and none is running. */
  drain(): Promise<void> {
    return this.runner.drain();
  }

  start(): void {
    this.runner.start();
  }

  /** Wakes the executor now (a new action was seen). */
  poke(): void {
    this.runner.poke();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** One job step: the job is advanced; the waits for daemons and the chain are noted for its timing. */
  private async run(row: JournalRow): Promise<true> {
    const waits: CallClock = { waitedMs: 0, waitedByDaemonMs: {} };
    let current = row;
    try {
      current = await this.stepClock.run(waits, () => this.advance(row));
    } finally {
      this.lastRuns.set(row.id, { to: current.state, ...waits });
    }
    return true;
  }

  /**
   * The processing time runs from taking the job to handing it back (both journal writes are the relay's own work)
   * minus every daemon and chain wait in between.
   */
  private observe(row: JournalRow, wallMs: number): void {
    const run = this.lastRuns.get(row.id) ?? { to: row.state, waitedMs: 0, waitedByDaemonMs: {} };
    this.lastRuns.delete(row.id);
    const processingMs = Math.max(0, wallMs - run.waitedMs);
    this.options.metrics.processingSeconds.observe(processingMs / 1000, { kind: row.kind });
    const timing: StepTiming = {
      id: row.id,
      kind: row.kind,
      from: row.state,
      to: run.to,
      wallMs,
      waitedByDaemonMs: run.waitedByDaemonMs,
      processingMs,
    };
    for (const listener of this.onTiming) listener(timing);
  }

  private async advance(start: JournalRow): Promise<JournalRow> {
    let row = start;
    for (;;) {
      const before = row.state;
      try {
        if (row.state === "seen") row = await this.queueSteps.claim(row, (r) => this.describe(r));
        else if (row.state === "claimed") row = await this.execute(row);
        else if (row.state === "executing") row = await this.resume(row);
        else if (row.state === "done") row = await this.queueSteps.report(row, this.options.metrics);
        else return row;
      } catch (error) {
        return this.handleError(row, error);
      }
      if (row.state === before || row.retryAt > this.now()) return row;
    }
  }

  /** claimed -> executing -> done: validate, check limits, write `executing`, act, settle. */
  private async execute(row: JournalRow): Promise<JournalRow> {
    const action = this.decode(row);
    const spend = this.handler(action).onchainSpend(action);
    const acted = await this.oneSpenderAtATime(spend, () => this.checkAndAct(row, action, spend));
    if (acted.resume) return this.resume(acted.row);
    return acted.ref === undefined ? acted.row : this.settle(acted.row, action, acted.ref);
  }

  /**
   * Actions that spend on-chain check the daily budget and record their spend one at a time: with several actions
   * in flight, two checks before either recorded would let both through over the budget.
   */
  private oneSpenderAtATime<T>(spend: bigint, work: () => Promise<T>): Promise<T> {
    if (spend === 0n) return work();
    const turn = this.spending.then(work);
    this.spending = turn.catch(() => undefined);
    return turn;
  }

  /**
   * claimed -> executing, then the act and its recorded answer; settling (and resuming an earlier round's act) is
   * left to the caller, outside the spenders' turn.
   */
  private async checkAndAct(
    row: JournalRow,
    action: RelayAction,
    spend: bigint,
  ): Promise<{ row: JournalRow; ref?: string; resume?: true }> {
    const { journal } = this.options;
    const handler = this.handler(action);
    const spentToday = await journal.spend.spentOn(utcDay(this.now()));
    const refusal = checkLimits(action, this.options.config.limits, spend, spentToday);
    if (refusal) return { row: await this.finishFailure(row, "claimed", refusal) };
    if (!(await this.queueSteps.leaseIsLive(row)))
      return {
        row: await journal.actions.move(
          row.id,
          "claimed",
          "seen",
          { claimExpires: null },
          this.now(),
          "lease ran out before acting",
        ),
      };
    const actedBefore = row.executingAt !== null;
    const executing = await journal.actions.move(
      row.id,
      "claimed",
      "executing",
      { executingAt: actedBefore ? row.executingAt : this.now() },
      this.now(),
      handler.describe(action as never),
    );
    // A previous round may have acted (a timeout, a crash): look for its effect before acting again.
    if (actedBefore) return { row: executing, resume: true };
    const ref = await handler.act(action, this.context(executing));
    return { row: await this.recordRef(executing, action, ref), ref };
  }

  /** executing: find an earlier act's effect, else act (after the grace period), then settle. */
  private async resume(row: JournalRow): Promise<JournalRow> {
    const action = this.decode(row);
    if (row.daemonRef) return this.settle(row, action, row.daemonRef);
    const graceEnds = (row.executingAt ?? 0) + this.options.config.executor.recoveryGraceMs;
    if (this.now() < graceEnds) return this.options.journal.actions.patch(row.id, { retryAt: graceEnds }, this.now());
    const found = await this.handler(action).reconcile(action, this.context(row));
    if (found) return this.settle(await this.recordRef(row, action, found), action, found);
    if (!(await this.queueSteps.renewLease(row)))
      return this.options.journal.actions.get(row.id) as Promise<JournalRow>;
    return this.actAndSettle(row, action);
  }

  private async actAndSettle(row: JournalRow, action: RelayAction): Promise<JournalRow> {
    const ref = await this.handler(action).act(action, this.context(row));
    return this.settle(await this.recordRef(row, action, ref), action, ref);
  }

  private async recordRef(row: JournalRow, action: RelayAction, ref: string): Promise<JournalRow> {
    const spend = this.handler(action).onchainSpend(action);
    if (spend > 0n) await this.options.journal.spend.record(row.id, utcDay(this.now()), spend);
    return this.options.journal.actions.patch(row.id, { daemonRef: ref }, this.now());
  }

  private async settle(row: JournalRow, action: RelayAction, ref: string): Promise<JournalRow> {
    const evidence = await this.handler(action).settle(action, ref, this.context(row));
    return this.options.journal.actions.move(
      row.id,
      "executing",
      "done",
      { outcome: "success", evidenceHex: Buffer.from(evidence).toString("hex"), lastError: null, lastErrorKind: null },
      this.now(),
      `evidence ${Buffer.from(evidence).toString("hex")}`,
    );
  }

  private finishFailure(
    row: JournalRow,
    from: "claimed" | "executing",
    failure: PermanentFailure | RetryableFailure,
  ): Promise<JournalRow> {
    const permanent = failure instanceof PermanentFailure;
    const code = permanent ? failure.code : FAILURE_CODE.unavailable;
    this.options.log.warn("action failed", {
      id: row.id,
      kind: row.kind,
      code,
      retryable: !permanent,
      reason: failure.message,
    });
    return this.options.journal.actions.move(
      row.id,
      from,
      "done",
      {
        outcome: "failure",
        failureCode: code,
        failureRetryable: !permanent,
        failureDetail: failureDetail(permanent ? failure.reason : failure.message),
        lastError: failure.message,
        lastErrorKind: permanent ? "permanent" : "retryable",
      },
      this.now(),
      `failure ${code}`,
    );
  }

  private async handleError(row: JournalRow, error: unknown): Promise<JournalRow> {
    const { journal, log, config } = this.options;
    const current = (await journal.actions.get(row.id)) ?? row;
    if (error instanceof NotFinalYet) {
      return journal.actions.patch(row.id, { retryAt: this.now() + config.executor.pollIntervalMs }, this.now());
    }
    const failure = classify(error);
    const onDaemonSide = current.state === "claimed" || current.state === "executing";
    if (failure instanceof PermanentFailure && onDaemonSide)
      return this.finishFailure(current, current.state as "claimed" | "executing", failure);
    const errorCount = current.errorCount + 1;
    if (onDaemonSide && !(await this.queueSteps.leaseHasMargin(current).catch(() => true))) {
      return this.finishFailure(
        current,
        current.state as "claimed" | "executing",
        new RetryableFailure(failure.message),
      );
    }
    const backoff = Math.min(
      config.executor.maxBackoffMs,
      config.executor.retryBackoffMs * 2 ** Math.min(errorCount - 1, 20),
    );
    log.warn("job step failed; will retry", {
      id: row.id,
      kind: row.kind,
      state: current.state,
      attempt: errorCount,
      in_ms: backoff,
      error: failure.message,
    });
    return journal.actions.patch(
      row.id,
      {
        errorCount,
        lastError: failure.message,
        lastErrorKind: failure instanceof PermanentFailure ? "permanent" : "retryable",
        retryAt: this.now() + backoff,
      },
      this.now(),
    );
  }

  private decode(row: JournalRow): RelayAction {
    return this.options.decode(row.kind, Buffer.from(row.payloadHex, "hex"));
  }

  private decodeSafely(row: JournalRow): RelayAction | undefined {
    try {
      return this.decode(row);
    } catch {
      return undefined;
    }
  }

  private describe(row: JournalRow): string {
    try {
      const action = this.decode(row);
      const spend = this.handler(action).onchainSpend(action);
      const refusal = checkLimits(action, this.options.config.limits, spend, 0n);
      const wouldFail = refusal ? ` -- would fail ${refusal.code}: ${refusal.reason}` : "";
      return `${this.handler(action).describe(action as never)}${wouldFail}`;
    } catch (error) {
      const failure = classify(error);
      return `would fail ${failure instanceof PermanentFailure ? failure.code : "(retryable)"}: ${failure.message}`;
    }
  }

  private handler(action: RelayAction): KindHandler<RelayAction["kind"]> {
    return HANDLERS[action.kind] as KindHandler<RelayAction["kind"]>;
  }

  private context(row: JournalRow): KindContext {
    const { journal, config, log } = this.options;
    return {
      actionId: row.id,
      key: idempotencyKey(row.id),
      daemons: this.daemons,
      jobs: journal.jobs,
      limits: config.limits,
      executor: config.executor,
      lvAssetId: async () => (await lvAsset(journal, config)).assetId,
      log: log.child({ id: row.id, kind: row.kind }),
      now: this.now,
    };
  }
}
