// (d) The liquidity monitor's scan of 10,000 channels on the lnd simulator: the relay's LiquidityMonitor built as
// the relay builds it (monitors/index.ts: its lnd and loopd ports, chain reads over the relay's Stacks client), and
// its `decide` timed: one ListChannels through the monitor's lnd port, the policy's on-chain spend read from the node
// emulation, loopd's swaps and terms when the loopd simulator is there, and every rule of the policy decided.
// Also timed alone: the monitor's lnd port scan, and the rules (planSwaps) over the scanned channels. Baseline: the bare ListChannels call over gRPC with its answer left as
// bytes, the floor any client pays (as in offchain/lightning/bench/liquidity-scan.ts).
import { decodeRelayAction } from "../payload.ts";
import { ChainReads } from "../monitors/chain-reads.ts";
import { bindMonitorDaemons } from "../monitors/daemons.ts";
import { TxSender } from "../monitors/jobs.ts";
import { LiquidityMonitor, type PolicyInForce } from "../monitors/liquidity-monitor.ts";
import { planSwaps } from "../monitors/liquidity-rules.ts";
import { addOpenChannels } from "../../regtest/sim/fixtures.ts";
import { progress, quantile, report, sample } from "./figures.ts";
import type { BenchStack } from "./stack.ts";

const RUNS = 30;

export async function liquidityScan(stack: BenchStack, channels: number): Promise<void> {
  const { sim } = stack;
  const existing = sim.simulation.network.channelsOf(sim.simulation.lnd.dao).length;
  if (channels > existing) addOpenChannels(sim.simulation, "dao", channels - existing);
  const relay = await stack.startRelay(stack.writeConfig("liquidity-scan"));
  const daemons = bindMonitorDaemons(relay.config);
  try {
    const lnd = daemons.lnd!;
    const monitor = new LiquidityMonitor({
      journal: relay.journal,
      chain: new ChainReads(relay.stacks, relay.config.stacks.deployer),
      queue: relay.queue,
      tx: new TxSender(relay.stacks),
      deployer: relay.config.stacks.deployer,
      decode: decodeRelayAction,
      lnd,
      loop: daemons.loop,
      config: { limits: relay.config.limits, monitors: relay.config.monitors, recoveryGraceMs: relay.config.executor.recoveryGraceMs },
      log: relay.log.child({ part: "liquidity-monitor" }),
    });
    // The policy is given rather than voted in: the scan reads and decides the same way whichever policy is in force.
    const inForce: PolicyInForce = {
      onChain: { id: 1n, activatedAt: 0n, budgetSats: 500_000n, budgetPeriod: 144n },
      policy: { kind: "rebalance-policy", minInboundPct: 20n, minOutboundPct: 20n, maxSwapFeePpm: 5_000n, budgetSats: 500_000n, budgetPeriod: 144n, maxInFlight: 2n, peers: [] },
    };
    const seen = (await lnd.scanChannels()).length;
    if (seen !== channels) throw new Error(`expected ${channels} channels on the simulated dao node, the monitor's scan saw ${seen}`);
    const { decisions } = await monitor.decide(inForce);
    if (decisions.length === 0) throw new Error("the monitor decided nothing over the channels");
    progress(`liquidity scan of ${seen} channels (${decisions.length} rules decided, loopd ${daemons.loop ? "simulator" : "not configured"}), ${RUNS} runs each...`);

    const client = (sim.lnd.dao as unknown as { default: { makeUnaryRequest: Function } }).default;
    const transport = () =>
      new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest("/lnrpc.Lightning/ListChannels", () => Buffer.alloc(0), (bytes: Buffer) => bytes, Buffer.alloc(0), {}, (error: unknown, bytes: Buffer) =>
          error ? reject(error) : resolve(bytes),
        ),
      );
    const scanned = await lnd.scanChannels();
    const rules = () =>
      planSwaps({
        channels: scanned,
        policy: inForce.policy,
        rulesInFlight: new Set(),
        inFlight: 0,
        budgetLeftSats: inForce.onChain.budgetSats,
        maxSwapSats: relay.config.limits.maxLoopSats,
        operatorLeftSats: relay.config.monitors.maxAutonomousSatsPerDay,
        terms: { out: { minSats: 250_000n, maxSats: 5_000_000n }, in: { minSats: 250_000n, maxSats: 5_000_000n } },
      });
    const times: Record<"transport" | "scan" | "rules" | "decide", number[]> = { transport: [], scan: [], rules: [], decide: [] };
    // one of each per round, so load drifting over the run touches all three alike
    for (let round = 0; round < RUNS; round++) {
      times.transport.push(...(await sample(1, transport, round === 0 ? 3 : 0)));
      times.scan.push(...(await sample(1, () => lnd.scanChannels(), round === 0 ? 3 : 0)));
      times.rules.push(...(await sample(1, rules, round === 0 ? 3 : 0)));
      times.decide.push(...(await sample(1, () => monitor.decide(inForce), round === 0 ? 3 : 0)));
    }
    const baseline = quantile(times.transport, 0.5);
    const baselineName = "bare ListChannels over gRPC (p50)";
    console.log(`\n(d) liquidity scan of ${seen} channels on the lnd simulator, ${RUNS} runs`);
    const decideP50 = quantile(times.decide, 0.5);
    report({ name: "monitor scan + decide p50", value: decideP50, unit: "ms", baselineName, baseline, target: { text: "<= 50 ms", met: decideP50 <= 50 } });
    report({ name: "monitor scan + decide p95", value: quantile(times.decide, 0.95), unit: "ms", baselineName, baseline });
    report({ name: "monitor lnd port scan alone p50", value: quantile(times.scan, 0.5), unit: "ms", baselineName, baseline });
    report({ name: "liquidity rules alone (planSwaps) p50", value: quantile(times.rules, 0.5), unit: "ms", baselineName, baseline });
  } finally {
    daemons.close();
  }
}
