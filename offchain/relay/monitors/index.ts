// The relay's background loops (DESIGN.md section 4), as factories for loops.ts: the liquidity monitor, the
// liquidity reporter, the pledge watcher and the revenue sweeper. Each needs certain daemons and skips itself
// (with a log line) when they are not configured; none runs in a dry run or with `monitors.enabled = false`.
// They share one set of daemon connections, one transaction sender and one set of metrics per relay.
import { hostname } from "node:os";
import type { WorkerFactory } from "../workers.ts";
import { decodeRelayAction } from "../actions.ts";
import type { RelayRuntime } from "../start.ts";
import { Counter, Gauge } from "../metrics.ts";
import { ContractReads } from "../stacks/reads.ts";
import { bindMonitorDaemons, type MonitorDaemons } from "./daemons.ts";
import { TxSender } from "./jobs.ts";
import { LeasedLoop } from "./leased-loop.ts";
import { LiquidityMonitor } from "./liquidity-monitor.ts";
import { LiquidityReporter } from "./liquidity-reporter.ts";
import { PledgeWatcher } from "./pledge-watcher.ts";
import { RevenueSweeper } from "./revenue-sweeper.ts";

interface Shared {
  daemons: MonitorDaemons;
  chain: ContractReads;
  tx: TxSender;
  owner: string;
  users: number;
  metrics: { decisions: Counter; budgetLeft: Gauge };
}

const shared = new WeakMap<RelayRuntime, Shared>();

function sharedFor(runtime: RelayRuntime): Shared {
  let s = shared.get(runtime);
  if (!s) {
    const registry = runtime.metrics.registry;
    s = {
      daemons: bindMonitorDaemons(runtime.config),
      chain: new ContractReads(runtime.stacks, runtime.config.stacks.deployer),
      tx: new TxSender(runtime.stacks),
      owner: `${runtime.queue.relayAddress}@${hostname()}`,
      users: 0,
      metrics: {
        decisions: registry.register(new Counter("lvdao_relay_liquidity_decisions_total", "Liquidity monitor decisions per rule and round, by decision (loop-out, loop-in, or the no-swap reason)")),
        budgetLeft: registry.register(new Gauge("lvdao_relay_autonomous_budget_left_sats", "What the active rebalance-policy's budget has left this period, by policy")),
      },
    };
    shared.set(runtime, s);
  }
  return s;
}

/** Builds a loop over the shared parts; the shared connections close with the last loop that uses them. */
function leased(runtime: RelayRuntime, s: Shared, name: string, intervalMs: number, body: { round: () => Promise<unknown>; details: () => Promise<Record<string, unknown>> }): LeasedLoop {
  s.users++;
  const loop = new LeasedLoop({
    name,
    journal: runtime.journal,
    owner: s.owner,
    intervalMs,
    leaseMs: runtime.config.stacks.txTimeoutMs + 2 * intervalMs + 60_000,
    log: runtime.log.child({ part: name }),
    round: async () => void (await body.round()),
    details: body.details,
  });
  const stop = loop.stop.bind(loop);
  loop.stop = async () => {
    await stop();
    if (--s.users === 0) s.daemons.close();
  };
  return loop;
}

function enabled(runtime: RelayRuntime): boolean {
  return runtime.config.monitors.enabled && !runtime.dryRun;
}

/** What every monitor is given for its side of the chain: the journal, chain reads, the queue, and the sender. */
function chainSide(runtime: RelayRuntime, s: Shared) {
  return { journal: runtime.journal, chain: s.chain, queue: runtime.queue, tx: s.tx, deployer: runtime.config.stacks.deployer };
}

function skip(runtime: RelayRuntime, name: string, missing: string): undefined {
  runtime.log.info(`${name} not started: ${missing} not configured`, { part: name });
  return undefined;
}

export const liquidityMonitorLoop: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.lnd) return skip(runtime, "liquidity-monitor", "lnd");
  const monitor = new LiquidityMonitor({
    ...chainSide(runtime, s),
    decode: decodeRelayAction,
    lnd: s.daemons.lnd,
    loop: s.daemons.loop,
    config: { limits: runtime.config.limits, monitors: runtime.config.monitors, recoveryGraceMs: runtime.config.executor.recoveryGraceMs },
    log: runtime.log.child({ part: "liquidity-monitor" }),
    metrics: s.metrics,
  });
  return leased(runtime, s, "liquidity-monitor", runtime.config.monitors.liquidityPollMs, { round: () => monitor.round(), details: () => monitor.details() });
};

export const liquidityReporterLoop: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.lnd) return skip(runtime, "liquidity-reporter", "lnd");
  const reporter = new LiquidityReporter({
    ...chainSide(runtime, s),
    lnd: s.daemons.lnd,
    tapd: { reserve: s.daemons.tapd.reserve, withdrawal: s.daemons.tapd.withdrawal },
    config: { lv: runtime.config.lv, everyBlocks: runtime.config.monitors.liquidityReportBlocks },
    log: runtime.log.child({ part: "liquidity-reporter" }),
  });
  return leased(runtime, s, "liquidity-reporter", runtime.config.monitors.liquidityPollMs, { round: () => reporter.round(), details: () => reporter.details() });
};

export const pledgeWatcherLoop: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.tapd.reserve) return skip(runtime, "pledge-watcher", "the reserve wallet's tapd");
  const watcher = new PledgeWatcher({
    ...chainSide(runtime, s),
    tapd: s.daemons.tapd.reserve,
    config: { lv: runtime.config.lv, confirmations: runtime.config.monitors.pledgeConfirmations },
    log: runtime.log.child({ part: "pledge-watcher" }),
  });
  const loop = leased(runtime, s, "pledge-watcher", runtime.config.monitors.pledgePollMs, { round: () => watcher.round(), details: () => watcher.details() });
  watcher.register(runtime.router, () => loop.poke());
  return loop;
};

export const revenueSweeperLoop: WorkerFactory = (runtime) => {
  if (!enabled(runtime)) return undefined;
  const s = sharedFor(runtime);
  if (!s.daemons.lnd) return skip(runtime, "revenue-sweeper", "lnd");
  if (!s.daemons.tapd.reserve) return skip(runtime, "revenue-sweeper", "the reserve wallet's tapd");
  const sweeper = new RevenueSweeper({
    ...chainSide(runtime, s),
    lnd: s.daemons.lnd,
    tapd: s.daemons.tapd,
    config: { lv: runtime.config.lv, epochBlocks: runtime.config.monitors.revenueEpochBlocks, recoveryGraceMs: runtime.config.executor.recoveryGraceMs },
    log: runtime.log.child({ part: "revenue-sweeper" }),
  });
  return leased(runtime, s, "revenue-sweeper", runtime.config.monitors.pledgePollMs, { round: () => sweeper.round(), details: () => sweeper.details() });
};

export const MONITOR_WORKERS: WorkerFactory[] = [liquidityMonitorLoop, liquidityReporterLoop, pledgeWatcherLoop, revenueSweeperLoop];
