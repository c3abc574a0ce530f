// The pledge watcher: each `lv-pledged` event becomes a job that gives the pledge a tapd address of the reserve
// wallet (set-pledge-address) and, once the LV has arrived there (the address's receipt is `completed` with
// `monitors.pledge_confirmations`), confirms the contribution with its anchor outpoint and the amount received
// (confirm-contribution, which mints GT to the pledger). Each step is journaled before it acts:
//   new -> addressing (the address, before set-pledge-address) -> awaiting -> confirming (anchor and amount, before
//   confirm-contribution) -> confirmed
// A pledge confirmed by the time the job looks at it (another relay, a replayed event) ends as `confirmed`
// untouched; one the chain will not take ends as `rejected` with the contract's error.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { ERRORS, errorName } from "../../clarity/errors.ts";
import type { RelayConfig } from "../config.ts";
import type { TapdPort } from "../daemons/ports.ts";
import { lvAsset, lvKnown } from "../jobs/lv-asset.ts";
import { JobStore, type Job, type Stored } from "../jobs/store.ts";
import type { TxSender } from "../jobs/tx-sender.ts";
import type { Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { TxOutcome } from "../stacks/client.ts";
import type { ContractEvent, EventRouter } from "../stacks/events.ts";
import type { ContractView } from "../stacks/reads.ts";

export interface PledgeJob extends Job {
  state: "new" | "addressing" | "awaiting" | "confirming" | "confirmed" | "rejected";
  pledgeId: bigint;
  pledger: string;
  amount: bigint;
  address: string | null;
  anchor: string | null;
  received: bigint | null;
  gtMinted: bigint | null;
  detail: string | null;
}

const OPEN: readonly PledgeJob["state"][] = ["new", "addressing", "awaiting", "confirming"];
const LEDGER = ERRORS["lv-ledger"];

/** The anchor outpoint as confirm-contribution takes it: txid (32 bytes, display order) + vout (uint32 BE). */
export function anchorBytes(outpoint: { txid: string; vout: number }): Buffer {
  const out = Buffer.alloc(36);
  Buffer.from(outpoint.txid, "hex").copy(out, 0);
  out.writeUInt32BE(outpoint.vout, 32);
  return out;
}

export interface PledgeWatcherOptions {
  journal: Journal;
  chain: ContractView;
  tx: TxSender;
  deployer: string;
  /** the reserve wallet's tapd: pledged LV is received there */
  tapd: TapdPort;
  config: Pick<RelayConfig, "lv"> & { confirmations: number };
  log: Logger;
  now?: () => number;
}

export class PledgeWatcher {
  readonly jobs: JobStore<PledgeJob>;
  waitingFor: string | null = null;

  constructor(private readonly o: PledgeWatcherOptions) {
    this.jobs = new JobStore<PledgeJob>(o.journal.jobs, "pledge:", o.now);
  }

  /** Subscribes to lv-ledger's pledge events; `onWork` wakes the worker. */
  register(router: EventRouter, onWork: () => void): void {
    router.on("lv-ledger", "lv-pledged", async (event: ContractEvent) => {
      const pledgeId = event.fields.uint("pledge-id");
      const created = await this.jobs.create(String(pledgeId), {
        state: "new",
        pledgeId,
        pledger: event.fields.principal("pledger"),
        amount: event.fields.uint("amount"),
        address: null,
        anchor: null,
        received: null,
        gtMinted: null,
        detail: null,
      });
      if (created) {
        this.o.log.info("pledge seen", { pledge: pledgeId, amount: event.fields.uint("amount") });
        onWork();
      }
    });
  }

  async round(): Promise<void> {
    this.waitingFor = null;
    for (const stored of await this.jobs.list()) {
      if (!OPEN.includes(stored.job.state)) continue;
      await this.advance(stored);
    }
  }

  private async advance(start: Stored<PledgeJob>): Promise<void> {
    let job = start;
    for (;;) {
      const before = job.job.state;
      if (job.job.state === "new") job = await this.address(job);
      else if (job.job.state === "addressing") job = await this.publishAddress(job);
      else if (job.job.state === "awaiting") job = await this.checkReceipt(job);
      else if (job.job.state === "confirming") job = await this.confirm(job);
      if (job.job.state === before || !OPEN.includes(job.job.state)) return;
    }
  }

  /** new -> addressing: a reserve address for the pledged amount, journaled before it goes on-chain. */
  private async address(job: Stored<PledgeJob>): Promise<Stored<PledgeJob>> {
    const onChain = await this.o.chain.pledge(job.job.pledgeId);
    if (!onChain) return job;
    if (onChain.confirmed)
      return this.jobs.move(job, {
        ...job.job,
        state: "confirmed",
        detail: "confirmed on-chain before this relay acted",
      });
    const lv = await lvAsset(this.o.journal, this.o.config);
    if (!lvKnown(lv)) {
      this.waitingFor = "the LV asset (lv.asset_id, or the revenue sweeper's first mint)";
      return job;
    }
    const address = await this.o.tapd.newLvAddress(lv, job.job.amount);
    return this.jobs.move(job, { ...job.job, state: "addressing", address });
  }

  private async send(job: Stored<PledgeJob>, functionName: string, args: ClarityValue[]) {
    return this.o.tx.run(this.jobs, job, { contractId: `${this.o.deployer}.lv-ledger`, functionName, args });
  }

  /** Settles a transaction's outcome: success moves on, the contract's known refusals end the job, others retry. */
  private async settle(
    current: Stored<PledgeJob>,
    outcome: TxOutcome,
    success: Partial<PledgeJob>,
    what: string,
  ): Promise<Stored<PledgeJob>> {
    if (outcome.status === "success") return this.jobs.move(current, { ...current.job, ...success, tx: undefined });
    if (outcome.status === "dropped") return current;
    if (outcome.errorCode === LEDGER.ERR_ALREADY_CONFIRMED) {
      return this.jobs.move(current, {
        ...current.job,
        state: "confirmed",
        tx: undefined,
        detail: "already confirmed on-chain",
      });
    }
    if (outcome.errorCode === LEDGER.ERR_NOT_RELAY || outcome.errorCode === undefined)
      throw new Error(`${what} for pledge ${current.job.pledgeId} failed: ${outcome.resultRepr}`);
    const reason = errorName(outcome.errorCode) ?? outcome.resultRepr;
    this.o.log.error("the chain refused a pledge step", { pledge: current.job.pledgeId, step: what, error: reason });
    return this.jobs.move(current, { ...current.job, state: "rejected", tx: undefined, detail: `${what}: ${reason}` });
  }

  /** addressing -> awaiting: set-pledge-address. */
  private async publishAddress(job: Stored<PledgeJob>): Promise<Stored<PledgeJob>> {
    const { current, outcome } = await this.send(job, "set-pledge-address", [
      Cl.uint(job.job.pledgeId),
      Cl.stringAscii(job.job.address!),
    ]);
    const next = await this.settle(current, outcome, { state: "awaiting" }, "set-pledge-address");
    if (next.job.state === "awaiting")
      this.o.log.info("pledge address published", { pledge: job.job.pledgeId, address: job.job.address });
    return next;
  }

  /** awaiting -> confirming, once the LV is in: the anchor and amount are journaled before confirm-contribution. */
  private async checkReceipt(job: Stored<PledgeJob>): Promise<Stored<PledgeJob>> {
    const done = (await this.o.tapd.receipts(job.job.address!)).find((r) => r.status === "completed");
    if (!done) return job;
    if (this.o.config.confirmations > 1) {
      const height = await this.o.tapd.blockHeight();
      if (height - done.confirmationHeight + 1 < this.o.config.confirmations) return job;
    }
    const received = done.amount > job.job.amount ? job.job.amount : done.amount;
    return this.jobs.move(job, {
      ...job.job,
      state: "confirming",
      anchor: anchorBytes(done.anchor).toString("hex"),
      received,
    });
  }

  /** confirming -> confirmed: confirm-contribution mints the pledger's GT. */
  private async confirm(job: Stored<PledgeJob>): Promise<Stored<PledgeJob>> {
    const { current, outcome } = await this.send(job, "confirm-contribution", [
      Cl.uint(job.job.pledgeId),
      Cl.buffer(Buffer.from(job.job.anchor!, "hex")),
      Cl.uint(job.job.received!),
    ]);
    const minted = outcome.status === "success" ? /^\(ok u(\d+)\)$/.exec(outcome.resultRepr)?.[1] : undefined;
    const next = await this.settle(
      current,
      outcome,
      { state: "confirmed", gtMinted: minted === undefined ? null : BigInt(minted) },
      "confirm-contribution",
    );
    if (outcome.status === "success")
      this.o.log.info("contribution confirmed", {
        pledge: job.job.pledgeId,
        received: job.job.received,
        gt_minted: minted,
      });
    return next;
  }

  async details(): Promise<Record<string, unknown>> {
    const byState: Record<string, number> = {};
    for (const j of await this.jobs.list()) byState[j.job.state] = (byState[j.job.state] ?? 0) + 1;
    return { pledges: byState, waitingFor: this.waitingFor };
  }
}
