// The liquidity-scan bench's peers in a process of their own, as lnd and the Stacks node are in production: the
// node emulation with the contracts and the lnd/tapd simulators with `channels` open channels on dao. Building and
// writing a 10,000-channel answer is lnd's work; run in the relay's process it would be timed as the relay's.
// Usage (from peersInAProcess): node --import tsx peers-process.ts <channels> <state dir>
// Prints one JSON line when ready ({ devnetUrl, relayKey, dao }), and stops on SIGTERM or when stdin closes.
import { join } from "node:path";
import { startDevnet } from "../../offchain/devnet/index.ts";
import { addOpenChannels } from "../../offchain/regtest/lnd-tapd-sim/fixtures.ts";
import { startSimulators } from "../../offchain/regtest/lnd-tapd-sim/index.ts";
import { REPO } from "../../offchain/relay/test/integration-stack.ts";

const [channelsArg, dir] = process.argv.slice(2);
const channels = Number(channelsArg);
if (!Number.isSafeInteger(channels) || channels < 1 || !dir)
  throw new Error("usage: peers-process.ts <channels> <state dir>");

const devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 1_000, burnBlockTimeMs: 0 });
const sim = await startSimulators({ stateDir: join(dir, "sim"), channelConfirmations: 1, blockIntervalMs: 1_000 });
const existing = sim.simulation.network.channelsOf(sim.simulation.lnd.dao).length;
if (channels > existing) addOpenChannels(sim.simulation, "dao", channels - existing);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await sim.stop().catch(() => undefined);
  await devnet.stop().catch(() => undefined);
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.stdin.on("close", () => void stop());
process.stdin.resume();
process.stdout.write(
  `${JSON.stringify({ devnetUrl: devnet.url, relayKey: devnet.account("wallet_6").privateKey, dao: sim.nodes.dao })}\n`,
);
