// `npm run demo:machines -- --robots N --minutes M [--real] [--out chart.svg] [--seed S] [--status-port P]`: runs
// the machine economy (economy.ts) on the simulators (or, with --real, on the real regtest daemons: real-network.ts)
// with the relay's desk on the node emulation, prints a live line per second and a summary, writes the chart, and
// serves GET /market/series on a status server while it runs so the app's Liquidity page can follow it.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { getWalletInfo } from "lightning";
import { memoryLogger } from "../../relay/log.ts";
import { startStatusServer } from "../../relay/status/http.ts";
import { MarketSeries } from "../../relay/market/market-series.ts";
import { inboundBps } from "../../market/pricing.ts";
import { economyChartSvg } from "./chart.ts";
import { DEMO_NETWORK, DEMO_PRICING, DEMO_REBALANCE, DEMO_ROBOT_POLICY, DEMO_TRAFFIC } from "./config.ts";
import { runEconomy, type EconomySample, type EconomySummary } from "./economy.ts";
import type { DemoNetwork } from "./network.ts";
import type { RevenuePolicy } from "../policy.ts";
import { REAL_ROBOT_NODES, startRealNetwork } from "./real-network.ts";
import { startSimNetwork } from "./sim-network.ts";

export interface DemoArgs {
  robots: number;
  minutes: number;
  real: boolean;
  out: string;
  seed: number;
  statusPort: number;
}

export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      robots: { type: "string" },
      minutes: { type: "string", default: "1" },
      real: { type: "boolean", default: false },
      out: { type: "string", default: ".cache/demo-machines.svg" },
      seed: { type: "string", default: "1" },
      "status-port": { type: "string", default: "0" },
    },
    strict: true,
  });
  const robots = Number(values.robots ?? (values.real ? REAL_ROBOT_NODES.length : 10));
  if (!Number.isSafeInteger(robots) || robots < 2 || robots > 200)
    throw new RangeError(`--robots must be an integer in [2, 200], got ${values.robots}`);
  // A robot is a wallet: on the regtest stack each has a node of its own, and it has two besides the DAO's.
  if (values.real && robots !== REAL_ROBOT_NODES.length)
    throw new RangeError(
      `--real runs ${REAL_ROBOT_NODES.length} robots, one on each of the regtest stack's non-DAO nodes ` +
        `(${REAL_ROBOT_NODES.join(", ")}), got --robots ${values.robots}`,
    );
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60)
    throw new RangeError(`--minutes must be a number in (0, 60], got ${values.minutes}`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);
  const statusPort = Number(values["status-port"]);
  if (!Number.isSafeInteger(statusPort) || statusPort < 0 || statusPort > 65_535)
    throw new RangeError(`--status-port must be a port number, got ${values["status-port"]}`);
  return { robots, minutes, real: values.real, out: values.out, seed, statusPort };
}

export interface DemoResult {
  summary: EconomySummary;
  svg: string;
  svgPath: string;
}

/** What a caller may add: a lower threshold makes the policy trigger within a few seconds on a loaded machine. */
export interface DemoOverrides {
  robotPolicy?: RevenuePolicy;
  /** Ctrl-C: the traffic stops early, and every process the demo started is stopped */
  signal?: AbortSignal;
  /** called with the network and the summary before the network stops: a test reads the daemons' own state */
  inspect?: (network: DemoNetwork, summary: EconomySummary) => Promise<void>;
}

/** On real regtest a block is mined less often: each one waits until all three lnds have seen it. */
const REAL_BLOCK_EVERY_MS = 2_000;

const where = (mode: DemoNetwork["mode"]) => (mode === "regtest" ? "real regtest daemons" : "simulators");

export async function runDemo(
  args: DemoArgs,
  print: (line: string) => void = console.log,
  overrides: DemoOverrides = {},
): Promise<DemoResult> {
  const started = Date.now();
  const timed = (line: string) => print(`[start ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  let network: DemoNetwork;
  let dataLine: string | undefined;
  if (args.real) {
    print(
      `demo:machines: ${args.robots} robots on the real regtest daemons (btcd, lnd dao/peer/contributor, tapd, ` +
        `loopd simulator) for ${args.minutes} min (seed ${args.seed}); robot-1 is lnd contributor, robot-2 lnd peer, ` +
        "the customer is lnd peer",
    );
    const real = await startRealNetwork({
      robots: args.robots,
      robotChannelSats: DEMO_NETWORK.robotChannelSats,
      lvSupply: DEMO_NETWORK.lvSupply,
      progress: timed,
      signal: overrides.signal,
    });
    network = real;
    dataLine =
      `stack data: ${real.stateDir} (logs in ${real.logsDir}, nodes in ${real.stack.stackFile}; ` + "removed on exit)";
    print(dataLine);
  } else {
    print(
      `demo:machines: ${args.robots} robots on the lnd/tapd simulators for ${args.minutes} min (seed ${args.seed})`,
    );
    network = await startSimNetwork({ robots: args.robots, ...DEMO_NETWORK });
  }
  const series = new MarketSeries();
  const status = await startStatusServer(
    { host: "127.0.0.1", port: args.statusPort },
    {
      status: async () => ({ demo: "machines" }),
      metrics: async () => "",
      health: async () => ({ ok: true, reasons: [] }),
      channels: async () => [],
      marketSeries: async () => series.toJSON(),
    },
    memoryLogger(),
  );
  print(`market series for the app: ${status.url}/market/series (open the app with ?relay=${status.url})`);
  try {
    const customerPubkey = (await getWalletInfo({ lnd: network.customer.lnd })).public_key;
    const summary = await runEconomy({
      network,
      durationMs: Math.round(args.minutes * 60_000),
      pricing: DEMO_PRICING,
      robotPolicy: overrides.robotPolicy ?? DEMO_ROBOT_POLICY,
      rebalance: { ...DEMO_REBALANCE, peers: [customerPubkey] },
      progress: timed,
      signal: overrides.signal,
      ...DEMO_TRAFFIC,
      ...(args.real ? { blockEveryMs: REAL_BLOCK_EVERY_MS } : {}),
      seed: args.seed,
      series,
      onSample: (sample, { robots }) =>
        print(
          liveLine(
            sample,
            robots.map((r) => [r.name, r.stats.lvBought] as const),
          ),
        ),
    });
    for (const line of summaryLines(summary)) print(line);
    if (dataLine) print(`  ${dataLine}`);
    await overrides.inspect?.(network, summary);
    const svg = economyChartSvg(summary.samples, {
      title: `lvdao machines: ${summary.robots} robots, ${summary.seconds} s on the ${where(summary.mode)}`,
      targetInboundBps: DEMO_PRICING.targetInboundBps,
    });
    const svgPath = resolve(args.out);
    mkdirSync(dirname(svgPath), { recursive: true });
    writeFileSync(svgPath, svg);
    print(`chart: ${svgPath}`);
    return { summary, svg, svgPath };
  } finally {
    await status.stop();
    if (args.real) print("stopping the regtest stack");
    await network.stop();
  }
}

const n = (value: bigint | number) => value.toLocaleString("en-US");
const pct = (bps: bigint) => `${(Number(bps) / 100).toFixed(2)}%`;

export function liveLine(sample: EconomySample, lv: ReadonlyArray<readonly [string, bigint]>): string {
  const seconds = sample.t / 1000;
  const rate = seconds > 0 ? (sample.payments / seconds).toFixed(1) : "0.0";
  const shown = lv.slice(0, 4).map(([name, units]) => `${name} ${n(units)}`);
  const more = lv.length > 4 ? ` +${lv.length - 4} more` : "";
  return (
    `[${seconds.toFixed(1).padStart(5)} s] ${n(sample.payments)} payments (${rate}/s) | DAO inbound ` +
    `${pct(sample.inboundBps)} (customer channel ${pct(sample.customerChannelInboundBps)}) | premium ` +
    `${sample.premiumBps} bps (oracle snapshot ${pct(inboundBps(sample.snapshot))}) | loop-outs ` +
    `${sample.loopOuts} (${n(sample.loopOutSats)} sats) | LV sold ` +
    `${n(sample.lvSold)}: ${shown.join(", ")}${more}`
  );
}

export function summaryLines(s: EconomySummary): string[] {
  const first = s.samples[0] as EconomySample;
  const last = s.samples[s.samples.length - 1] as EconomySample;
  const maxPremium = s.samples.reduce((m, x) => (x.premiumBps > m ? x.premiumBps : m), 0n);
  const minInbound = s.samples.reduce((m, x) => (x.inboundBps < m ? x.inboundBps : m), 10_000n);
  const lv = Object.entries(s.lvPerRobot);
  return [
    `summary: ${s.robots} robots, ${s.seconds} s on the ${where(s.mode)}`,
    `  payments: ${n(s.payments.customer)} customer -> robot (${n(s.customerSats)} sats), ` +
      `${n(s.payments.robotToRobot)} robot -> robot (${n(s.robotToRobotSats)} sats), ` +
      `${n(s.payments.conversions)} desk conversions; ${s.payments.perSecond}/s; ${n(s.payments.failed)} failed`,
    `  DAO inbound share: ${pct(first.inboundBps)} -> ${pct(last.inboundBps)} (lowest ${pct(minInbound)}); ` +
      `customer channel ${pct(first.customerChannelInboundBps)} -> ${pct(last.customerChannelInboundBps)}`,
    `  loop-outs by the liquidity rules: ${s.loopOuts} (${n(s.loopOutSats)} sats)`,
    `  premium: ${first.premiumBps} -> ${last.premiumBps} bps (highest ${maxPremium}), from the liquidity oracle's ` +
      `snapshot: inbound ${pct(inboundBps(first.snapshot))} -> ${pct(inboundBps(last.snapshot))} ` +
      `(${n(last.snapshot.inboundSats)} in / ${n(last.snapshot.outboundSats)} out)`,
    `  desk: ${s.desk.trades} trades, ${s.desk.settled} settled, ${n(s.desk.lvSold)} LV for ` +
      `${n(s.desk.satsReceived)} sats`,
    `  LV per robot (tapd balance): ${lv.map(([name, units]) => `${name} ${n(units)}`).join(", ")}`,
    ...(Object.keys(s.failures).length
      ? [
          `  failures: ${Object.entries(s.failures)
            .map(([what, count]) => `${what} x${count}`)
            .join("; ")}`,
        ]
      : []),
  ];
}
