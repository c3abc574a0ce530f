// The relay's integration peers with the REAL Lightning daemons: the node emulation with the real contracts
// (offchain/devnet) and the regtest stack from offchain/regtest/harness.ts (btcd, lnd dao/peer/contributor, tapd on
// dao and contributor, the loopd simulator over the real lnd). The counterpart of integration-stack.ts, which
// uses the gRPC simulators. Blocks are mined in the background (as the simulators' block interval does) so
// channel opens and closes confirm while the relay waits for them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { startRegtest, type RegtestHandle } from "../../regtest/harness.ts";
import { DEPLOYER } from "./governance.ts";
import { REPO } from "./integration-stack.ts";

export interface RegtestRelayStack {
  dir: string;
  devnet: Devnet;
  lightning: RegtestHandle;
  /**
   * Writes relay.toml pointing the relay at dao's real lnd and tapd; returns its path. The reserve is dao's tapd;
   * `contributorWallets` (default operations) are the LV wallets held by contributor's tapd, the rest share dao's.
   */
  writeConfig(name: string, options?: { lvAssetId?: string; contributorWallets?: ("withdrawal" | "operations" | "channels")[]; monitors?: Record<string, number | boolean>; limits?: Record<string, number> }): string;
  /**
   * Pauses (false) or resumes (true) the background miner, for a test that needs a transaction to stay unconfirmed;
   * resolves once a block being mined when it was paused has been found.
   */
  setMining(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

const toml = (value: number | boolean | string): string => (typeof value === "string" ? JSON.stringify(value) : String(value));

export async function startRegtestRelayStack(prefix: string, options: { blockIntervalMs?: number } = {}): Promise<RegtestRelayStack> {
  const dir = mkdtempSync(join(tmpdir(), `lvdao-${prefix}-`));
  const devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  let lightning: RegtestHandle;
  try {
    lightning = await startRegtest({ stateDir: join(dir, "regtest") });
  } catch (error) {
    await devnet.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  let mining: Promise<void> | null = null;
  let paused = false;
  const miner = setInterval(() => {
    if (mining || paused) return;
    mining = lightning.mine(1).then(
      () => void (mining = null),
      () => void (mining = null),
    );
  }, options.blockIntervalMs ?? 1_000);
  return {
    dir,
    devnet,
    lightning,
    async setMining(on) {
      paused = !on;
      await mining;
    },
    writeConfig(name, o = {}) {
      const { dao, contributor } = lightning.nodes;
      const section = (title: string, fields: Record<string, number | boolean | string>) =>
        [`[${title}]`, ...Object.entries(fields).map(([k, v]) => `${k} = ${toml(v)}`)].join("\n");
      const loop = lightning.stack.loop;
      const parts = [
        section("stacks", { api_url: devnet.url, node_url: devnet.url, deployer: DEPLOYER, relay_key_file: "relay.key", poll_interval_ms: 100, tx_timeout_ms: 60_000 }),
        section("lnd", { socket: dao.lnd_socket, cert_file: dao.lnd_cert_path!, macaroon_file: dao.lnd_macaroon_path! }),
        section("tapd", { socket: dao.tapd_socket!, cert_file: dao.tapd_cert_path!, macaroon_file: dao.tapd_macaroon_path! }),
        ...(o.contributorWallets ?? ["operations"]).map((wallet) =>
          section(`tapd_wallets.${wallet}`, { socket: contributor.tapd_socket!, cert_file: contributor.tapd_cert_path!, macaroon_file: contributor.tapd_macaroon_path! }),
        ),
      ];
      if (loop) parts.push(section("loop", { rest_url: loop.rest_url, cert_file: loop.cert_path, macaroon_file: loop.macaroon_path }));
      if (o.lvAssetId) parts.push(section("lv", { asset_id: o.lvAssetId }));
      parts.push(section("journal", { sqlite_path: `${name}.db` }));
      parts.push(section("executor", { poll_interval_ms: 100, retry_backoff_ms: 200, max_backoff_ms: 2_000, recovery_grace_ms: 0 }));
      parts.push(section("monitors", { liquidity_poll_ms: 500, pledge_poll_ms: 500, ...o.monitors }));
      if (o.limits) parts.push(section("limits", o.limits));
      parts.push(section("http", { enabled: false, listen: "127.0.0.1:0" }));
      parts.push(section("log", { level: "debug" }));
      const path = join(dir, `${name}.toml`);
      writeFileSync(path, `${parts.join("\n")}\n`);
      return path;
    },
    async stop() {
      clearInterval(miner);
      await lightning.stop().catch(() => undefined);
      await devnet.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
