// The executor's chain side: claiming an action (seen -> claimed), keeping the claim's lease, and writing the
// receipt (done -> reported). Each transaction's txid is journaled as soon as it is broadcast, so after a crash the
// relay waits for that transaction instead of sending another. Before each call the on-chain action is read, so a
// relay never claims or reports an action that already ended.
import { ERRORS, errorName } from "../../clarity/errors.ts";
import type { RelayConfig } from "../config.ts";
import { RetryableFailure } from "../failure.ts";
import type { ActionJournal, JournalRow } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { RelayMetrics } from "../metrics.ts";
import type { TxOutcome } from "../stacks/client.ts";
import type { OnChainAction, QueuePort } from "../stacks/queue.ts";

const QUEUE = ERRORS["execution-queue"];
const ENDED: readonly number[] = [QUEUE.ERR_FINISHED, QUEUE.ERR_EXPIRED, QUEUE.ERR_UNKNOWN_ACTION];
const isFinished = (a: OnChainAction): boolean => !["queued", "claimed"].includes(a.status);

export interface QueueStepsOptions {
  actions: ActionJournal;
  queue: QueuePort;
  log: Logger;
  now: () => number;
  config: RelayConfig["executor"];
  dryRun: boolean;
  /** whether the DAO has this relay enabled (stacks/enablement.ts); no claim is tried while it is not */
  enablement?: { enabled(): Promise<boolean> };
}

function claimExpiry(outcome: Extract<TxOutcome, { status: "success" }>): number {
  const match = /^\(ok u(\d+)\)$/.exec(outcome.resultRepr);
  if (!match) throw new RetryableFailure(`unexpected claim result ${outcome.resultRepr}`);
  return Number(match[1]);
}

export class QueueSteps {
  constructor(private readonly o: QueueStepsOptions) {}

  private later(): number {
    return this.o.now() + Math.max(this.o.config.pollIntervalMs, this.o.config.retryBackoffMs);
  }

  private close(row: JournalRow, reason: string): Promise<JournalRow> {
    this.o.log.info("action closed without this relay", { id: row.id, kind: row.kind, reason });
    return this.o.actions.close(row.id, row.state, reason, this.o.now());
  }

  private wait(row: JournalRow, reason: string): Promise<JournalRow> {
    this.o.log.debug("waiting", { id: row.id, reason });
    return this.o.actions.patch(row.id, { retryAt: this.later() }, this.o.now());
  }

  /** seen -> claimed. In a dry run, logs what would be done and closes the row, touching neither chain nor daemon. */
  async claim(row: JournalRow, describe: (row: JournalRow) => string): Promise<JournalRow> {
    const { actions, queue, now } = this.o;
    if (this.o.dryRun) {
      this.o.log.info("dry run: would claim and execute", { id: row.id, kind: row.kind, plan: describe(row) });
      return this.close(row, "dry-run");
    }
    if (!row.claimTxid && this.o.enablement && !(await this.o.enablement.enabled()))
      return this.wait(row, "this relay is disabled by the DAO");
    const tip = await queue.tip();
    if (!row.claimTxid) {
      if (tip.burnHeight >= row.expires) return this.close(row, "expired");
      if (tip.burnHeight < row.eta) return this.wait(row, `eta ${row.eta} not reached (burn height ${tip.burnHeight})`);
      const onChain = await queue.getAction(row.id);
      if (!onChain) return this.wait(row, "not visible on-chain yet");
      if (isFinished(onChain)) return this.close(row, onChain.status);
      if (onChain.status === "claimed" && onChain.claimExpires > tip.burnHeight) {
        if (onChain.relay === queue.relayAddress) {
          return actions.move(
            row.id,
            "seen",
            "claimed",
            { claimExpires: onChain.claimExpires },
            now(),
            "claim found on-chain",
          );
        }
        return this.wait(row, `lease held by ${onChain.relay} until ${onChain.claimExpires}`);
      }
      row = await actions.patch(row.id, { claimTxid: await queue.claim(row.id) }, now());
      this.o.log.info("claim broadcast", { id: row.id, kind: row.kind, txid: row.claimTxid });
    }
    const outcome = await queue.waitForTx(row.claimTxid!);
    if (outcome.status === "success") {
      return actions.move(
        row.id,
        "seen",
        "claimed",
        { claimExpires: claimExpiry(outcome), claimTxid: null },
        now(),
        `claim ${row.claimTxid}`,
      );
    }
    await actions.patch(row.id, { claimTxid: null }, now());
    if (outcome.status === "dropped") throw new RetryableFailure(`claim transaction dropped: ${outcome.reason}`);
    if (outcome.errorCode !== undefined && ENDED.includes(outcome.errorCode))
      return this.close(row, errorName(outcome.errorCode) ?? outcome.resultRepr);
    if (outcome.errorCode === QUEUE.ERR_NOT_RELAY)
      this.o.log.error("this relay's key is not an enabled relay", { address: queue.relayAddress });
    return this.wait(
      row,
      `claim failed: ${outcome.errorCode !== undefined ? errorName(outcome.errorCode) : outcome.resultRepr}`,
    );
  }

  async leaseIsLive(row: JournalRow): Promise<boolean> {
    return (await this.o.queue.tip()).burnHeight < (row.claimExpires ?? 0);
  }

  async leaseHasMargin(row: JournalRow): Promise<boolean> {
    return (await this.o.queue.tip()).burnHeight + this.o.config.leaseMarginBlocks < (row.claimExpires ?? 0);
  }

  /**
   * Before acting from `executing` (nothing was found by reconcile): makes sure this relay still holds the claim,
   * claiming again if its lease ran out. False when it cannot act now (the row was moved or rescheduled).
   */
  async renewLease(row: JournalRow): Promise<boolean> {
    const { actions, queue, now } = this.o;
    if (await this.leaseIsLive(row)) return true;
    const onChain = await queue.getAction(row.id);
    if (!onChain) throw new RetryableFailure(`action ${row.id} is not visible on-chain`);
    if (isFinished(onChain)) {
      await this.close(row, `${onChain.status} on-chain while this relay's lease had run out (nothing was done)`);
      return false;
    }
    const outcome = await queue.waitForTx(await queue.claim(row.id));
    if (outcome.status === "success") {
      await actions.patch(row.id, { claimExpires: claimExpiry(outcome) }, now());
      return true;
    }
    await this.wait(row, "could not renew the claim");
    return false;
  }

  /** done -> reported: report-success with the evidence, or report-failure with the code. */
  async report(row: JournalRow, metrics: RelayMetrics): Promise<JournalRow> {
    const { actions, queue, now } = this.o;
    if (!row.reportTxid) {
      const onChain = await queue.getAction(row.id);
      if (!onChain) throw new RetryableFailure(`action ${row.id} is not visible on-chain`);
      if (
        isFinished(onChain) &&
        onChain.relay === queue.relayAddress &&
        ["executed", "failed"].includes(onChain.status)
      ) {
        // The receipt went out before a crash could journal its txid.
        return actions.move(row.id, "done", "reported", {}, now(), `receipt found on-chain (${onChain.status})`);
      }
      if (isFinished(onChain)) {
        const level = row.outcome === "success" ? "error" : "warn";
        this.o.log[level]("action ended on-chain before this relay's receipt", {
          id: row.id,
          status: onChain.status,
          outcome: row.outcome,
        });
        return this.close(row, `${onChain.status} on-chain before this relay's receipt`);
      }
      if (onChain.status !== "claimed" || onChain.relay !== queue.relayAddress) {
        const tip = await queue.tip();
        if (onChain.status === "claimed" && onChain.claimExpires > tip.burnHeight)
          return this.wait(row, `lease held by ${onChain.relay}`);
        const claimed = await queue.waitForTx(await queue.claim(row.id));
        if (claimed.status !== "success") return this.wait(row, "could not claim again to report");
      }
      const evidence = Buffer.from(row.evidenceHex ?? "", "hex");
      const txid =
        row.outcome === "success"
          ? await queue.reportSuccess(row.id, evidence)
          : await queue.reportFailure(
              row.id,
              row.failureCode ?? 500,
              row.failureRetryable ?? false,
              row.failureDetail ?? "",
            );
      row = await actions.patch(row.id, { reportTxid: txid }, now());
      this.o.log.info("receipt broadcast", { id: row.id, kind: row.kind, outcome: row.outcome, txid });
    }
    const outcome = await queue.waitForTx(row.reportTxid!);
    if (outcome.status !== "success") {
      await actions.patch(row.id, { reportTxid: null }, now());
      throw new RetryableFailure(
        "receipt transaction " +
          `${outcome.status === "dropped" ? `dropped: ${outcome.reason}` : `failed: ${outcome.resultRepr}`}`,
      );
    }
    const label = { kind: row.kind, outcome: row.outcome === "success" ? "executed" : `failed-${row.failureCode}` };
    metrics.actions.inc(label);
    metrics.actionSeconds.observe((now() - row.createdAt) / 1000, { kind: row.kind });
    if (row.outcome === "failure" && row.failureRetryable && outcome.resultRepr === "(ok true)") {
      this.o.log.info("action requeued on-chain after a retryable failure", { id: row.id, attempt: row.attempt + 1 });
      return actions.requeue(
        row.id,
        "done",
        { attempt: row.attempt + 1, retryAt: this.later() },
        now(),
        `requeued after retryable failure ${row.failureCode}`,
      );
    }
    return actions.move(row.id, "done", "reported", {}, now(), `receipt ${row.reportTxid}`);
  }
}
