// startRegtest / stopRegtest: the real Lightning stack on regtest for tests and for `npm run regtest:up`. btcd
// (mining to the harness's faucet key), lnd `dao` (watchtower client) with tapd, lnd `peer` (watchtower server),
// lnd `contributor` with tapd (the `dao` tapd is both tapds' proof courier and universe), and the loopd REST
// simulator between `dao` and `peer`. Every wallet is funded and a `peer` -> `dao` channel with liquidity on both
// sides is open when it returns. The handle matches the simulators' (offchain/regtest/lnd-tapd-sim `startSimulators`),
// and the same object is written to `<stateDir>/nodes.json`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getHeight } from "lightning";
import {
  connectPeer,
  createAddress,
  findChannel,
  getChannelPolicy,
  openChannel,
  type AuthenticatedLnd,
  type LightningStack,
  type StackNode,
  type TapdClient,
} from "../../lightning/index.ts";
import { findBinaries } from "./binaries.ts";
import type { BtcdRpc } from "./bitcoin/rpc.ts";
import {
  assignPorts,
  btcdLayout,
  lndLayout,
  NODE_NAMES,
  PORT_COUNT,
  TAPD_NODES,
  tapdLayout,
  type NodeName,
  type TapdNodeName,
} from "./daemon-config.ts";
import {
  btcdPassword,
  launchLnd,
  launchTapd,
  lndReady,
  startBtcd,
  tapdReady,
  type RunningLnd,
  type RunningTapd,
  type StartContext,
} from "./daemons.ts";
import { startLoop, type RunningLoop } from "./loop-process.ts";
import { freePorts, waitFor, type ManagedProcess } from "./processes.ts";

export type { NodeName };
export const DEFAULT_STATE_DIR = fileURLToPath(new URL("../.state", import.meta.url));
/** Blocks mined at start: segwit and taproot activate at 432 on btcd's regtest, and coinbases mature after 100. */
const INITIAL_BLOCKS = 450;
const FUNDING_COINS = 5;
const FUNDING_COIN_SAT = 200_000_000;
const BOOTSTRAP_CHANNEL_SAT = 10_000_000;
/** Enough for the bootstrap channel to be announced (6 confirmations), so other nodes can route over it. */
const BOOTSTRAP_CONFIRMATIONS = 6;

export interface RegtestOptions {
  /** nodes.json and the daemons' directories (`regtest/`) go here. Default: a fresh temporary directory, removed on stop. */
  stateDir?: string;
  /** Daemons outlive this process (regtest:up); stop them with `npm run regtest:down`. */
  detached?: boolean;
  progress?: (line: string) => void;
  /** Extra tapd.conf lines for a node, whole sections included (e.g. `[experimental]` and the RFQ settings). */
  tapdConfig?: Partial<Record<TapdNodeName, string[]>>;
  /** Starts a tapd on `peer` too (after dao's, federated with it), so three nodes can hold assets. */
  peerTapd?: boolean;
}

export interface RegtestHandle {
  mode: "regtest";
  nodes: LightningStack["nodes"];
  stack: LightningStack;
  stackFile: string;
  lnd: Record<NodeName, AuthenticatedLnd>;
  tapd: { dao: TapdClient; contributor: TapdClient; peer?: TapdClient };
  loop: { restUrl: string; macaroonHex: string; cert: string };
  bitcoin: { rpc: BtcdRpc; faucetAddress: string };
  /** Each daemon's version as it reports it (lnd and tapd GetInfo, btcd getinfo). */
  versions: Record<string, string>;
  /** Mines `blocks` blocks and waits until every lnd has seen them; returns the block hashes. */
  mine(blocks: number): Promise<string[]>;
  /** Pays `sats` from the faucet to a fresh address of `node`, mines a block; returns the txid. */
  fund(node: NodeName, sats: number): Promise<string>;
  newAddress(node: NodeName): Promise<string>;
  /** The running daemons' process ids, by name ("btcd", "lnd dao", "tapd dao", ...). */
  pids(): Record<string, number>;
  /** Restarts one node's lnd (and its tapd, which depends on it) with the same data and ports. */
  restart(node: NodeName): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<RegtestHandle>();

export async function stopRegtest(): Promise<void> {
  await Promise.allSettled([...running].map((handle) => handle.stop()));
}

export async function startRegtest(options: RegtestOptions = {}): Promise<RegtestHandle> {
  const started = Date.now();
  const say = options.progress ?? ((line: string) => console.error(line));
  const progress = (line: string) => say(`[regtest ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
  const binaries = findBinaries();
  const temporary = options.stateDir === undefined;
  const stateDir = resolve(options.stateDir ?? mkdtempSync(join(tmpdir(), "lvdao-regtest-")));
  const root = join(stateDir, "regtest");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "logs"), { recursive: true, mode: 0o700 });
  const context: StartContext = {
    root,
    ports: assignPorts(await freePorts(PORT_COUNT)),
    binaries,
    detached: options.detached ?? false,
    tapdExtra: options.tapdConfig,
  };
  const processes: ManagedProcess[] = [];
  const lnds = {} as Record<NodeName, RunningLnd>;
  const tapds: Partial<Record<TapdNodeName, RunningTapd>> = {};
  const tapdNodes: TapdNodeName[] = [...TAPD_NODES, ...(options.peerTapd ? ["peer" as const] : [])];
  let loop: RunningLoop | null = null;
  const stackFile = join(stateDir, "nodes.json");
  const recordPids = () =>
    writeFileSync(
      join(root, "pids.json"),
      `${JSON.stringify(
        processes.map((p) => ({ name: p.name, pid: p.pid })),
        null,
        2,
      )}\n`,
    );

  let stopping: Promise<void> | null = null;
  const stopAll = () =>
    (stopping ??= (async () => {
      await loop?.stop().catch(() => undefined);
      for (const tapd of Object.values(tapds)) tapd?.tapd.close();
      // Last started, first stopped: tapds before their lnds, lnds before btcd.
      for (const proc of [...processes].reverse()) await proc.stop();
      rmSync(stackFile, { force: true });
      rmSync(temporary ? stateDir : root, { recursive: true, force: true });
    })());

  try {
    progress(
      `btcd: starting on 127.0.0.1:${context.ports.btcdRpc} (binaries in ${binaries.btcd.slice(0, -"/btcd".length)})`,
    );
    const btcd = await startBtcd(context);
    processes.push(btcd.process);
    recordPids();
    await btcd.faucet.mine(INITIAL_BLOCKS);
    progress(`btcd: mined ${INITIAL_BLOCKS} blocks (segwit and taproot active, coinbases mature)`);

    const launched = NODE_NAMES.map((name) => launchLnd(context, name, btcd.password, { writeConfig: true }));
    processes.push(...launched);
    recordPids();
    progress("lnd: starting dao, peer and contributor (seedless wallets)");
    const ready = await Promise.all(
      NODE_NAMES.map((name, index) => lndReady(context, name, launched[index] as ManagedProcess, INITIAL_BLOCKS)),
    );
    for (const node of ready) lnds[node.name] = node;
    progress(`lnd: ready (${ready.map((node) => `${node.name} ${node.pubkey.slice(0, 12)}…`).join(", ")})`);

    // dao's tapd first: contributor's tapd adds dao's universe to its federation only if it answers at startup
    // ("Not adding server to federation ... connection refused" otherwise), and without it contributor never
    // learns dao's assets, so NewAddr fails with "unable to find asset or group".
    const startTapd = async (name: TapdNodeName): Promise<RunningTapd> => {
      const launched = launchTapd(context, name);
      processes.push(launched);
      recordPids();
      return tapdReady(context, name, launched);
    };
    const tapdsStarted = (async () => {
      const started = [await startTapd("dao")];
      for (const name of tapdNodes.filter((n) => n !== "dao")) started.push(await startTapd(name));
      return started;
    })();
    const lndClients = { dao: lnds.dao.lnd, peer: lnds.peer.lnd, contributor: lnds.contributor.lnd };

    const waitForHeight = async (height: number) => {
      await Promise.all(
        NODE_NAMES.map((name) =>
          waitFor(
            `lnd ${name} to reach height ${height}`,
            async () =>
              (await getHeight({ lnd: lndClients[name] })).current_block_height >= height ? true : undefined,
            {
              process: lnds[name].process,
              timeoutMs: 60_000,
              intervalMs: 50,
            },
          ),
        ),
      );
    };
    const mine = async (blocks: number) => {
      const hashes = await btcd.faucet.mine(blocks);
      await waitForHeight(await btcd.rpc.call<number>("getblockcount"));
      return hashes;
    };

    progress(`funding: ${FUNDING_COINS} x ${FUNDING_COIN_SAT} sat to each lnd wallet`);
    const payments = [];
    for (const name of NODE_NAMES)
      for (let i = 0; i < FUNDING_COINS; i++)
        payments.push({ address: await createAddress({ lnd: lndClients[name] }), sats: FUNDING_COIN_SAT });
    await btcd.faucet.fund(payments);
    await mine(1);

    // Settled, not raced: awaited below, so a failure meanwhile is neither unhandled nor leaves a client open.
    const tapdReadyAll = tapdsStarted.then(
      (started) => started.map((value) => ({ status: "fulfilled" as const, value })),
      (reason: unknown) => [{ status: "rejected" as const, reason }],
    );
    progress("channel: peer -> dao, half pushed to dao");
    await connectPeer({
      lnd: lndClients.peer,
      pubkey: lnds.dao.pubkey,
      socket: `127.0.0.1:${context.ports.lnd.dao.p2p}`,
    });
    await connectPeer({
      lnd: lndClients.contributor,
      pubkey: lnds.dao.pubkey,
      socket: `127.0.0.1:${context.ports.lnd.dao.p2p}`,
    });
    const bootstrap = await waitFor(
      "the bootstrap channel to be accepted",
      () =>
        openChannel({
          lnd: lndClients.peer,
          peerPubkey: lnds.dao.pubkey,
          localSats: BOOTSTRAP_CHANNEL_SAT,
          pushSats: BOOTSTRAP_CHANNEL_SAT / 2,
          isPrivate: false,
          memo: "bootstrap: peer -> dao (regtest:up)",
        }),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await mine(BOOTSTRAP_CONFIRMATIONS);
    await waitFor("the bootstrap channel to be active on both ends", async () => {
      const ends = await Promise.all([
        findChannel({ lnd: lndClients.peer, channel: bootstrap }),
        findChannel({ lnd: lndClients.dao, channel: bootstrap }),
      ]);
      return ends.every((end) => end?.isActive) ? true : undefined;
    });
    // Active is not yet usable: lnd routes (and reads policies) from its graph, and adds its own channel's edge
    // there a moment after the link is up. Until then a payment fails with InsufficientBalanceToAttemptPayment.
    await waitFor("the bootstrap channel to be in both nodes' graphs", async () => {
      const policies = await Promise.allSettled([
        getChannelPolicy({ lnd: lndClients.peer, channel: bootstrap, ownPubkey: lnds.peer.pubkey }),
        getChannelPolicy({ lnd: lndClients.dao, channel: bootstrap, ownPubkey: lnds.dao.pubkey }),
      ]);
      return policies.every((policy) => policy.status === "fulfilled") ? true : undefined;
    });

    const tapdResults = await tapdReadyAll;
    for (const result of tapdResults) if (result.status === "fulfilled") tapds[result.value.name] = result.value;
    const tapdFailure = tapdResults.find((result) => result.status === "rejected");
    if (tapdFailure) throw tapdFailure.reason;
    progress(
      `tapd: ready (${tapdNodes.map((name) => `${name} ${context.ports.tapd[name]}`).join(", ")}; ` +
        `proof courier universerpc://127.0.0.1:${context.ports.tapd.dao})`,
    );
    const daoTapd = tapds.dao as RunningTapd;
    const contributorTapd = tapds.contributor as RunningTapd;

    const nodeEntry = (name: NodeName): StackNode => ({
      name,
      pubkey: lnds[name].pubkey,
      p2p_host: `127.0.0.1:${context.ports.lnd[name].p2p}`,
      lnd_socket: `127.0.0.1:${context.ports.lnd[name].grpc}`,
      lnd_cert_path: lndLayout(root, name).certPath,
      lnd_macaroon_path: lndLayout(root, name).macaroonPath,
      ...(tapds[name]
        ? {
            tapd_socket: `127.0.0.1:${context.ports.tapd[name]}`,
            tapd_cert_path: tapdLayout(root, name).certPath,
            tapd_macaroon_path: tapdLayout(root, name).macaroonPath,
          }
        : {}),
    });
    const nodes = { dao: nodeEntry("dao"), peer: nodeEntry("peer"), contributor: nodeEntry("contributor") };

    loop = await startLoop({ context, nodes, lnd: { dao: lndClients.dao, peer: lndClients.peer }, progress });
    if (loop.process) {
      processes.push(loop.process);
      recordPids();
    }
    progress(`loopd simulator: ${loop.restUrl}`);

    const layout = btcdLayout(root);
    const stack: LightningStack = {
      mode: "regtest",
      nodes,
      loop: { rest_url: loop.restUrl, cert_path: loop.certPath, macaroon_path: loop.macaroonPath },
      bitcoin: {
        network: "regtest",
        backend: "btcd",
        rpc_host: `127.0.0.1:${context.ports.btcdRpc}`,
        rpc_user: btcd.rpc.config.user,
        rpc_password_path: layout.passwordPath,
        rpc_cert_path: layout.certPath,
        faucet_address: btcd.faucet.key.address,
        faucet_key_path: layout.faucetKeyPath,
        mining: "btcd generate (mines to faucet_address)",
      },
    };
    writeFileSync(stackFile, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });

    // btcd's getinfo gives its version as one number, major * 1,000,000 + minor * 10,000 + patch * 100.
    const btcdVersion = (await btcd.rpc.call<{ version: number }>("getinfo")).version;
    const btcdRelease = [btcdVersion / 1_000_000, (btcdVersion / 10_000) % 100, (btcdVersion / 100) % 100]
      .map(Math.floor)
      .join(".");
    const versions: Record<string, string> = {
      btcd: `${btcdRelease} (getinfo version ${btcdVersion})`,
      ...Object.fromEntries(NODE_NAMES.map((name) => [`lnd ${name}`, lnds[name].version])),
      ...Object.fromEntries(tapdNodes.map((name) => [`tapd ${name}`, tapds[name]?.version])),
    };

    const restart = async (name: NodeName) => {
      const tapd = tapds[name] ?? null;
      await tapd?.process.stop();
      await lnds[name].process.stop();
      const relaunched = launchLnd(context, name, btcdPassword(root), { writeConfig: false });
      const index = processes.indexOf(lnds[name].process);
      processes[index] = relaunched;
      const again = await lndReady(context, name, relaunched, await btcd.rpc.call<number>("getblockcount"));
      lnds[name] = { ...again, lnd: lnds[name].lnd };
      if (tapd) {
        tapd.tapd.close();
        const tapdProcess = launchTapd(context, tapd.name);
        processes[processes.indexOf(tapd.process)] = tapdProcess;
        const again = await tapdReady(context, tapd.name, tapdProcess);
        tapds[tapd.name] = again;
        handle.tapd[tapd.name] = again.tapd;
      }
      recordPids();
    };

    const handle: RegtestHandle = {
      mode: "regtest",
      nodes,
      stack,
      stackFile,
      lnd: lndClients,
      tapd: {
        dao: daoTapd.tapd,
        contributor: contributorTapd.tapd,
        ...(tapds.peer ? { peer: tapds.peer.tapd } : {}),
      },
      loop: { restUrl: loop.restUrl, macaroonHex: loop.macaroonHex, cert: loop.cert },
      bitcoin: { rpc: btcd.rpc, faucetAddress: btcd.faucet.key.address },
      versions,
      mine: (blocks) => mine(blocks),
      fund: async (name, sats) => {
        const txid = await btcd.faucet.fund([{ address: await createAddress({ lnd: lndClients[name] }), sats }]);
        await mine(1);
        return txid;
      },
      newAddress: (name) => createAddress({ lnd: lndClients[name] }),
      restart,
      pids: () => Object.fromEntries(processes.map((p) => [p.name, p.pid])),
      stop: async () => {
        running.delete(handle);
        await stopAll();
        progress("stopped");
      },
    };
    running.add(handle);
    progress(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s; ${stackFile}`);
    return handle;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
