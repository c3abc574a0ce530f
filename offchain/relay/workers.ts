// The workers that run beside the executor, and the one place they register: each factory builds a worker from the
// running relay's parts. The monitors (offchain/relay/monitors/: the liquidity monitor, the liquidity reporter, the
// pledge watcher and the revenue sweeper) each run on the job runner, one relay at a time under the worker's
// lease. Each needs certain daemons and skips itself (with a log line) when they are not bound; none runs in a dry
// run or with `monitors.enabled = false`. They use the relay's one binding of the daemons (the executor's), and
// share one transaction sender and one set of metrics per relay.
import { decodeRelayAction } from "./actions.ts";
import { lvAsset } from "./jobs/lv-asset.ts";
import type { Daemons } from "./daemons/ports.ts";
import { WorkerLease } from "./jobs/lease.ts";
import { JobRunner, type Worker } from "./jobs/runner.ts";
import { TxSender } from "./jobs/tx-sender.ts";
import { Counter, Gauge } from "./metrics.ts";
import { Desk, DEFAULT_DESK_OPTIONS } from "./market/desk.ts";
import { marketApi } from "./market/http.ts";
import { completedLv, seriesSampler } from "./market/series-sampler.ts";
import { ChainMarketSource } from "./market/source.ts";
import { DeskSteps } from "./market/steps.ts";
import { SummaryRecorder } from "./market/summary-recorder.ts";
import { LiquidityMonitor, type MonitorMetrics } from "./monitors/liquidity-monitor.ts";
import { LiquidityReporter } from "./monitors/liquidity-reporter.ts";
import { PledgeWatcher } from "./monitors/pledge-watcher.ts";
import { RevenueSweeper } from "./monitors/revenue-sweeper.ts";
import { PriceOracleWorker } from "./monitors/price-oracle.ts";
import type { RelayRuntime } from "./runtime.ts";
import { ContractReads } from "./stacks/reads.ts";

export type { Worker };
export type WorkerFactory = (runtime: RelayRuntime) => Worker | undefined;

interface Shared {
  daemons: Daemons;
  contracts: ContractReads;
  tx: TxSender;
  metrics: MonitorMetrics;
}

const shared = new WeakMap<RelayRuntime, Shared>();

function sharedFor(runtime: RelayRuntime): Shared {
  let s = shared.get(runtime);
  if (!s) {
    const registry = runtime.metrics.registry;
    s = {
      daemons: runtime.daemons,
      contracts: new ContractReads(runtime.stacks, runtime.config.stacks.deployer),
      tx: new TxSender(runtime.stacks),
      metrics: {
        decisions: registry.register(
          new Counter(
            "lvdao_relay_liquidity_decisions_total",
            "Liquidity monitor decisions per rule and round, by decision (loop-out, loop-in, or the no-swap reason)",
          ),
        ),
        budgetLeft: registry.register(
          new Gauge(
            "lvdao_relay_autonomous_budget_left_sats",
            "What the active rebalance-policy's budget has left this period, by policy",
          ),
        ),
        budget: registry.register(
          new Gauge("lvdao_relay_autonomous_budget_sats", "The active rebalance-policy's budget per period, by policy"),
        ),
        rules: registry.register(
          new Gauge(
            "lvdao_relay_liquidity_rules",
            "The active rebalance-policy's rules by state: within the liquidity band, or below a minimum share",
          ),
        ),
      },
    };
    shared.set(runtime, s);
  }
  return s;
}

/** A monitor on the job runner, under its worker lease. */
function leased(
  runtime: RelayRuntime,
  name: string,
  intervalMs: number,
  monitor: { round: () => Promise<unknown>; details: () => Promise<Record<string, unknown>> },
): JobRunner<string> {
  runtime.metrics.leaseLost.inc({ worker: name }, 0);
  return new JobRunner<string>({
    name,
    queue: new WorkerLease(runtime.journal.jobs, name),
    owner: runtime.owner,
    // longer than the longest round (a transaction confirmation), though the runner renews it while a round runs
    leaseMs: runtime.config.stacks.txTimeoutMs + 2 * intervalMs + 60_000,
    intervalMs: () => intervalMs,
    log: runtime.log.child({ part: name }),
    // A relay the DAO disabled sends no report: each would fail with ERR_NOT_RELAY (enablement.ts says so once).
    run: async () => {
      if (await runtime.enablement.enabled()) await monitor.round();
    },
    onLeaseLost: () => runtime.metrics.leaseLost.inc({ worker: name }),
    details: () => monitor.details(),
  });
}

function enabled(runtime: RelayRuntime): boolean {
  return runtime.config.monitors.enabled && !runtime.dryRun;
}

/** What every monitor is given for its side of the chain: the journal, contract reads, the queue, and the sender. */
function chainSide(runtime: RelayRuntime, s: Shared) {
  return {
    journal: runtime.journal,
    chain: s.contracts,
    queue: runtime.queue,
    tx: s.tx,
    deployer: runtime.config.stacks.deployer,
  };
}

function skip(runtime: RelayRuntime, name: string, missing: string): undefined {
  runtime.log.info(`${name} not started: ${missing} not configured`, { part: name });
  return undefined;
}

export const liquidityMonitorWorker: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.lnd) return skip(runtime, "liquidity-monitor", "lnd");
  const monitor = new LiquidityMonitor({
    ...chainSide(runtime, s),
    decode: decodeRelayAction,
    lnd: s.daemons.lnd,
    loop: s.daemons.loop,
    config: {
      limits: runtime.config.limits,
      monitors: runtime.config.monitors,
      recoveryGraceMs: runtime.config.executor.recoveryGraceMs,
    },
    log: runtime.log.child({ part: "liquidity-monitor" }),
    metrics: s.metrics,
  });
  return leased(runtime, "liquidity-monitor", runtime.config.monitors.liquidityPollMs, monitor);
};

export const liquidityReporterWorker: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.lnd) return skip(runtime, "liquidity-reporter", "lnd");
  const reporter = new LiquidityReporter({
    ...chainSide(runtime, s),
    lnd: s.daemons.lnd,
    tapd: { reserve: s.daemons.tapd.reserve, withdrawal: s.daemons.tapd.withdrawal },
    vault: s.daemons.vault,
    config: { lv: runtime.config.lv, everyBlocks: runtime.config.monitors.liquidityReportBlocks },
    log: runtime.log.child({ part: "liquidity-reporter" }),
    metrics: runtime.metrics,
  });
  return leased(runtime, "liquidity-reporter", runtime.config.monitors.liquidityPollMs, reporter);
};

export const pledgeWatcherWorker: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.tapd.reserve) return skip(runtime, "pledge-watcher", "the reserve wallet's tapd");
  const watcher = new PledgeWatcher({
    ...chainSide(runtime, s),
    tapd: s.daemons.tapd.reserve,
    config: { lv: runtime.config.lv, confirmations: runtime.config.monitors.pledgeConfirmations },
    log: runtime.log.child({ part: "pledge-watcher" }),
  });
  const runner = leased(runtime, "pledge-watcher", runtime.config.monitors.pledgePollMs, watcher);
  watcher.register(runtime.router, () => runner.poke());
  return runner;
};

export const revenueSweeperWorker: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.lnd) return skip(runtime, "revenue-sweeper", "lnd");
  if (!s.daemons.tapd.reserve) return skip(runtime, "revenue-sweeper", "the reserve wallet's tapd");
  const sweeper = new RevenueSweeper({
    ...chainSide(runtime, s),
    lnd: s.daemons.lnd,
    tapd: s.daemons.tapd,
    config: {
      lv: runtime.config.lv,
      epochBlocks: runtime.config.monitors.revenueEpochBlocks,
      recoveryGraceMs: runtime.config.executor.recoveryGraceMs,
    },
    log: runtime.log.child({ part: "revenue-sweeper" }),
    metrics: runtime.metrics,
  });
  return leased(runtime, "revenue-sweeper", runtime.config.monitors.pledgePollMs, sweeper);
};

/** How often the desk looks at its open trades (an HTLC held, a deposit arrived, an anchor confirmed). */
const DESK_POLL_MS = 2_000;

/** Which network a seller's invoice must be on, by the Stacks network the relay serves. */
const INVOICE_NETWORK = { mainnet: "bitcoin", testnet: "testnet", devnet: "regtest" } as const;

/**
 * The LV desk (market/): its API is served by the status server on every relay with lnd and the operations wallet's
 * tapd; its trades are moved on, and each period's summary recorded, by one relay at a time under the worker lease.
 * It quotes only once the DAO has set an lv-pricing on-chain.
 */
export const deskWorker: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.desk) return skip(runtime, "desk", "lnd or the operations wallet's tapd");
  const log = runtime.log.child({ part: "desk" });
  const market = new ChainMarketSource(s.contracts, runtime.stacks);
  const desk = new Desk({
    store: runtime.journal.desk,
    lnd: s.daemons.desk.lnd,
    tapd: s.daemons.desk.tapd,
    lv: () => lvAsset(runtime.journal, runtime.config),
    market,
    log,
    options: { ...DEFAULT_DESK_OPTIONS, invoiceNetwork: INVOICE_NETWORK[runtime.config.stacks.network] },
  });
  const steps = new DeskSteps(desk);
  const summaries = new SummaryRecorder({
    journal: runtime.journal,
    market,
    tx: s.tx,
    deployer: runtime.config.stacks.deployer,
    log,
  });
  const runner = leased(runtime, "desk", DESK_POLL_MS, {
    round: async () => {
      await steps.advanceAll();
      await summaries.round();
    },
    details: async () => ({ openTrades: (await runtime.journal.desk.openTrades()).length }),
  });
  runtime.market = marketApi(desk, log, () => runner.poke());
  runtime.marketSeries = seriesSampler({
    view: () => desk.view(),
    lvVolume: () => completedLv(runtime.journal.desk),
  });
  return runner;
};

/**
 * tapd's RFQ price oracle ([price_oracle] enabled): not a leased monitor, since every relay answers its own tapd.
 * The LV asset comes from the journal (or [lv] asset_id) and the reserve wallet's tapd, which holds the group.
 */
export const priceOracleWorker: WorkerFactory = (runtime) => {
  if (!runtime.config.priceOracle.enabled || runtime.dryRun) return undefined;
  const tapd = runtime.daemons.tapd.reserve;
  const deployer = runtime.config.stacks.deployer;
  return new PriceOracleWorker({
    config: runtime.config.priceOracle,
    read: (contract, fn) => runtime.stacks.readOnly(`${deployer}.${contract}`, fn, []),
    lv: async () => {
      const lv = await lvAsset(runtime.journal, runtime.config);
      const held = tapd ? await tapd.assets() : [];
      const groupKey = lv.groupKey ?? held.find((a) => a.assetId === lv.assetId)?.groupKey ?? undefined;
      if (!groupKey) return null;
      const ids = new Set(held.filter((a) => a.groupKey === groupKey).map((a) => a.assetId));
      if (lv.assetId) ids.add(lv.assetId);
      return { groupKey, assetIds: [...ids] };
    },
    log: runtime.log.child({ part: "price-oracle" }),
    answers: runtime.metrics.registry.register(
      new Counter(
        "lvdao_relay_price_oracle_answers_total",
        "tapd price oracle answers, by transaction type (SALE, PURCHASE) and outcome (ok or the refusal)",
      ),
    ),
  });
};

/** Workers to start with the relay, in order; each may return undefined when its daemons are not configured. */
export const WORKERS: WorkerFactory[] = [
  liquidityMonitorWorker,
  liquidityReporterWorker,
  pledgeWatcherWorker,
  revenueSweeperWorker,
  deskWorker,
  priceOracleWorker,
];
