// The peers the relay benchmarks run against: the node emulation with the real contracts (offchain/devnet) at a
// chosen block interval, and the lnd/tapd simulators over gRPC (offchain/regtest/lnd-tapd-sim). A relay runs in this
// process from a config file, exactly as `lvdao relay start` builds it. Many actions are queued at once by a
// contract-proposal the DAO passes by vote: its `execute` calls execution-queue.queue-action once per action, as
// lvdao-core.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevnet, type Devnet } from "../../offchain/devnet/index.ts";
import { addOpenChannels } from "../../offchain/regtest/lnd-tapd-sim/fixtures.ts";
import { startSimulators, type SimulatorHandle } from "../../offchain/regtest/lnd-tapd-sim/index.ts";
import { loadConfig } from "../../offchain/relay/config.ts";
import { startRelay, type RelayRuntime } from "../../offchain/relay/start.ts";
import { DEPLOYER } from "../../offchain/devnet/governance.ts";
import { REPO } from "../../offchain/relay/test/integration-stack.ts";
export { feePolicyPayload, queueFeePolicies } from "../../offchain/relay/test/fee-policies.ts";

export interface BenchStack {
  dir: string;
  devnet: Devnet;
  sim: SimulatorHandle;
  /** Writes a relay config over these peers; `extra` adds or replaces whole sections. */
  writeConfig(name: string, extra?: Record<string, Record<string, number | boolean | string>>): string;
  /** Starts a relay in this process from a config written by writeConfig. */
  startRelay(configPath: string): Promise<RelayRuntime>;
  stop(): Promise<void>;
}

const toml = (value: number | boolean | string): string =>
  typeof value === "string" ? JSON.stringify(value) : String(value);

type Sections = Record<string, Record<string, number | boolean | string>>;

/**
 * Writes `<dir>/<name>.toml`: a relay over the node emulation at `devnetUrl` and dao's lnd and tapd, key in
 * `<dir>/relay.key`, monitors and HTTP off; `extra` adds or replaces whole sections.
 */
export function writeRelayConfig(
  dir: string,
  name: string,
  peers: { devnetUrl: string; dao: SimulatorHandle["nodes"]["dao"] },
  extra: Sections = {},
): string {
  const { dao } = peers;
  const sections: Sections = {
    stacks: {
      api_url: peers.devnetUrl,
      node_url: peers.devnetUrl,
      deployer: DEPLOYER,
      relay_key_file: "relay.key",
      poll_interval_ms: 100,
      tx_timeout_ms: 120_000,
      tx_poll_interval_ms: 100,
    },
    lnd: { socket: dao.lnd_socket, cert_file: dao.lnd_cert_path!, macaroon_file: dao.lnd_macaroon_path! },
    tapd: { socket: dao.tapd_socket!, cert_file: dao.tapd_cert_path!, macaroon_file: dao.tapd_macaroon_path! },
    journal: { sqlite_path: `${name}.db` },
    executor: { poll_interval_ms: 100, retry_backoff_ms: 100, max_backoff_ms: 2_000, recovery_grace_ms: 0 },
    monitors: { enabled: false },
    http: { enabled: false, listen: "127.0.0.1:0" },
    log: { level: "info" },
    ...extra,
  };
  const text = Object.entries(sections)
    .map(([title, fields]) => [`[${title}]`, ...Object.entries(fields).map(([k, v]) => `${k} = ${toml(v)}`)].join("\n"))
    .join("\n");
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, `${text}\n`);
  return path;
}

export async function startBenchStack(options: {
  blockTimeMs: number;
  channels: number;
  progress: (line: string) => void;
}): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), "lvdao-bench-relay-"));
  options.progress(`starting the node emulation (${options.blockTimeMs} ms blocks) and the lnd/tapd simulators...`);
  const devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: options.blockTimeMs, burnBlockTimeMs: 0 });
  const sim = await startSimulators({ stateDir: join(dir, "sim"), channelConfirmations: 1, blockIntervalMs: 200 });
  if (options.channels > 1) addOpenChannels(sim.simulation, "dao", options.channels - 1);
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  const relays: RelayRuntime[] = [];
  return {
    dir,
    devnet,
    sim,
    writeConfig: (name, extra = {}) =>
      writeRelayConfig(dir, name, { devnetUrl: devnet.url, dao: sim.nodes.dao }, extra),
    async startRelay(configPath) {
      const { config, secrets } = loadConfig(configPath, {});
      const relay = await startRelay(config, { secrets, logSink: () => undefined });
      relays.push(relay);
      return relay;
    },
    async stop() {
      for (const relay of relays.splice(0)) await relay.stop().catch(() => undefined);
      await sim.stop().catch(() => undefined);
      await devnet.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
