// The machine economy over a DemoNetwork, for `npm run demo:machines`: a customer (the peer node) buys the robots'
// services through the DAO node, robots buy each other's, and each robot converts its revenue to LV at the relay's
// desk (relay-desk.ts) by its revenue policy. The DAO's liquidity monitor rules (offchain/relay/monitors/
// liquidity-rules.ts, planSwaps) loop out when the customer's one-way flow drains the DAO's inbound on that channel,
// and the desk's premium follows the DAO's inbound share as the relay reports it to the liquidity oracle, by the
// pricing function. Samples go to a MarketSeries (what the app charts) and to the summary.
import { getChannelBalance } from "../../lightning/index.ts";
import { connectLoop } from "../../lightning/connection/loop.ts";
import { inboundBps, premiumBps, type LiquidityView, type LvPricing } from "../../market/pricing.ts";
import type { RebalancePolicy } from "../../actions/index.ts";
import { LightningLnd } from "../../relay/daemons/lnd.ts";
import { LoopRest } from "../../relay/daemons/loop.ts";
import { SWAP_FINAL_STATES } from "../../relay/daemons/ports.ts";
import { maxFeeFor, planSwaps } from "../../relay/monitors/liquidity-rules.ts";
import { MarketSeries } from "../../relay/market/market-series.ts";
import { deskClient } from "../desk-client.ts";
import { lndRobotLightning, tapdRobotTapd } from "../lightning-adapters.ts";
import type { RevenuePolicy } from "../policy.ts";
import { Robot } from "../robot.ts";
import type { DemoNetwork } from "./network.ts";
import { startRelayDesk, type DeskStats, type RelayDesk, type SettledQuote } from "./relay-desk.ts";

export interface EconomyOptions {
  network: DemoNetwork;
  durationMs: number;
  pricing: LvPricing;
  robotPolicy: RevenuePolicy;
  /** what one unit of a robot's service costs */
  servicePriceSats: bigint;
  /** the customer's purchases in flight at once */
  customerConcurrency: number;
  /** pause between one robot's purchases from other robots */
  robotBuyEveryMs: number;
  rebalance: RebalancePolicy;
  blockEveryMs: number;
  sampleEveryMs: number;
  seed: number;
  /** called after each sample, for the live summary */
  onSample?: (sample: EconomySample, economy: { robots: Robot[] }) => void;
  /** the series the app reads (GET /market/series); a fresh one when omitted */
  series?: MarketSeries;
  /** the relay's start-up steps */
  progress?: (line: string) => void;
  /** ends the traffic early (Ctrl-C): the run then winds down and stops as at its deadline */
  signal?: AbortSignal;
}

export interface EconomySample {
  /** ms since the start */
  t: number;
  payments: number;
  dao: LiquidityView;
  inboundBps: bigint;
  /** the liquidity oracle's snapshot the desk quotes from: the relay's last report of the DAO node's balances */
  snapshot: LiquidityView;
  /** the premium the desk quotes: the pricing function at the snapshot's inbound share */
  premiumBps: bigint;
  /** the DAO's inbound share on the customer's channel, bps */
  customerChannelInboundBps: bigint;
  lvSold: bigint;
  loopOuts: number;
  loopOutSats: bigint;
}

export interface EconomySummary {
  mode: DemoNetwork["mode"];
  robots: number;
  seconds: number;
  payments: { customer: number; robotToRobot: number; conversions: number; failed: number; perSecond: number };
  customerSats: bigint;
  robotToRobotSats: bigint;
  loopOuts: number;
  loopOutSats: bigint;
  desk: DeskStats;
  /** every settled trade's quote, as the desk journaled it */
  settledQuotes: SettledQuote[];
  lvPerRobot: Record<string, bigint>;
  lvBoughtPerRobot: Record<string, bigint>;
  failures: Record<string, number>;
  samples: EconomySample[];
}

export async function runEconomy(options: EconomyOptions): Promise<EconomySummary> {
  const desk = await startRelayDesk({
    dao: options.network.dao.node,
    pricing: options.pricing,
    groupKey: options.network.groupKey,
    progress: options.progress,
  });
  try {
    if (options.signal?.aborted) throw new Error("interrupted");
    return await economyAt(options, desk);
  } finally {
    await desk.stop();
  }
}

async function economyAt(options: EconomyOptions, desk: RelayDesk): Promise<EconomySummary> {
  const { network, pricing } = options;
  const random = mulberry32(options.seed);
  // The clock starts once the relay's desk is up: the node emulation takes a while to start.
  const started = Date.now();
  const series = options.series ?? new MarketSeries();
  const daoLiquidity = async (): Promise<LiquidityView> => {
    const balance = await getChannelBalance({ lnd: network.dao.lnd });
    return { inboundSats: balance.remoteMsat / 1000n, outboundSats: balance.localMsat / 1000n };
  };
  const robots = network.robots.map(
    (node) =>
      new Robot({
        name: node.name,
        priceSats: options.servicePriceSats,
        policy: options.robotPolicy,
        lightning: lndRobotLightning(node.lnd),
        tapd: tapdRobotTapd(node.tapd),
        desk: deskClient({ url: desk.url }),
        probeLv: 10_000n,
        maxFeeSats: 50n,
        tickMs: 250,
        tradePollMs: 100,
        tradeTimeoutMs: 30_000,
      }),
  );
  const customer = lndRobotLightning(network.customer.lnd);
  const sellers = network.customer.sellers ? robots.filter((r) => network.customer.sellers?.includes(r.name)) : robots;
  if (sellers.length === 0) throw new Error("the customer has no robot to buy from");
  const daoLnd = new LightningLnd(network.dao.lnd);
  const loop = new LoopRest(
    connectLoop({ restUrl: network.loop.restUrl, cert: network.loop.cert, macaroonHex: network.loop.macaroonHex }),
  );
  const counts = { customer: 0, robotToRobot: 0, failed: 0, customerSats: 0n, robotToRobotSats: 0n };
  const loops = { count: 0, sats: 0n, labels: new Set<string>() };
  const failures: Record<string, number> = {};
  const fail = (what: string) => {
    failures[what] = (failures[what] ?? 0) + 1;
  };
  const samples: EconomySample[] = [];
  const deadline = started + options.durationMs;
  // Traffic stops first; the chain, the desk and the monitor keep going until the robots have finished the
  // conversions they already paid for, so those trades settle instead of timing out.
  let running = true;
  let infrastructure = true;
  const pick = <T>(items: T[], not?: T): T => {
    const choices = not === undefined ? items : items.filter((i) => i !== not);
    return choices[Math.floor(random() * choices.length)] as T;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const every = async (ms: number, work: () => Promise<void>, what: string) => {
    while (infrastructure) {
      await work().catch((error: Error) => fail(`${what}: ${error.message.slice(0, 60)}`));
      await pause(ms);
    }
  };

  const customerWorker = async () => {
    while (running) {
      const seller = pick(sellers);
      try {
        const offer = await seller.offer();
        const paid = await customer.pay(offer.request, 50n);
        counts.customer += 1;
        counts.customerSats += paid.sats;
      } catch (error) {
        counts.failed += 1;
        fail(`customer: ${(error as Error).message.slice(0, 60)}`);
        await pause(50);
      }
    }
  };
  const robotBuyer = async (robot: Robot) => {
    while (running) {
      await pause(options.robotBuyEveryMs * (0.5 + random()));
      if (!running) break;
      try {
        const paid = await robot.buyFrom(pick(robots, robot));
        counts.robotToRobot += 1;
        counts.robotToRobotSats += paid.sats;
      } catch (error) {
        if (!running) break;
        counts.failed += 1;
        fail(`robot: ${(error as Error).message.slice(0, 60)}`);
      }
    }
  };
  const monitor = async () => {
    const swaps = (await loop.listSwaps()).filter((s) => loops.labels.has(s.label));
    const inFlight = swaps.filter((s) => !SWAP_FINAL_STATES.includes(s.state));
    const decisions = planSwaps({
      channels: await daoLnd.scanChannels(),
      policy: options.rebalance,
      rulesInFlight: new Set(inFlight.length > 0 ? [`peer:${options.rebalance.peers[0]}`] : []),
      inFlight: inFlight.length,
      budgetLeftSats: options.rebalance.budgetSats - loops.sats,
      maxSwapSats: 10_000_000n,
      operatorLeftSats: 100_000_000n,
      terms: { out: await loop.terms("out"), in: undefined },
    });
    for (const decision of decisions) {
      const swap = decision.swap;
      if (swap?.kind !== "loop-out") continue;
      const label = `lvdao:demo:loop-out:${loops.count + 1}`;
      loops.labels.add(label);
      await loop.loopOut({
        amountSats: swap.amountSats,
        dest: await network.newChainAddress(),
        outgoingChanIds: swap.rule.channels.map((c) => c.chanId),
        label,
        maxTotalFeeSats: maxFeeFor(swap.amountSats, options.rebalance.maxSwapFeePpm),
      });
      loops.count += 1;
      loops.sats += swap.amountSats;
    }
  };
  const customerPubkey = options.rebalance.peers[0]?.toLowerCase();
  const sample = async () => {
    const dao = await daoLiquidity();
    const customerChannels = (await daoLnd.scanChannels()).filter((c) => c.pubkey.toLowerCase() === customerPubkey);
    const customerView = customerChannels.reduce(
      (v, c) => ({ inboundSats: v.inboundSats + c.remoteSats, outboundSats: v.outboundSats + c.localSats }),
      { inboundSats: 0n, outboundSats: 0n },
    );
    const stats = await desk.stats();
    const { liquidity: snapshot } = await desk.market();
    const now = Date.now();
    const taken: EconomySample = {
      t: now - started,
      payments: counts.customer + counts.robotToRobot + robots.reduce((n, r) => n + r.stats.conversions, 0),
      dao,
      inboundBps: inboundBps(dao),
      snapshot,
      premiumBps: premiumBps(pricing, snapshot),
      customerChannelInboundBps: inboundBps(customerView),
      lvSold: stats.lvSold,
      loopOuts: loops.count,
      loopOutSats: loops.sats,
    };
    samples.push(taken);
    series.record({ at: now, inboundBps: taken.inboundBps, premiumBps: taken.premiumBps, lvVolume: taken.lvSold });
    options.onSample?.(taken, { robots });
  };

  await sample();
  const infrastructureWorkers = [
    every(options.blockEveryMs, () => network.mine(1), "miner"),
    every(1000, monitor, "monitor"),
    every(options.sampleEveryMs, sample, "sampler"),
  ];
  const trafficWorkers = [
    ...Array.from({ length: options.customerConcurrency }, customerWorker),
    ...robots.map(robotBuyer),
    ...robots.map((r) => r.run()),
  ];
  try {
    while (Date.now() < deadline && !options.signal?.aborted)
      await pause(Math.min(100, Math.max(1, deadline - Date.now())));
  } finally {
    running = false;
    await Promise.all(robots.map((r) => r.stop()));
    await Promise.allSettled(trafficWorkers);
    infrastructure = false;
    await Promise.allSettled(infrastructureWorkers);
  }
  // A terminal's Ctrl-C reaches the regtest daemons too, which are stopping by now: no summary to read from them.
  if (options.signal?.aborted) throw new Error("interrupted before the summary");
  // Let sends in flight confirm and the desk settle them (it looks at its trades every 2 s), so every paid trade is
  // counted as delivered.
  for (let i = 0; i < 6; i += 1) {
    await network.mine(1);
    await pause(1_000);
  }
  await sample();
  const lvPerRobot: Record<string, bigint> = {};
  const lvBoughtPerRobot: Record<string, bigint> = {};
  for (const [i, robot] of robots.entries()) {
    const node = network.robots[i] as DemoNetwork["robots"][number];
    lvPerRobot[robot.name] = await tapdRobotTapd(node.tapd).lvBalance(network.groupKey);
    lvBoughtPerRobot[robot.name] = robot.stats.lvBought;
    for (const [code, n] of Object.entries(robot.stats.failures))
      failures[`robot ${code}`] = (failures[`robot ${code}`] ?? 0) + n;
  }
  const deskStats = await desk.stats();
  const seconds = (Date.now() - started) / 1000;
  const conversions = robots.reduce((n, r) => n + r.stats.conversions, 0);
  const paymentsTotal = counts.customer + counts.robotToRobot + conversions;
  return {
    mode: network.mode,
    robots: robots.length,
    seconds: Math.round(seconds * 10) / 10,
    payments: {
      customer: counts.customer,
      robotToRobot: counts.robotToRobot,
      conversions,
      failed: counts.failed,
      perSecond: Math.round((paymentsTotal / seconds) * 10) / 10,
    },
    customerSats: counts.customerSats,
    robotToRobotSats: counts.robotToRobotSats,
    loopOuts: loops.count,
    loopOutSats: loops.sats,
    desk: deskStats,
    settledQuotes: await desk.settledQuotes(),
    lvPerRobot,
    lvBoughtPerRobot,
    failures,
    samples,
  };
}

/** A small seeded generator, so a run with the same seed makes the same choices. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
