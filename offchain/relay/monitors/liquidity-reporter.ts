// The liquidity reporter: every `monitors.liquidity_report_blocks` burn blocks it posts the node's liquidity to
// liquidity-oracle.report-liquidity (on-chain sats, outbound and inbound sats over open channels, the channel count,
// the LV held by the reserve and withdrawal wallets, and the DAO vault's confirmed sats), which conviction voting
// measures requests against. The chain's last report height decides when the next one is due, so several relays or
// a restart never report early; the report in flight is a job, so a crash re-sends the same signed transaction
// instead of a second one.
import { Cl } from "@stacks/transactions";
import type { RelayConfig } from "../config.ts";
import type { LndPort, TapdPort } from "../daemons/ports.ts";
import { lvAsset, lvKnown } from "../jobs/lv-asset.ts";
import { JobStore, type Job } from "../jobs/store.ts";
import type { TxSender } from "../jobs/tx-sender.ts";
import type { Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { QueuePort } from "../stacks/queue.ts";
import type { ContractView } from "../stacks/reads.ts";

export interface LiquiditySnapshot {
  onchainSats: bigint;
  outboundSats: bigint;
  inboundSats: bigint;
  channels: bigint;
  lvReserve: bigint;
  lvWithdrawal: bigint;
  /** The DAO vault's confirmed balance (docs/vault.md); 0 until the relay scans the vault. */
  vaultSats: bigint;
}

interface ReportJob extends Job {
  state: "sending" | "reported" | "refused";
  snapshot: LiquiditySnapshot;
  burnHeight: number;
  detail: string | null;
}

export interface LiquidityReporterOptions {
  journal: Journal;
  chain: ContractView;
  queue: Pick<QueuePort, "tip">;
  tx: TxSender;
  deployer: string;
  lnd: LndPort;
  tapd: { reserve: TapdPort | undefined; withdrawal: TapdPort | undefined };
  config: Pick<RelayConfig, "lv"> & { everyBlocks: number };
  log: Logger;
  now?: () => number;
}

export class LiquidityReporter {
  private readonly jobs: JobStore<ReportJob>;
  lastReport: { burnHeight: number; snapshot: Record<string, string> } | null = null;
  nextDue: number | null = null;

  constructor(private readonly o: LiquidityReporterOptions) {
    this.jobs = new JobStore<ReportJob>(o.journal.jobs, "liquidity-report:", o.now);
  }

  async snapshot(): Promise<LiquiditySnapshot> {
    const [channels, onchainSats] = await Promise.all([this.o.lnd.scanChannels(), this.o.lnd.chainBalanceSats()]);
    const lv = await lvAsset(this.o.journal, this.o.config);
    const { reserve, withdrawal } = this.o.tapd;
    const lvReserve = reserve && lvKnown(lv) ? await reserve.lvBalance(lv) : 0n;
    // Wallets on one tapd node cannot be told apart: the node's LV is reported once, as reserve.
    const lvWithdrawal = withdrawal && withdrawal !== reserve && lvKnown(lv) ? await withdrawal.lvBalance(lv) : 0n;
    return {
      onchainSats,
      outboundSats: channels.reduce((sum, c) => sum + c.localSats, 0n),
      inboundSats: channels.reduce((sum, c) => sum + c.remoteSats, 0n),
      channels: BigInt(channels.length),
      lvReserve,
      lvWithdrawal,
      vaultSats: 0n,
    };
  }

  async round(): Promise<void> {
    const [{ burnHeight }, last] = await Promise.all([this.o.queue.tip(), this.o.chain.lastLiquidityReport()]);
    this.nextDue = last === 0n ? burnHeight : Number(last) + this.o.config.everyBlocks;
    // Jobs are keyed by the report they follow (and the attempt), so each report is sent once however often the
    // round runs; a refused one is tried again a full interval later.
    const attempts = await this.jobs.list(`${last}:`);
    if (attempts.some((j) => j.job.state === "reported")) return;
    let job = attempts.find((j) => j.job.state === "sending");
    if (!job) {
      const lastTry = Math.max(0, ...attempts.map((j) => j.job.burnHeight));
      if (burnHeight < this.nextDue || (attempts.length > 0 && burnHeight < lastTry + this.o.config.everyBlocks))
        return;
      const id = `${last}:${attempts.length + 1}`;
      if (
        !(await this.jobs.create(id, { state: "sending", snapshot: await this.snapshot(), burnHeight, detail: null }))
      )
        return;
      job = (await this.jobs.get(id))!;
    }
    const s = job.job.snapshot;
    const { current, outcome } = await this.o.tx.run(this.jobs, job, {
      contractId: `${this.o.deployer}.liquidity-oracle`,
      functionName: "report-liquidity",
      args: [
        Cl.tuple({
          "onchain-sats": Cl.uint(s.onchainSats),
          "outbound-sats": Cl.uint(s.outboundSats),
          "inbound-sats": Cl.uint(s.inboundSats),
          channels: Cl.uint(s.channels),
          "lv-reserve": Cl.uint(s.lvReserve),
          "lv-withdrawal": Cl.uint(s.lvWithdrawal),
          // a report journaled before the field existed carries none: it reported no vault
          "vault-sats": Cl.uint(s.vaultSats ?? 0n),
        }),
      ],
    });
    if (outcome.status === "dropped")
      throw new Error(`report-liquidity was dropped (${outcome.reason}); it will be sent again`);
    if (outcome.status === "failed") {
      await this.jobs.move(current, { ...current.job, state: "refused", tx: undefined, detail: outcome.resultRepr });
      throw new Error(`report-liquidity failed: ${outcome.resultRepr}`);
    }
    await this.jobs.move(current, { ...current.job, state: "reported", tx: undefined });
    this.lastReport = {
      burnHeight: job.job.burnHeight,
      snapshot: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)])),
    };
    this.o.log.info("liquidity reported", { burn_height: job.job.burnHeight, ...this.lastReport.snapshot });
  }

  async details(): Promise<Record<string, unknown>> {
    return { everyBlocks: this.o.config.everyBlocks, nextDueBurnHeight: this.nextDue, lastReport: this.lastReport };
  }
}
