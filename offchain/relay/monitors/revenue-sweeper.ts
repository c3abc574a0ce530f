// The revenue sweeper: once per epoch (`monitors.revenue_epoch_blocks` burn blocks) it turns the node's new routing
// revenue into LV. Each epoch is a job, every step journaled before it acts:
//   planned (the forwards window, revenue, shares by get-allocation)
//   -> minting (before tapd mints `LV-e<epoch>` into the LV group; the first run creates the group) -> minted
//   -> recording (record-revenue-epoch, its signed transaction journaled) -> paying (each wallet's share sent from
//   the reserve's tapd in one transfer labelled lvdao:epoch:<epoch>) -> done
// The epoch is recorded before its shares move, so a change of allocation between planning and recording only
// re-splits LV that has not moved yet. After a crash: a mint is found by its name, the shares' transfer by its label.
import { Cl } from "@stacks/transactions";
import { ERRORS, errorName } from "../../clarity/errors.ts";
import type { RelayConfig, Wallet } from "../config.ts";
import type { LndPort, TapdPort } from "../daemons/ports.ts";
import { classify, PermanentFailure } from "../failure.ts";
import { LV_ASSET_ID_KEY, LV_GROUP_KEY, lvAsset } from "../jobs/lv-asset.ts";
import { JobStore, type Job, type Stored } from "../jobs/store.ts";
import type { TxSender } from "../jobs/tx-sender.ts";
import type { Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { RelayMetrics } from "../metrics.ts";
import type { QueuePort } from "../stacks/queue.ts";
import type { Allocation, ContractView } from "../stacks/reads.ts";
import { epochEvidence, lastEndedEpoch, revenueOf, splitByAllocation, type Shares } from "./revenue-split.ts";

interface Payment {
  wallet: Wallet;
  amount: bigint;
  address: string | null;
  /** set (ms) before the send; with no anchor txid after a crash, the send is looked up by its label */
  sendingAt: number | null;
  anchorTxid: string | null;
}

export interface EpochJob extends Job {
  state: "planned" | "minting" | "minted" | "recording" | "paying" | "done" | "conflict";
  epoch: bigint;
  after: string;
  before: string;
  revenueSats: bigint;
  carryMsat: bigint;
  forwards: number;
  digest: string;
  allocation: Allocation;
  shares: Shares;
  mintingAt: number | null;
  assetId: string | null;
  mintTxid: string | null;
  payments: Payment[];
  detail: string | null;
}

const LEDGER = ERRORS["lv-ledger"];
export const mintName = (epoch: bigint): string => `LV-e${epoch}`;
export const shareLabel = (epoch: bigint, wallet: Wallet): string => `lvdao:epoch:${epoch}:${wallet}`;
const epochId = (epoch: bigint): string => epoch.toString().padStart(12, "0");

export interface RevenueSweeperOptions {
  journal: Journal;
  chain: ContractView;
  queue: Pick<QueuePort, "tip">;
  tx: TxSender;
  deployer: string;
  lnd: LndPort;
  /** the tapd of each LV wallet; the reserve's mints (it holds the group key) */
  tapd: Partial<Record<Wallet, TapdPort>>;
  config: Pick<RelayConfig, "lv"> & { epochBlocks: number; recoveryGraceMs: number };
  log: Logger;
  metrics?: Pick<RelayMetrics, "lvMinted" | "revenueEpoch">;
  now?: () => number;
}

export class RevenueSweeper {
  readonly jobs: JobStore<EpochJob>;
  private readonly now: () => number;
  private readonly reserve: TapdPort;
  private readonly freshMints = new Set<string>();
  lastEpoch: Record<string, string> | null = null;

  constructor(private readonly o: RevenueSweeperOptions) {
    this.now = o.now ?? Date.now;
    this.jobs = new JobStore<EpochJob>(o.journal.jobs, "epoch:", this.now);
    if (!o.tapd.reserve) throw new Error("the revenue sweeper needs the reserve wallet's tapd");
    this.reserve = o.tapd.reserve;
  }

  async round(): Promise<void> {
    await this.step();
    await this.publish();
  }

  /** The LV minted and the newest epoch, over the epochs recorded on-chain (paying or done). */
  private async publish(): Promise<void> {
    if (!this.o.metrics) return;
    const recorded = (await this.jobs.list()).filter((j) => j.job.state === "paying" || j.job.state === "done");
    this.o.metrics.lvMinted.set(recorded.reduce((sum, j) => sum + j.job.revenueSats, 0n));
    const newest = recorded.at(-1);
    if (newest) this.o.metrics.revenueEpoch.set(newest.job.epoch);
  }

  private async step(): Promise<void> {
    const jobs = await this.jobs.list();
    const latest = jobs.at(-1);
    if (latest && !["done", "conflict"].includes(latest.job.state)) {
      await this.advance(latest);
      return;
    }
    const { burnHeight } = await this.o.queue.tip();
    const epoch = lastEndedEpoch(burnHeight, this.o.config.epochBlocks);
    if (epoch === undefined || (latest && latest.job.epoch >= epoch)) return;
    const planned = await this.plan(epoch, latest?.job);
    if (planned) await this.advance(planned);
  }

  /** The new revenue since the last epoch's window, split by the allocation in force. */
  private async plan(epoch: bigint, previous: EpochJob | undefined): Promise<Stored<EpochJob> | undefined> {
    const after = previous ? new Date(previous.before) : new Date(0);
    // lnd's forwarding history takes whole seconds (and rounds a Date to one), so each window ends on a whole second
    // before now: a forward in the current second belongs to the next epoch, and every forward to exactly one.
    const before = new Date(Math.max(Math.floor(this.now() / 1000) * 1000, after.getTime()));
    const forwards = before > after ? await this.o.lnd.forwards(after, before) : [];
    // lnd's end time is inclusive; a forward on the boundary second is the next window's.
    const revenue = revenueOf(
      forwards.filter((f) => f.at >= after && f.at < before),
      previous?.carryMsat ?? 0n,
    );
    const allocation = await this.o.chain.allocation();
    const job: EpochJob = {
      state: "planned",
      epoch,
      after: after.toISOString(),
      before: before.toISOString(),
      revenueSats: revenue.sats,
      carryMsat: revenue.carryMsat,
      forwards: revenue.forwards,
      digest: revenue.digest,
      allocation,
      shares: splitByAllocation(revenue.sats, allocation),
      mintingAt: null,
      assetId: null,
      mintTxid: null,
      payments: [],
      detail: null,
    };
    if (!(await this.jobs.create(epochId(epoch), job))) return undefined;
    this.o.log.info("revenue epoch planned", {
      epoch,
      revenue_sats: revenue.sats,
      forwards: revenue.forwards,
      carry_msat: revenue.carryMsat,
    });
    return this.jobs.get(epochId(epoch));
  }

  private async advance(start: Stored<EpochJob>): Promise<void> {
    let job = start;
    for (;;) {
      const before = job.job.state;
      if (job.job.state === "planned") {
        job = await this.jobs.move(job, {
          ...job.job,
          state: job.job.revenueSats > 0n ? "minting" : "recording",
          mintingAt: this.now(),
        });
        this.freshMints.add(job.id);
      } else if (job.job.state === "minting") job = await this.mint(job);
      else if (job.job.state === "minted") job = await this.awaitMint(job);
      else if (job.job.state === "recording") job = await this.record(job);
      else if (job.job.state === "paying") job = await this.pay(job);
      if (job.job.state === before || job.job.state === "done" || job.job.state === "conflict") return;
    }
  }

  /** The LV group key, resolving a configured lv.asset_id to its group on the reserve's tapd. */
  private async groupKey(): Promise<string | undefined> {
    const lv = await lvAsset(this.o.journal, this.o.config);
    if (lv.groupKey || !lv.assetId) return lv.groupKey;
    const asset = (await this.reserve.assets()).find((a) => a.assetId === lv.assetId);
    if (!asset?.groupKey)
      throw new Error(
        `lv.asset_id ${lv.assetId} is not a grouped asset held by the reserve's tapd; ` +
          "the revenue sweeper mints into LV's group",
      );
    await this.o.journal.jobs.set(LV_GROUP_KEY, asset.groupKey, this.now());
    return asset.groupKey;
  }

  /** minting -> minted: find an earlier mint by name (a crash), else mint. */
  private async mint(job: Stored<EpochJob>): Promise<Stored<EpochJob>> {
    const name = mintName(job.job.epoch);
    let minted = (await this.reserve.assets()).find((a) => a.name === name);
    if (!minted) {
      // Right after this process wrote `minting` it mints at once; a `minting` left by a crash or a timed-out call
      // waits out the grace period first, in case that mint still lands.
      const fresh = this.freshMints.delete(job.id);
      if (!fresh && this.now() < (job.job.mintingAt ?? 0) + this.o.config.recoveryGraceMs) return job;
      const groupKey = await this.groupKey();
      if (!fresh) job = await this.jobs.move(job, { ...job.job, mintingAt: this.now() });
      minted = await this.reserve.mint({ name, amount: job.job.revenueSats, groupKey });
      this.o.log.info("LV minted", {
        epoch: job.job.epoch,
        amount: job.job.revenueSats,
        asset: minted.assetId,
        new_group: !groupKey,
      });
    }
    if (!minted.groupKey) throw new Error(`the mint of ${name} has no group`);
    if (!(await this.o.journal.jobs.get(LV_GROUP_KEY)))
      await this.o.journal.jobs.set(LV_GROUP_KEY, minted.groupKey, this.now());
    if (!this.o.config.lv.assetId && !(await this.o.journal.jobs.get(LV_ASSET_ID_KEY)))
      await this.o.journal.jobs.set(LV_ASSET_ID_KEY, minted.assetId, this.now());
    return this.jobs.move(job, { ...job.job, state: "minted", assetId: minted.assetId, mintTxid: minted.anchor.txid });
  }

  /** minted -> recording once the mint is confirmed (tapd sends only confirmed assets). */
  private async awaitMint(job: Stored<EpochJob>): Promise<Stored<EpochJob>> {
    const asset = (await this.reserve.assets()).find((a) => a.assetId === job.job.assetId);
    if (!asset || asset.anchorBlockHeight === 0) return job;
    return this.jobs.move(job, { ...job.job, state: "recording" });
  }

  /** recording -> paying: record-revenue-epoch with shares of the allocation in force now. */
  private async record(job: Stored<EpochJob>): Promise<Stored<EpochJob>> {
    let current = job;
    if (!current.job.tx) {
      const allocation = await this.o.chain.allocation();
      if (JSON.stringify(allocation, big) !== JSON.stringify(current.job.allocation, big)) {
        this.o.log.warn("the LV allocation changed since the epoch was planned; splitting by the new one", {
          epoch: job.job.epoch,
        });
        current = await this.jobs.move(current, {
          ...current.job,
          allocation,
          shares: splitByAllocation(current.job.revenueSats, allocation),
        });
      }
    }
    const { shares, revenueSats } = current.job;
    const sent = await this.o.tx.run(this.jobs, current, {
      contractId: `${this.o.deployer}.lv-ledger`,
      functionName: "record-revenue-epoch",
      args: [
        Cl.uint(current.job.epoch),
        Cl.uint(revenueSats),
        Cl.uint(revenueSats),
        Cl.uint(shares.toInfrastructure),
        Cl.uint(shares.toChannels),
        Cl.uint(shares.toReserve),
        Cl.buffer(epochEvidence(current.job.mintTxid, current.job.digest)),
      ],
    });
    const { outcome } = sent;
    current = sent.current;
    if (outcome.status === "dropped") return current;
    if (outcome.status === "failed") {
      if (outcome.errorCode === LEDGER.ERR_SHARE_MISMATCH)
        return this.jobs.move(current, { ...current.job, tx: undefined });
      if (outcome.errorCode === LEDGER.ERR_EPOCH_RECORDED) {
        this.o.log.error("another relay recorded this revenue epoch; the LV minted for it stays in the reserve", {
          epoch: current.job.epoch,
        });
        return this.jobs.move(current, {
          ...current.job,
          state: "conflict",
          tx: undefined,
          detail: "ERR_EPOCH_RECORDED",
        });
      }
      throw new Error(
        `record-revenue-epoch ${current.job.epoch} failed: ${errorName(outcome.errorCode ?? 0) ?? outcome.resultRepr}`,
      );
    }
    const payments: Payment[] = (
      [
        ["operations", shares.toInfrastructure],
        ["channels", shares.toChannels],
      ] as const
    )
      .filter(
        ([wallet, amount]) => amount > 0n && this.o.tapd[wallet] !== undefined && this.o.tapd[wallet] !== this.reserve,
      )
      .map(([wallet, amount]) => ({ wallet, amount, address: null, sendingAt: null, anchorTxid: null }));
    this.lastEpoch = {
      epoch: String(current.job.epoch),
      revenueSats: String(revenueSats),
      ...Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, String(v)])),
    };
    this.o.log.info("revenue epoch recorded", { epoch: current.job.epoch, ...this.lastEpoch });
    return this.jobs.move(current, {
      ...current.job,
      state: payments.length ? "paying" : "done",
      tx: undefined,
      payments,
    });
  }

  /**
   * paying -> done: each share from the reserve to its wallet's tapd, one labelled send each. A send's change is
   * spendable once its anchor confirms, so while tapd cannot fund the next send yet the job waits for a block.
   */
  private async pay(job: Stored<EpochJob>): Promise<Stored<EpochJob>> {
    let current = job;
    for (let i = 0; i < current.job.payments.length; i++) {
      const payment = current.job.payments[i]!;
      if (payment.anchorTxid) continue;
      const label = shareLabel(current.job.epoch, payment.wallet);
      const update = (patch: Partial<Payment>, detail: string | null = null) =>
        this.jobs.move(current, {
          ...current.job,
          detail,
          payments: current.job.payments.map((p, j) => (j === i ? { ...p, ...patch } : p)),
        });
      if (payment.sendingAt !== null) {
        const found = (await this.reserve.listTransfers()).find((t) => t.label === label);
        if (found) {
          current = await update({ anchorTxid: found.anchorTxid });
          continue;
        }
        if (this.now() < payment.sendingAt + this.o.config.recoveryGraceMs) return current;
      }
      if (!payment.address)
        current = await update({
          address: await this.o.tapd[payment.wallet]!.newLvAddress(
            { groupKey: undefined, assetId: current.job.assetId! },
            payment.amount,
          ),
        });
      const sending = await update({ sendingAt: this.now() });
      current = sending;
      let anchorTxid: string;
      try {
        ({ anchorTxid } = await this.reserve.send({ address: sending.job.payments[i]!.address!, label }));
      } catch (error) {
        const failure = classify(error);
        if (!(failure instanceof PermanentFailure) || !/satisfy given constraints|insufficient/i.test(failure.reason))
          throw error;
        // Nothing was sent: the reserve's coins are still unconfirmed change. Clear the intent and wait a block.
        return update({ sendingAt: null }, `waiting for spendable LV on the reserve: ${failure.reason}`);
      }
      current = await update({ anchorTxid });
      this.o.log.info("revenue share sent", {
        epoch: current.job.epoch,
        wallet: payment.wallet,
        amount: payment.amount,
        anchor: anchorTxid,
      });
    }
    return this.jobs.move(current, { ...current.job, state: "done", detail: null });
  }

  async details(): Promise<Record<string, unknown>> {
    const latest = (await this.jobs.list()).at(-1);
    return {
      epochBlocks: this.o.config.epochBlocks,
      latest: latest
        ? {
            epoch: String(latest.job.epoch),
            state: latest.job.state,
            revenueSats: String(latest.job.revenueSats),
            detail: latest.job.detail,
          }
        : null,
      lastRecorded: this.lastEpoch,
    };
  }
}

const big = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);
