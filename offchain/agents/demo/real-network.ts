// The demo's Lightning network on the real regtest daemons (offchain/regtest/harness, built by
// `npm run regtest:install`): btcd, lnd dao (the DAO node, with tapd), lnd contributor (with tapd), lnd peer (with
// the tapd the harness starts on request) and the loopd simulator between dao and peer as the swap server.
// A robot is a wallet, so each robot is a node of its own: robot-1 is contributor, robot-2 is peer. The stack has
// no third non-DAO node, so the customer is peer's lnd too: it buys only from robots on other nodes (a payment to
// its own node would not cross Lightning), and robot-2's channel liquidity is the customer's. Topology: the
// harness's peer -> dao channel (the customer's channel the liquidity rules watch) and a contributor -> dao
// channel opened here, each balanced at open, so all robot traffic goes through the DAO node.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getChannelPolicy,
  listAssetBalances,
  mintGroupedAsset,
  newAssetAddress,
  openChannel,
  type TapdClient,
} from "../../lightning/index.ts";
import { findBinaries } from "../../regtest/harness/binaries.ts";
import { startRegtest, type RegtestHandle } from "../../regtest/harness/index.ts";
import { waitFor } from "../../regtest/harness/processes.ts";
import type { DemoNetwork, RobotNode } from "./network.ts";

export interface RealNetworkOptions {
  robots: number;
  /** the contributor -> dao channel, half pushed to dao */
  robotChannelSats: number;
  lvSupply: bigint;
  progress?: (line: string) => void;
  /** checked between the long steps: an aborted start stops what it started and throws */
  signal?: AbortSignal;
}

/** The robots' nodes on the regtest stack, in robot order. */
export const REAL_ROBOT_NODES = ["contributor", "peer"] as const;
/** Coins of the LV supply: the desk's sends for trades held within one block each take their own. */
const LV_COINS = 4;

export interface RealNetwork extends DemoNetwork {
  /** where the stack's data (daemons' directories, logs, nodes.json) lives until the demo stops */
  stateDir: string;
  logsDir: string;
  stack: RegtestHandle;
}

export async function startRealNetwork(options: RealNetworkOptions): Promise<RealNetwork> {
  if (options.robots !== REAL_ROBOT_NODES.length)
    throw new RangeError(
      `--real runs ${REAL_ROBOT_NODES.length} robots, one on each of the regtest stack's non-DAO nodes ` +
        `(${REAL_ROBOT_NODES.join(", ")}); got ${options.robots}`,
    );
  const progress = options.progress ?? (() => undefined);
  // Before anything is started: without the binaries this throws RegtestSetupError (run `npm run regtest:install`).
  findBinaries();
  const stateDir = mkdtempSync(join(tmpdir(), "lvdao-demo-regtest-"));
  const logsDir = join(stateDir, "regtest", "logs");
  progress(`regtest stack's data: ${stateDir} (daemon logs in ${logsDir}; removed when the demo stops)`);
  let stack: RegtestHandle | undefined;
  // A second Ctrl-C exits at once. This runs before the harness's own exit hook (registered later), so it kills the
  // daemons the harness recorded in its pids.json itself before removing their data; it must never throw.
  const onExit = () => {
    try {
      const pids = JSON.parse(readFileSync(join(stateDir, "regtest", "pids.json"), "utf8")) as { pid: number }[];
      for (const { pid } of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    } catch {
      // no daemon started yet
    }
    try {
      rmSync(stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // a daemon still writing as it dies: the directory is named in the demo's output
    }
  };
  process.once("exit", onExit);
  const stop = async () => {
    await stack?.stop().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    process.removeListener("exit", onExit);
  };
  const checkAborted = () => {
    if (options.signal?.aborted) throw new Error("interrupted");
  };
  try {
    stack = await startRegtest({ stateDir, peerTapd: true, progress });
    const s = stack;
    checkAborted();
    const peerTapd = s.tapd.peer;
    if (!peerTapd) throw new Error("the regtest harness started no tapd on peer");
    const tapdOf: Record<(typeof REAL_ROBOT_NODES)[number], TapdClient> = {
      contributor: s.tapd.contributor,
      peer: peerTapd,
    };

    progress(`channel: contributor -> dao, ${options.robotChannelSats} sats, half pushed to dao; mining 6 blocks`);
    const channel = await openChannel({
      lnd: s.lnd.contributor,
      peerPubkey: s.nodes.dao.pubkey,
      peerSocket: s.nodes.dao.p2p_host,
      localSats: options.robotChannelSats,
      pushSats: Math.floor(options.robotChannelSats / 2),
      isPrivate: false,
      memo: "demo: contributor -> dao",
    });
    await s.mine(6);
    // Active is not yet usable: until the channel's edge is in both graphs a payment fails with
    // InsufficientBalanceToAttemptPayment.
    progress("channel: waiting until contributor -> dao is in both nodes' graphs");
    await waitFor(
      "the contributor -> dao channel to be in both graphs",
      async () => {
        const policies = await Promise.allSettled([
          getChannelPolicy({ lnd: s.lnd.contributor, channel, ownPubkey: s.nodes.contributor.pubkey }),
          getChannelPolicy({ lnd: s.lnd.dao, channel, ownPubkey: s.nodes.dao.pubkey }),
        ]);
        if (policies.every((p) => p.status === "fulfilled")) return true;
        await s.mine(1);
        return undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    checkAborted();

    progress(`minting the demo's LV supply (${options.lvSupply} units) on the DAO's tapd, in ${LV_COINS} coins`);
    const coin = options.lvSupply / BigInt(LV_COINS);
    const first = await mintGroupedAsset({ tapd: s.tapd.dao, name: "lv-demo", amount: coin });
    const groupKey = first.asset.groupKey;
    if (!groupKey) throw new Error("the minted LV has no group key");
    await s.mine(1);
    for (let i = 1; i < LV_COINS; i += 1) {
      await waitFor(`LV coin ${i} to be minted`, async () => {
        try {
          return await mintGroupedAsset({ tapd: s.tapd.dao, name: `lv-demo-${i}`, amount: coin, groupKey });
        } catch (error) {
          await s.mine(1);
          throw error;
        }
      });
      await s.mine(1);
      progress(`minted LV coin ${i + 1} of ${LV_COINS}`);
    }
    const lvOf = async (tapd: TapdClient) =>
      (await listAssetBalances({ tapd, by: "group" })).find((b) => b.key === groupKey)?.balance ?? 0n;
    await waitFor("the LV mints to confirm", async () => {
      if ((await lvOf(s.tapd.dao)) === coin * BigInt(LV_COINS)) return true;
      await s.mine(1);
      return undefined;
    });
    // A robot's tapd makes an address for LV only once it learned the group from dao's universe.
    progress("waiting until the robots' tapds learn LV from the DAO's universe");
    for (const node of REAL_ROBOT_NODES)
      await waitFor(`tapd ${node} to learn LV from dao's universe`, () =>
        newAssetAddress({ tapd: tapdOf[node], groupKey, amount: 1n }),
      );
    checkAborted();

    const robots: RobotNode[] = REAL_ROBOT_NODES.map((node, i) => ({
      name: `robot-${i + 1}`,
      lnd: s.lnd[node],
      tapd: tapdOf[node],
    }));
    let height = Number(await s.bitcoin.rpc.call<number>("getblockcount"));
    return {
      mode: "regtest",
      dao: { lnd: s.lnd.dao, tapd: s.tapd.dao, node: s.nodes.dao },
      // robot-2 is peer's own node: the customer pays only robot-1
      customer: { name: "peer", lnd: s.lnd.peer, sellers: ["robot-1"] },
      robots,
      loop: s.loop,
      groupKey,
      height: () => height,
      mine: async (blocks) => {
        height += (await s.mine(blocks)).length;
      },
      newChainAddress: () => s.newAddress("dao"),
      stop,
      stateDir,
      logsDir,
      stack: s,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
