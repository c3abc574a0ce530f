// startSimulators: the fallback Lightning stack for machines that cannot build btcd/lnd/tapd. Three simulated
// lnd nodes (dao with the watchtower client, peer with a watchtower server, contributor) and two simulated tapds
// (dao, contributor) on one simulated regtest chain, each a real gRPC server from the daemons' own protos with TLS
// and macaroons. It returns the same handle and writes the same nodes.json as the real harness
// (offchain/regtest/harness/index.ts `startRegtest`), and doubles as `npm start`'s Lightning step.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import { authenticatedLndGrpc, type AuthenticatedLnd } from "lightning";
import { grpcTarget } from "../../lightning/connection/grpc-target.ts";
import { connectTapd, type TapdClient } from "../../lightning/connection/tapd.ts";
import type { LightningStack, StackNode } from "../../lightning/connection/stack-file.ts";
import { SimChain } from "./bitcoin-chain.ts";
import { listenPlaceholder, startLndDaemon, startTapdDaemon, type RunningDaemon } from "./daemons.ts";
import { startLoopSimulator, type LoopHandle } from "./loop-adapter.ts";
import { SimLnd } from "./lnd-node.ts";
import { SimNetwork } from "./network.ts";
import { SimTapd } from "./tapd-node.ts";
import { Universe } from "./tapd-universe.ts";

export const LND_VERSION = "0.20.0-beta commit=lvdao-simulator";
export const TAPD_VERSION = "0.7.0-alpha commit=lvdao-simulator";
export const SIMULATOR_BANNER = "SIMULATED Lightning stack (lvdao protocol simulators, not real lnd/tapd/loopd)";

export type NodeName = "dao" | "peer" | "contributor";
export const NODE_NAMES: NodeName[] = ["dao", "peer", "contributor"];

export interface SimulatorOptions {
  /** Where nodes.json and each daemon's tls.cert / macaroons go. Default offchain/regtest/.state (git-ignored). */
  stateDir?: string;
  host?: string;
  /** Fund the wallets and open a peer -> dao channel with half pushed to dao, like regtest:up. Default true. */
  fundAndConnect?: boolean;
  /** Confirmations before a channel is open (lnd's default on regtest is 3). */
  channelConfirmations?: number;
  /** Mine a block every this many ms; 0 never (tests mine by hand). Default 0, or 10 s under `npm start`. */
  blockIntervalMs?: number;
  /** Progress lines; `npm start` passes its printer. */
  progress?: (line: string) => void;
  /** Set by `npm start` (its step context); only used to pick start-up defaults. */
  devnet?: unknown;
}

export interface SimulatorHandle {
  mode: "simulator";
  nodes: LightningStack["nodes"];
  /** The nodes.json object as written. */
  stack: LightningStack;
  stackFile: string;
  lnd: Record<NodeName, AuthenticatedLnd>;
  tapd: { dao: TapdClient; contributor: TapdClient };
  /** null until offchain/regtest/loopd-sim exists (see loop-adapter.ts). */
  loop: { restUrl: string; macaroonHex: string; cert: string } | null;
  mine(blocks: number): Promise<string[]>;
  fund(node: NodeName, sats: number): Promise<string>;
  newAddress(node: NodeName): Promise<string>;
  stop(): Promise<void>;
  /** The simulated state itself, for tests and benchmarks that set up large fixtures directly. */
  simulation: {
    chain: SimChain;
    network: SimNetwork;
    lnd: Record<NodeName, SimLnd>;
    tapd: { dao: SimTapd; contributor: SimTapd };
    /** Every tapd a simulated send can deliver to, by name; a test adding a tapd node registers it here. */
    tapdPeers: Map<string, SimTapd>;
  };
  /** For `npm start`'s step runner. */
  summary: string[];
  services: Record<string, unknown>;
}

const DEFAULT_STATE_DIR = fileURLToPath(new URL("../.state", import.meta.url));
const FUNDING_COINS = 5;
const FUNDING_COIN_SAT = 200_000_000;
const BOOTSTRAP_CHANNEL_SAT = 10_000_000;

export async function startSimulators(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const progress = options.progress ?? (() => undefined);
  const host = options.host ?? "127.0.0.1";
  const stateDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  const simDir = join(stateDir, "sim");
  rmSync(simDir, { recursive: true, force: true });
  mkdirSync(simDir, { recursive: true, mode: 0o700 });
  progress(`lightning: starting the ${SIMULATOR_BANNER}`);

  const chain = new SimChain();
  const network = new SimNetwork(chain, options.channelConfirmations ?? 3);
  const universe = new Universe();
  const simLnd = {
    dao: new SimLnd({ name: "dao", towerClient: true, towerServer: false }),
    peer: new SimLnd({ name: "peer", towerClient: false, towerServer: true }),
    contributor: new SimLnd({ name: "contributor", towerClient: false, towerServer: false }),
  };
  // Stops run last-first: the daemons go down, then their certificates and macaroons are deleted.
  const stops: Array<() => Promise<void>> = [async () => rmSync(simDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const lndDaemons = {} as Record<NodeName, RunningDaemon>;
    for (const name of NODE_NAMES) {
      const node = simLnd[name];
      network.add(node);
      const p2p = await listenPlaceholder(host);
      stops.push(p2p.close);
      node.p2pHost = p2p.address;
      if (node.towerKeys) {
        const tower = await listenPlaceholder(host);
        stops.push(tower.close);
        node.towerHost = tower.address;
      }
      lndDaemons[name] = await startLndDaemon(
        { node, network, chain, version: LND_VERSION },
        join(simDir, name, "lnd"),
        host,
      );
      stops.push(lndDaemons[name].stop);
    }
    const tapdPeers = new Map<string, SimTapd>();
    const simTapd = {
      dao: new SimTapd("dao", simLnd.dao, chain, universe),
      contributor: new SimTapd("contributor", simLnd.contributor, chain, universe),
    };
    const tapdDaemons = {} as Record<"dao" | "contributor", RunningDaemon>;
    for (const name of ["dao", "contributor"] as const) {
      tapdPeers.set(name, simTapd[name]);
      tapdDaemons[name] = await startTapdDaemon(
        { tapd: simTapd[name], peers: tapdPeers, version: TAPD_VERSION, lndVersion: LND_VERSION },
        join(simDir, name, "tapd"),
        host,
      );
      stops.push(tapdDaemons[name].stop);
      if (name === "dao") universe.courierAddr = `universerpc://${tapdDaemons.dao.socket}`;
    }

    const stackNode = (name: NodeName): StackNode => ({
      name,
      pubkey: simLnd[name].pubkey,
      p2p_host: simLnd[name].p2pHost,
      lnd_socket: lndDaemons[name].socket,
      lnd_cert_path: lndDaemons[name].certPath,
      lnd_macaroon_path: lndDaemons[name].macaroonPath,
      ...(name !== "peer"
        ? {
            tapd_socket: tapdDaemons[name].socket,
            tapd_cert_path: tapdDaemons[name].certPath,
            tapd_macaroon_path: tapdDaemons[name].macaroonPath,
          }
        : {}),
    });
    const nodes = { dao: stackNode("dao"), peer: stackNode("peer"), contributor: stackNode("contributor") };
    const lnd = Object.fromEntries(
      NODE_NAMES.map((name) => [
        name,
        authenticatedLndGrpc({
          cert: Buffer.from(lndDaemons[name].certPem).toString("base64"),
          macaroon: lndDaemons[name].macaroonHex,
          socket: grpcTarget(lndDaemons[name].socket),
        }).lnd,
      ]),
    ) as Record<NodeName, AuthenticatedLnd>;
    const tapd = {
      dao: connectTapd({
        socket: tapdDaemons.dao.socket,
        cert: tapdDaemons.dao.certPem,
        macaroonHex: tapdDaemons.dao.macaroonHex,
      }),
      contributor: connectTapd({
        socket: tapdDaemons.contributor.socket,
        cert: tapdDaemons.contributor.certPem,
        macaroonHex: tapdDaemons.contributor.macaroonHex,
      }),
    };
    stops.push(async () => {
      tapd.dao.close();
      tapd.contributor.close();
    });

    const fund = async (name: NodeName, sats: number) => {
      if (!Number.isSafeInteger(sats) || sats <= 0)
        throw new Error(`fund: sats must be a positive integer, got ${sats}`);
      const tx = chain.addExternalTx(
        [{ address: chain.newWalletAddress(simLnd[name].wallet, "p2tr"), value: sats }],
        "faucet",
      );
      chain.mine(1);
      return tx.txid;
    };
    if (options.fundAndConnect ?? true) {
      progress("lightning (simulator): funding the three wallets and opening a peer -> dao channel");
      for (const name of NODE_NAMES) {
        chain.addExternalTx(
          Array.from({ length: FUNDING_COINS }, () => ({
            address: chain.newWalletAddress(simLnd[name].wallet, "p2tr"),
            value: FUNDING_COIN_SAT,
          })),
          "faucet",
        );
      }
      chain.mine(1);
      network.connect(simLnd.peer, simLnd.dao.pubkey, simLnd.dao.p2pHost);
      network.connect(simLnd.contributor, simLnd.dao.pubkey, simLnd.dao.p2pHost);
      network.openChannel(simLnd.peer, {
        partnerPubkey: simLnd.dao.pubkey,
        localSat: BOOTSTRAP_CHANNEL_SAT,
        pushSat: BOOTSTRAP_CHANNEL_SAT / 2,
        isPrivate: false,
        memo: "bootstrap: peer -> dao (simulator start-up)",
        minConfs: 1,
      });
      chain.mine(network.confirmationsRequired);
    }

    const loop: LoopHandle | null = await startLoopSimulator({
      lnd: { dao: lnd.dao, peer: lnd.peer },
      nodes,
      stateDir: simDir,
      host,
      progress,
    });
    if (loop) stops.push(loop.stop);

    const stack: LightningStack = {
      mode: "simulator",
      nodes,
      loop: loop ? { rest_url: loop.restUrl, cert_path: loop.certPath, macaroon_path: loop.macaroonPath } : null,
      bitcoin: { network: "regtest", backend: "lvdao simulated chain (in-process)", genesis_hash: chain.genesisHash },
    };
    const stackFile = join(stateDir, "nodes.json");
    writeFileSync(stackFile, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
    stops.push(async () => rmSync(stackFile, { force: true }));

    const interval = options.blockIntervalMs ?? (options.devnet ? 10_000 : 0);
    if (interval > 0) {
      const timer = setInterval(() => chain.mine(1), interval);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }

    const summary = [
      SIMULATOR_BANNER,
      ...NODE_NAMES.map((name) => {
        const node = nodes[name];
        const tapd = node.tapd_socket ? `  tapd ${node.tapd_socket}` : "";
        return `${name.padEnd(11)} lnd ${node.lnd_socket}${tapd}  p2p ${node.p2p_host}`;
      }),
      loop
        ? `loopd (simulator) ${loop.restUrl}`
        : "loopd simulator: not available (offchain/regtest/loopd-sim is not there yet)",
      `nodes file ${stackFile}${interval > 0 ? `; a block every ${interval / 1000} s` : ""}`,
    ];
    progress(`lightning: ${SIMULATOR_BANNER} is up; state in ${stackFile}`);
    let stopped = false;
    return {
      mode: "simulator",
      nodes,
      stack,
      stackFile,
      lnd,
      tapd,
      loop: loop ? { restUrl: loop.restUrl, macaroonHex: loop.macaroonHex, cert: loop.cert } : null,
      mine: async (blocks) => {
        if (!Number.isSafeInteger(blocks) || blocks < 1)
          throw new Error(`mine: blocks must be a positive integer, got ${blocks}`);
        return chain.mine(blocks);
      },
      fund,
      newAddress: async (name) => chain.newWalletAddress(simLnd[name].wallet, "p2tr"),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await stopAll();
        progress("lightning: simulators stopped");
      },
      simulation: { chain, network, lnd: simLnd, tapd: simTapd, tapdPeers },
      summary,
      // `mine` lets npm start offer `npm run regtest:mine` on this chain (offchain/devnet/lightning-control.ts).
      services: {
        lightning: { mode: "simulator", stackFile, stack, mine: async (blocks: number) => chain.mine(blocks) },
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
