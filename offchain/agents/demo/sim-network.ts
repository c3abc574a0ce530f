// The demo's Lightning network on the protocol simulators (offchain/regtest/lnd-tapd-sim): the stack's dao, peer
// (the swap server and the robots' customers) and N robot nodes, each a simulated lnd and tapd behind real gRPC
// servers, so robots talk to their nodes through the same client layer as on real regtest. Topology: peer -> dao
// and every robot -> dao, each balanced at open, so all robot traffic goes through the DAO node.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authenticatedLndGrpc, type AuthenticatedLnd } from "lightning";
import { mintGroupedAsset } from "../../lightning/index.ts";
import { connectTapd, type TapdClient } from "../../lightning/connection/tapd.ts";
import { startLndDaemon, startTapdDaemon, listenPlaceholder } from "../../regtest/lnd-tapd-sim/daemons.ts";
import { startSimulators, LND_VERSION, TAPD_VERSION, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import { SimLnd } from "../../regtest/lnd-tapd-sim/lnd-node.ts";
import { SimTapd } from "../../regtest/lnd-tapd-sim/tapd-node.ts";
import type { DemoNetwork, RobotNode } from "./network.ts";

export interface SimNetworkOptions {
  robots: number;
  /** the peer -> dao channel, half pushed to dao */
  peerChannelSats: number;
  /** each robot -> dao channel, half pushed to dao */
  robotChannelSats: number;
  lvSupply: bigint;
  progress?: (line: string) => void;
}

const WALLET_SATS = 100_000_000;
export const LV_COINS = 16;
const CONFIRMATIONS = 1;

export async function startSimNetwork(options: SimNetworkOptions): Promise<DemoNetwork> {
  if (!Number.isSafeInteger(options.robots) || options.robots < 2 || options.robots > 200)
    throw new RangeError(`robots must be an integer in [2, 200] on the simulators, got ${options.robots}`);
  const stateDir = mkdtempSync(join(tmpdir(), "lvdao-demo-"));
  const stops: Array<() => Promise<void>> = [async () => rmSync(stateDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const sim: SimulatorHandle = await startSimulators({
      stateDir,
      fundAndConnect: false,
      channelConfirmations: CONFIRMATIONS,
      progress: options.progress,
    });
    stops.push(sim.stop);
    const { chain, network } = sim.simulation;
    // Several coins per wallet: a simulated wallet spends only confirmed coins, and the DAO's mints and sends each
    // need one before the previous change confirms.
    const fundWallet = (node: SimLnd, coins = 2) =>
      chain.addExternalTx(
        Array.from({ length: coins }, () => ({
          address: chain.newWalletAddress(node.wallet, "p2tr"),
          // whole sats: lnd reports balances as integers, and the relay refuses any other
          value: Math.floor(WALLET_SATS / coins),
        })),
        "faucet",
      );
    const { dao, peer } = sim.simulation.lnd;
    fundWallet(dao, LV_COINS + 8);
    fundWallet(peer);
    chain.mine(1);

    const robots: RobotNode[] = [];
    const robotNodes: SimLnd[] = [];
    for (let i = 1; i <= options.robots; i += 1) {
      const name = `robot-${i}`;
      const node = new SimLnd({ name, towerClient: false, towerServer: false });
      network.add(node);
      const p2p = await listenPlaceholder("127.0.0.1");
      stops.push(p2p.close);
      node.p2pHost = p2p.address;
      const lndDaemon = await startLndDaemon(
        { node, network, chain, version: LND_VERSION },
        join(stateDir, "sim", name, "lnd"),
        "127.0.0.1",
      );
      stops.push(lndDaemon.stop);
      const simTapd = new SimTapd(name, node, chain, sim.simulation.tapd.dao.universe);
      sim.simulation.tapdPeers.set(name, simTapd);
      const tapdDaemon = await startTapdDaemon(
        { tapd: simTapd, peers: sim.simulation.tapdPeers, version: TAPD_VERSION, lndVersion: LND_VERSION },
        join(stateDir, "sim", name, "tapd"),
        "127.0.0.1",
      );
      stops.push(tapdDaemon.stop);
      const lnd: AuthenticatedLnd = authenticatedLndGrpc({
        cert: Buffer.from(lndDaemon.certPem).toString("base64"),
        macaroon: lndDaemon.macaroonHex,
        socket: lndDaemon.socket,
      }).lnd;
      const tapd: TapdClient = connectTapd({
        socket: tapdDaemon.socket,
        cert: tapdDaemon.certPem,
        macaroonHex: tapdDaemon.macaroonHex,
      });
      stops.push(async () => tapd.close());
      fundWallet(node);
      robots.push({ name, lnd, tapd });
      robotNodes.push(node);
      network.connect(node, dao.pubkey, dao.p2pHost);
    }
    chain.mine(1);
    network.connect(peer, dao.pubkey, dao.p2pHost);
    const open = (from: SimLnd, sats: number, memo: string) =>
      network.openChannel(from, {
        partnerPubkey: dao.pubkey,
        localSat: sats,
        pushSat: Math.floor(sats / 2),
        isPrivate: false,
        memo,
        minConfs: 1,
      });
    open(peer, options.peerChannelSats, "demo: peer -> dao");
    for (const node of robotNodes) open(node, options.robotChannelSats, `demo: ${node.name} -> dao`);
    chain.mine(network.confirmationsRequired);

    // Several coins: the simulated tapd funds a send from a confirmed coin, so the desk's sends for trades held
    // within one block each need their own.
    progress(options, `minting the demo's LV supply on the DAO's tapd, in ${LV_COINS} coins`);
    const coin = options.lvSupply / BigInt(LV_COINS);
    const minted = await mintGroupedAsset({ tapd: sim.tapd.dao, name: "lv-demo", amount: coin });
    const groupKey = minted.asset.groupKey;
    if (!groupKey) throw new Error("the minted LV has no group key");
    for (let i = 1; i < LV_COINS; i += 1)
      await mintGroupedAsset({ tapd: sim.tapd.dao, name: `lv-demo-${i}`, amount: coin, groupKey });
    chain.mine(1);
    if (!sim.loop) throw new Error("the demo needs the loopd simulator (offchain/regtest/loopd-sim)");

    return {
      mode: "simulator",
      dao: { lnd: sim.lnd.dao, tapd: sim.tapd.dao, node: sim.nodes.dao },
      customer: { name: "peer", lnd: sim.lnd.peer },
      robots,
      loop: { restUrl: sim.loop.restUrl, cert: sim.loop.cert, macaroonHex: sim.loop.macaroonHex },
      groupKey,
      height: () => chain.height,
      mine: async (blocks) => {
        chain.mine(blocks);
      },
      newChainAddress: async () => chain.newWalletAddress(dao.wallet, "p2tr"),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function progress(options: SimNetworkOptions, line: string): void {
  options.progress?.(line);
}
