// Records each finished period's trade summary on-chain (`lv-ledger.record-trade-summary`, relay only, once per
// period). A period is recorded once the chain has passed it and every trade opened in it has ended; periods without
// a completed trade are not recorded. The transaction is journaled before broadcast (jobs/tx-sender.ts), so a crash
// re-sends the same transaction, never a second one.
import { Cl } from "@stacks/transactions";
import { JobStore, type Job } from "../jobs/store.ts";
import type { TxSender } from "../jobs/tx-sender.ts";
import { FINAL_STATES } from "../journal/desk-types.ts";
import type { Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { MarketSource } from "./desk.ts";
import { summarize } from "./summary.ts";

interface SummaryJob extends Job {
  state: "sending" | "recorded" | "refused";
  detail: string | null;
}

export interface SummaryRecorderOptions {
  journal: Journal;
  market: MarketSource;
  tx: TxSender;
  deployer: string;
  log: Logger;
  now?: () => number;
}

export class SummaryRecorder {
  private readonly jobs: JobStore<SummaryJob>;
  private readonly now: () => number;

  constructor(private readonly o: SummaryRecorderOptions) {
    this.now = o.now ?? Date.now;
    this.jobs = new JobStore<SummaryJob>(o.journal.jobs, "trade-summary:", this.now);
  }

  /** The periods before `current` with trades, all ended, not yet recorded, oldest first. */
  async due(current: bigint): Promise<bigint[]> {
    const recorded = new Set((await this.o.journal.desk.summaries()).map((s) => s.period));
    const open = new Set((await this.o.journal.desk.openTrades()).map((t) => t.period));
    const periods = new Set<bigint>();
    for (const s of await this.o.journal.desk.periodsWithTrades())
      if (s < current && !recorded.has(s) && !open.has(s)) periods.add(s);
    return [...periods].sort((a, b) => (a < b ? -1 : 1));
  }

  async round(): Promise<void> {
    // An idle desk reads nothing from the chain.
    if ((await this.o.journal.desk.periodsWithTrades()).length === 0) return;
    const pricing = await this.o.market.pricing();
    if (!pricing) return;
    const current = (await this.o.market.stacksHeight()) / pricing.period;
    for (const period of await this.due(current)) await this.record(period);
  }

  private async record(period: bigint): Promise<void> {
    const trades = await this.o.journal.desk.tradesInPeriod(period);
    if (trades.some((t) => !FINAL_STATES.includes(t.state))) return;
    const figures = summarize(period, trades);
    if (figures.trades === 0n) return;
    const id = period.toString();
    let job = await this.jobs.get(id);
    if (job?.job.state === "refused") return;
    if (!job) {
      if (!(await this.jobs.create(id, { state: "sending", detail: null }))) return;
      job = (await this.jobs.get(id))!;
    }
    if (job.job.state !== "sending") return;
    const { current, outcome } = await this.o.tx.run(this.jobs, job, {
      contractId: `${this.o.deployer}.lv-ledger`,
      functionName: "record-trade-summary",
      args: [
        Cl.uint(period),
        Cl.uint(figures.trades),
        Cl.uint(figures.lvVolume),
        Cl.uint(figures.satsVolume),
        Cl.uint(figures.avgPremiumBps),
        Cl.bufferFromHex(figures.tradesHash),
      ],
    });
    if (outcome.status === "dropped") throw new Error(`record-trade-summary was dropped (${outcome.reason})`);
    const txid = current.job.tx?.txid ?? null;
    if (outcome.status === "failed") {
      await this.jobs.move(current, { state: "refused", tx: undefined, detail: outcome.resultRepr });
      this.o.log.warn("trade summary refused on-chain", { period, result: outcome.resultRepr });
      return;
    }
    await this.jobs.move(current, { state: "recorded", tx: undefined, detail: null });
    await this.o.journal.desk.recordSummary({ ...figures, txid, recordedAt: this.now() });
    this.o.log.info("trade summary recorded", { period, trades: figures.trades, txid });
  }
}
