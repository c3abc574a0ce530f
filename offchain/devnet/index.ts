// startDevnet: the Stacks node emulation as a library. Brings up the simnet, publishes the project's contracts from
// its devnet plan with real signed transactions, serves the node RPC and API routes over HTTP, mines blocks on
// timers, and pushes blocks to event observers. Other engineers' tests call it with port 0.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { loadDevnetAccounts, type DevnetAccount } from "./accounts.ts";
import { Chain, type TxRecord } from "./stacks-chain.ts";
import { ObserverHub } from "./observers.ts";
import { applyPlan, derivePlan, readPlan, type DeploymentPlan, type PlanNode } from "../deploy/plan.ts";
import { buildRouter } from "./routes.ts";
import { SimnetHost, type EpochString } from "./simnet-host.ts";

export interface DevnetOptions {
  /** Clarinet project to load (Clarinet.toml, settings/Devnet.toml, deployments/). Default: the current directory. */
  projectDir?: string;
  host?: string;
  /** 0 picks a free port. Default 3999, the port of Clarinet's devnet API. */
  port?: number;
  /** Stacks block interval while transactions wait, in ms; 0 mines only on POST /devnet/mine or mine(). Default 1000. */
  blockTimeMs?: number;
  /** Burn block interval in ms; 0 disables the timer. Default 10000. */
  burnBlockTimeMs?: number;
  /** Event observer base URLs; each receives POST /new_block and /new_burn_block. */
  observers?: string[];
  /**
   * Deployment plan: a path (relative to the project), "auto" (deployments/default.devnet-plan.yaml if present, else
   * derived from the simnet plan), or null to publish nothing. Default "auto".
   */
  plan?: string | null;
  maxBodyBytes?: number;
  /** Minimum fee, micro-STX per transaction byte. Default 1. */
  minFeeRate?: bigint;
  progress?: (line: string) => void;
}

export interface Devnet {
  url: string;
  port: number;
  chain: Chain;
  accounts: DevnetAccount[];
  account(name: string): DevnetAccount;
  /** The routes served, as "METHOD /template", and which one serves a request (for tests and docs). */
  routes: { names(): string[]; routeFor(method: string, path: string): string | null };
  /** Mines the waiting transactions now, then advances `burn` burn blocks. */
  mine(options?: { burn?: number }): Promise<void>;
  /** Resolves when the transaction is mined (any status). */
  waitForTx(txid: string): Promise<TxRecord>;
  stop(): Promise<void>;
}

export const SERVER_VERSION = "lvdao-devnet/0.1 (Stacks node emulation over Clarinet simnet)";

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const progress = options.progress ?? (() => undefined);
  const accounts = await loadDevnetAccounts(projectDir);
  progress(`simnet: loading genesis for ${accounts.length} accounts`);
  const host = await SimnetHost.create(projectDir);
  const chain = new Chain(host, { minFeeRate: options.minFeeRate ?? 1n });
  const observers = new ObserverHub(options.observers ?? [], (url, error) =>
    progress(`observer ${url}: ${error.message} (retrying)`),
  );
  observers.attach(chain);

  const timers: NodeJS.Timeout[] = [];
  const server: Server = createServer();
  // Mining a block runs the simnet synchronously and can hold the event loop for seconds. With Node's default
  // 5 s keep-alive, the server then drops an idle socket at the moment a client (undici keeps sockets 4 s, on
  // timers held up by the same block) sends on it, and the request fails with ECONNRESET. Clients close idle
  // sockets long before this.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    timers.forEach(clearInterval);
    observers.stop();
    await new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
    await chain.settled();
    await host.dispose();
  };

  try {
    const mine = async (burn = 0): Promise<void> => {
      while ((await chain.mineBlock()) !== null) {
        // keep mining while runnable transactions remain (a block holds at most maxTxsPerBlock)
      }
      if (burn > 0) await chain.mineBurnBlocks(burn);
    };
    const router = buildRouter(chain, {
      maxBodyBytes: options.maxBodyBytes ?? 2 * 1024 * 1024,
      mine,
      serverVersion: SERVER_VERSION,
    });
    server.on("request", (req, res) => void router.handle(req, res));
    server.on("clientError", (_error, socket) => socket.destroy());

    const plan = await choosePlan(projectDir, options.plan === undefined ? "auto" : options.plan, accounts);
    if (plan) {
      const transactions = plan.plan.batches.reduce((n, b) => n + b.transactions.length, 0);
      progress(`contracts: applying ${plan.name} (${transactions} transactions)`);
      const epoch = plan.plan.batches
        .map((b) => b.epoch)
        .filter((e): e is EpochString => !!e)
        .pop();
      if (epoch) await chain.setEpoch(epoch);
      await applyPlan(
        projectDir,
        plan,
        new Map(accounts.map((a) => [a.address, a.privateKey])),
        inProcessNode(chain),
        progress,
      );
    } else if (host.epoch !== "3.4") {
      await chain.setEpoch("3.4");
    }

    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(options.port ?? 3999, options.host ?? "127.0.0.1", () => done());
    });
    const port = (server.address() as AddressInfo).port;
    const blockTime = options.blockTimeMs ?? 1000;
    const burnTime = options.burnBlockTimeMs ?? 10_000;
    const report = (error: unknown): void => progress(`mining failed: ${(error as Error).message}`);
    if (blockTime > 0)
      timers.push(setInterval(() => void (chain.mempool.size > 0 ? mine().catch(report) : undefined), blockTime));
    if (burnTime > 0) timers.push(setInterval(() => void chain.mineBurnBlocks(1).catch(report), burnTime));

    return {
      url: `http://${options.host ?? "127.0.0.1"}:${port}`,
      port,
      chain,
      accounts,
      routes: { names: () => router.routeNames(), routeFor: (method, path) => router.routeFor(method, path) },
      account(name) {
        const found = accounts.find((a) => a.name === name);
        if (!found) throw new Error(`no devnet account named ${name}`);
        return found;
      },
      mine: ({ burn = 0 } = {}) => mine(burn),
      waitForTx: (txid) => waitForTx(chain, txid.replace(/^0x/, "")),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function choosePlan(
  projectDir: string,
  plan: string | null,
  accounts: DevnetAccount[],
): Promise<DeploymentPlan | null> {
  if (plan === null) return null;
  if (plan !== "auto") return readPlan(resolve(projectDir, plan));
  const devnetPlan = join(projectDir, "deployments", "default.devnet-plan.yaml");
  if (existsSync(devnetPlan)) return readPlan(devnetPlan);
  if (!existsSync(join(projectDir, "deployments", "default.simnet-plan.yaml"))) return null;
  const deployer = accounts.find((a) => a.name === "deployer");
  if (!deployer) throw new Error("settings/Devnet.toml has no deployer account");
  return derivePlan(projectDir, {
    network: "devnet",
    feeRate: 10,
    stacksNode: "http://localhost:3999",
    deployer: deployer.address,
  });
}

function waitForTx(chain: Chain, txid: string): Promise<TxRecord> {
  const record = chain.txs.get(txid);
  if (record && record.status !== "pending") return Promise.resolve(record);
  return new Promise((done) => chain.once(`tx:${txid}`, done));
}

/** Plans applied at start go straight into the chain; each batch is mined as soon as it is submitted. */
function inProcessNode(chain: Chain): PlanNode {
  return {
    network: "testnet",
    nextNonce: async (address) => chain.nextNonce(address) + BigInt(chain.mempool.pendingNonces(address).length),
    broadcast: async (tx) => chain.submit(tx.serializeBytes()),
    confirmed: async (txid) => {
      while (chain.txs.get(txid)?.status === "pending") {
        if ((await chain.mineBlock()) === null) throw new Error(`transaction ${txid} cannot be mined`);
      }
      const record = chain.txs.get(txid)!;
      return { status: record.status, result: record.resultRepr ?? "" };
    },
  };
}
