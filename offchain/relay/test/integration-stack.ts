// The real peers the relay's integration and fault suites run against: the node emulation with the real contracts
// (offchain/devnet), the lnd/tapd simulators served over gRPC from the daemons' protos (offchain/regtest/lnd-tapd-sim),
// and the loopd REST simulator when the regtest stack provides it. Writes relay.toml files that point a relay at them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import { daemonSection, writeRelayToml, type RelayTomlOptions, type TomlSections } from "../../devnet/relay-toml.ts";

export const REPO = resolve(import.meta.dirname, "../../..");

export interface IntegrationStack {
  dir: string;
  devnet: Devnet;
  sim: SimulatorHandle;
  /** loopd's REST simulator, when offchain/regtest/loopd-sim exists */
  hasLoop: boolean;
  /**
   * Writes a relay config (TOML text appended per section) and returns its path. `lnd` may point elsewhere (a
   * fault-injecting proxy), `apiUrl` likewise.
   */
  writeConfig(name: string, options?: IntegrationTomlOptions): string;
  stop(): Promise<void>;
}

export interface IntegrationTomlOptions extends RelayTomlOptions {
  lndSocket?: string;
  /** operations (and channels) LV wallets on contributor's tapd; default true */
  separateWallets?: boolean;
  loop?: boolean;
}

export async function startIntegrationStack(
  prefix: string,
  options: { observers?: string[]; blockIntervalMs?: number } = {},
): Promise<IntegrationStack> {
  const dir = mkdtempSync(join(tmpdir(), `lvdao-${prefix}-`));
  const devnet = await startDevnet({
    projectDir: REPO,
    port: 0,
    blockTimeMs: 50,
    burnBlockTimeMs: 0,
    ...(options.observers ? { observers: options.observers } : {}),
  });
  const sim = await startSimulators({
    stateDir: join(dir, "sim"),
    channelConfirmations: 1,
    blockIntervalMs: options.blockIntervalMs ?? 200,
  });
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  const loopFiles = sim.stack.loop;
  return {
    dir,
    devnet,
    sim,
    hasLoop: loopFiles !== null,
    writeConfig(name, o = {}) {
      const { dao, contributor } = sim.nodes;
      const lightning: TomlSections = {
        lnd: { ...daemonSection(dao, "lnd"), socket: o.lndSocket ?? dao.lnd_socket },
        tapd: daemonSection(dao, "tapd"),
      };
      if (o.separateWallets ?? true)
        for (const wallet of ["operations", "channels"])
          lightning[`tapd_wallets.${wallet}`] = daemonSection(contributor, "tapd");
      if ((o.loop ?? true) && loopFiles)
        lightning.loop = {
          rest_url: loopFiles.rest_url,
          cert_file: loopFiles.cert_path,
          macaroon_file: loopFiles.macaroon_path,
        };
      return writeRelayToml(dir, name, devnet.url, lightning, o);
    },
    async stop() {
      await sim.stop().catch(() => undefined);
      await devnet.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
