// Starting each real daemon and waiting until it can be used: btcd answering RPC, lnd unlocked (a seedless wallet)
// and synced to btcd's tip, tapd answering GetInfo. Each returns the running process and a client built by the
// client layer (offchain/lightning) from the files the daemon wrote.
import { randomBytes } from "node:crypto";
import { subscribeToBlocks } from "lightning";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  connectLnd,
  connectTapd,
  getNodeInfo,
  getTapdInfo,
  type AuthenticatedLnd,
  type TapdClient,
} from "../../lightning/index.ts";
import type { BinaryPaths } from "./binaries.ts";
import { Faucet, faucetKey, newFaucetPrivateKey } from "./bitcoin/faucet.ts";
import { BtcdRpc } from "./bitcoin/rpc.ts";
import {
  btcdConfig,
  btcdLayout,
  lndConfig,
  lndLayout,
  RPC_USER,
  tapdConfig,
  tapdLayout,
  type NodeName,
  type Ports,
  type TapdNodeName,
} from "./daemon-config.ts";
import { startProcess, waitFor, type ManagedProcess } from "./processes.ts";

export interface StartContext {
  root: string;
  ports: Ports;
  binaries: BinaryPaths;
  /** Detached daemons outlive this process (regtest:up); attached ones die with it (tests). */
  detached: boolean;
  /** Extra tapd.conf lines per node, appended after the harness's own (RegtestOptions.tapdConfig). */
  tapdExtra?: Partial<Record<TapdNodeName, string[]>>;
}

const writeSecret = (path: string, content: string | Buffer) => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600 });
};

export interface RunningBtcd {
  process: ManagedProcess;
  rpc: BtcdRpc;
  faucet: Faucet;
  password: string;
}

export async function startBtcd(context: StartContext): Promise<RunningBtcd> {
  const layout = btcdLayout(context.root);
  mkdirSync(dirname(layout.logPath), { recursive: true });
  const password = randomBytes(24).toString("hex");
  writeSecret(layout.passwordPath, password);
  const faucetPrivateKey = newFaucetPrivateKey();
  writeSecret(layout.faucetKeyPath, faucetPrivateKey.toString("hex"));
  const rpcConfig = {
    host: `127.0.0.1:${context.ports.btcdRpc}`,
    user: RPC_USER,
    passwordPath: layout.passwordPath,
    certPath: layout.certPath,
  };
  // The faucet's address is btcd's mining address, so it is derived before btcd starts.
  const miningAddress = faucetKey(faucetPrivateKey).address;
  const { config, args } = btcdConfig(layout, context.ports.btcdRpc, password, miningAddress);
  writeSecret(layout.configPath, config);
  const process = startProcess({
    name: "btcd",
    command: context.binaries.btcd,
    args,
    logPath: layout.logPath,
    detached: context.detached,
  });
  // btcd writes its RPC certificate on first start; the client pins it, so it is read only once it exists.
  await waitFor(
    "btcd's RPC certificate",
    async () => (existsSync(layout.certPath) && existsSync(layout.keyPath) ? true : undefined),
    { process, timeoutMs: 30_000 },
  );
  const rpc = new BtcdRpc(rpcConfig);
  await waitFor("btcd's RPC", () => rpc.call<number>("getblockcount"), { process, timeoutMs: 30_000 });
  return { process, rpc, faucet: new Faucet(rpc, faucetPrivateKey), password };
}

export interface RunningLnd {
  name: NodeName;
  process: ManagedProcess;
  lnd: AuthenticatedLnd;
  pubkey: string;
  version: string;
}

export function launchLnd(
  context: StartContext,
  name: NodeName,
  btcdPassword: string,
  options: { writeConfig: boolean },
): ManagedProcess {
  const layout = lndLayout(context.root, name);
  mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  if (options.writeConfig) {
    const { config } = lndConfig(name, layout, context.ports, btcdLayout(context.root), btcdPassword);
    writeSecret(layout.configPath, config);
  }
  const { args } = lndConfig(name, layout, context.ports, btcdLayout(context.root), "");
  return startProcess({
    name: `lnd ${name}`,
    command: context.binaries.lnd,
    args,
    logPath: layout.logPath,
    detached: context.detached,
  });
}

/** Waits for lnd's macaroon, then for its RPC to answer synced to `height` or above. */
export async function lndReady(
  context: StartContext,
  name: NodeName,
  process: ManagedProcess,
  height: number,
): Promise<RunningLnd> {
  const layout = lndLayout(context.root, name);
  await waitFor(
    `lnd ${name}'s wallet and macaroon`,
    async () => (existsSync(layout.macaroonPath) && existsSync(layout.certPath) ? true : undefined),
    { process, timeoutMs: 120_000 },
  );
  const lnd = connectLnd({
    socket: `127.0.0.1:${context.ports.lnd[name].grpc}`,
    certPath: layout.certPath,
    macaroonPath: layout.macaroonPath,
  });
  const info = await waitFor(
    `lnd ${name} to sync to height ${height}`,
    async () => {
      const node = await getNodeInfo({ lnd, timeoutMs: 5_000 });
      return node.isSyncedToChain && node.blockHeight >= height ? node : undefined;
    },
    { process, timeoutMs: 120_000 },
  );
  // lnd reports itself synced before its chain notifier sub-server is up, and tapd exits if that is not ready.
  await waitFor(`lnd ${name}'s chain notifier`, () => firstBlockEpoch(lnd), {
    process,
    timeoutMs: 60_000,
    intervalMs: 250,
  });
  return { name, process, lnd, pubkey: info.pubkey, version: info.version };
}

/** The current block from chainrpc's block epoch stream, which lnd sends as soon as a subscription registers. */
function firstBlockEpoch(lnd: AuthenticatedLnd): Promise<number> {
  return new Promise((resolve, reject) => {
    const subscription = subscribeToBlocks({ lnd });
    const timer = setTimeout(() => finish(() => reject(new Error("no block epoch within 3 s"))), 3_000);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      subscription.removeAllListeners();
      subscription.on("error", () => undefined);
      settle();
    };
    subscription.on("block", (block: { height: number }) => finish(() => resolve(block.height)));
    subscription.on("error", (error: unknown) =>
      finish(() => reject(new Error(`block epochs: ${JSON.stringify(error)}`))),
    );
  });
}

export interface RunningTapd {
  name: TapdNodeName;
  process: ManagedProcess;
  tapd: TapdClient;
  version: string;
}

export function launchTapd(context: StartContext, name: TapdNodeName): ManagedProcess {
  const layout = tapdLayout(context.root, name);
  mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  const { config, args } = tapdConfig(
    name,
    layout,
    lndLayout(context.root, name),
    context.ports,
    context.tapdExtra?.[name],
  );
  writeFileSync(layout.configPath, config);
  return startProcess({
    name: `tapd ${name}`,
    command: context.binaries.tapd,
    args,
    logPath: layout.logPath,
    detached: context.detached,
  });
}

export async function tapdReady(
  context: StartContext,
  name: TapdNodeName,
  process: ManagedProcess,
): Promise<RunningTapd> {
  const layout = tapdLayout(context.root, name);
  await waitFor(
    `tapd ${name}'s macaroon`,
    async () => (existsSync(layout.macaroonPath) && existsSync(layout.certPath) ? true : undefined),
    { process, timeoutMs: 120_000 },
  );
  const tapd = connectTapd({
    socket: `127.0.0.1:${context.ports.tapd[name]}`,
    certPath: layout.certPath,
    macaroonPath: layout.macaroonPath,
  });
  try {
    const info = await waitFor(
      `tapd ${name} to answer`,
      async () => {
        const answer = await getTapdInfo({ tapd, timeoutMs: 5_000 });
        return answer.isSyncedToChain ? answer : undefined;
      },
      { process, timeoutMs: 120_000 },
    );
    return { name, process, tapd, version: info.version };
  } catch (error) {
    tapd.close();
    throw error;
  }
}

/** The password btcd was configured with (for restarting an lnd with the same settings). */
export const btcdPassword = (root: string) => readFileSync(btcdLayout(root).passwordPath, "utf8").trim();
