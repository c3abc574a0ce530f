// The real peers the relay's integration and fault suites run against: the node emulation with the real contracts
// (offchain/devnet), the lnd/tapd simulators served over gRPC from the daemons' protos (offchain/regtest/sim), and
// the loopd REST simulator when the regtest stack provides it. Writes relay.toml files that point a relay at them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/sim/index.ts";
import { DEPLOYER } from "./governance.ts";

export const REPO = resolve(import.meta.dirname, "../../..");

export interface IntegrationStack {
  dir: string;
  devnet: Devnet;
  sim: SimulatorHandle;
  /** loopd's REST simulator, when offchain/regtest/loop-sim exists */
  hasLoop: boolean;
  /**
   * Writes a relay config (TOML text appended per section) and returns its path. `lnd` may point elsewhere (a
   * fault-injecting proxy), `apiUrl` likewise.
   */
  writeConfig(name: string, options?: RelayTomlOptions): string;
  stop(): Promise<void>;
}

export interface RelayTomlOptions {
  apiUrl?: string;
  lndSocket?: string;
  /** operations (and channels) LV wallets on contributor's tapd; default true */
  separateWallets?: boolean;
  loop?: boolean;
  lvAssetId?: string;
  http?: boolean;
  monitors?: Record<string, number | boolean>;
  limits?: Record<string, number | string[]>;
  executor?: Record<string, number>;
  journal?: string;
}

const toml = (value: number | boolean | string | string[]): string =>
  Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]` : typeof value === "string" ? JSON.stringify(value) : String(value);

export async function startIntegrationStack(prefix: string, options: { observers?: string[]; blockIntervalMs?: number } = {}): Promise<IntegrationStack> {
  const dir = mkdtempSync(join(tmpdir(), `lvdao-${prefix}-`));
  const devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0, ...(options.observers ? { observers: options.observers } : {}) });
  const sim = await startSimulators({ stateDir: join(dir, "sim"), channelConfirmations: 1, blockIntervalMs: options.blockIntervalMs ?? 200 });
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  const loopFiles = sim.stack.loop;
  return {
    dir,
    devnet,
    sim,
    hasLoop: loopFiles !== null,
    writeConfig(name, o = {}) {
      const dao = sim.nodes.dao;
      const contributor = sim.nodes.contributor;
      const section = (title: string, fields: Record<string, number | boolean | string | string[]>) =>
        [`[${title}]`, ...Object.entries(fields).map(([k, v]) => `${k} = ${toml(v)}`)].join("\n");
      const parts = [
        section("stacks", { api_url: o.apiUrl ?? devnet.url, node_url: o.apiUrl ?? devnet.url, deployer: DEPLOYER, relay_key_file: "relay.key", poll_interval_ms: 100, tx_timeout_ms: 60_000 }),
        section("lnd", { socket: o.lndSocket ?? dao.lnd_socket, cert_file: dao.lnd_cert_path!, macaroon_file: dao.lnd_macaroon_path! }),
        section("tapd", { socket: dao.tapd_socket!, cert_file: dao.tapd_cert_path!, macaroon_file: dao.tapd_macaroon_path! }),
      ];
      if (o.separateWallets ?? true) {
        for (const wallet of ["operations", "channels"]) {
          parts.push(section(`tapd_wallets.${wallet}`, { socket: contributor.tapd_socket!, cert_file: contributor.tapd_cert_path!, macaroon_file: contributor.tapd_macaroon_path! }));
        }
      }
      if ((o.loop ?? true) && loopFiles) parts.push(section("loop", { rest_url: loopFiles.rest_url, cert_file: loopFiles.cert_path, macaroon_file: loopFiles.macaroon_path }));
      if (o.lvAssetId) parts.push(section("lv", { asset_id: o.lvAssetId }));
      parts.push(section("journal", { sqlite_path: o.journal ?? `${name}.db` }));
      parts.push(section("executor", { poll_interval_ms: 100, retry_backoff_ms: 100, max_backoff_ms: 2_000, recovery_grace_ms: 0, ...o.executor }));
      parts.push(section("monitors", { liquidity_poll_ms: 300, pledge_poll_ms: 300, ...o.monitors }));
      if (o.limits) parts.push(section("limits", o.limits));
      parts.push(section("http", { enabled: o.http ?? false, listen: "127.0.0.1:0" }));
      parts.push(section("log", { level: "debug" }));
      const path = join(dir, `${name}.toml`);
      writeFileSync(path, `${parts.join("\n")}\n`);
      return path;
    },
    async stop() {
      await sim.stop().catch(() => undefined);
      await devnet.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
