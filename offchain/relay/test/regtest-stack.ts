// The relay's integration peers with the REAL Lightning daemons: the node emulation with the real contracts
// (offchain/devnet) and the regtest stack from offchain/regtest/harness/index.ts (btcd, lnd dao/peer/contributor, tapd
// on dao and contributor, the loopd simulator over the real lnd). The counterpart of integration-stack.ts, which
// uses the gRPC simulators. Blocks are mined in the background (as the simulators' block interval does) so
// channel opens and closes confirm while the relay waits for them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { startRegtest, type RegtestHandle } from "../../regtest/harness/index.ts";
import type { Wallet } from "../config.ts";
import { REPO } from "./integration-stack.ts";
import { daemonSection, writeRelayToml, type RelayTomlOptions, type TomlSections } from "../../devnet/relay-toml.ts";

export interface RegtestTomlOptions extends RelayTomlOptions {
  /** the LV wallets contributor's tapd holds (default operations); the others share dao's */
  contributorWallets?: Exclude<Wallet, "reserve">[];
}

export interface RegtestRelayStack {
  dir: string;
  devnet: Devnet;
  lightning: RegtestHandle;
  /**
   * Writes relay.toml pointing the relay at dao's real lnd and tapd; returns its path. The reserve is dao's tapd;
   * `contributorWallets` (default operations) are the LV wallets held by contributor's tapd, the rest share dao's.
   */
  writeConfig(name: string, options?: RegtestTomlOptions): string;
  /**
   * Pauses (false) or resumes (true) the background miner, for a test that needs a transaction to stay unconfirmed;
   * resolves once a block being mined when it was paused has been found.
   */
  setMining(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startRegtestRelayStack(
  prefix: string,
  options: { blockIntervalMs?: number } = {},
): Promise<RegtestRelayStack> {
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
      () => {
        mining = null;
      },
      () => {
        mining = null;
      },
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
      const sections: TomlSections = { lnd: daemonSection(dao, "lnd"), tapd: daemonSection(dao, "tapd") };
      for (const wallet of o.contributorWallets ?? ["operations"])
        sections[`tapd_wallets.${wallet}`] = daemonSection(contributor, "tapd");
      const loop = lightning.stack.loop;
      if (loop)
        sections.loop = { rest_url: loop.rest_url, cert_file: loop.cert_path, macaroon_file: loop.macaroon_path };
      // real daemons answer slower than the simulators: a longer backoff and slower monitor rounds
      return writeRelayToml(dir, name, devnet.url, sections, {
        ...o,
        executor: { retry_backoff_ms: 200, ...o.executor },
        monitors: { liquidity_poll_ms: 500, pledge_poll_ms: 500, ...o.monitors },
      });
    },
    async stop() {
      clearInterval(miner);
      await lightning.stop().catch(() => undefined);
      await devnet.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
