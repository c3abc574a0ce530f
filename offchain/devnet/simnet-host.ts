// The one owner of the Clarinet simnet session. Everything that changes chain state goes through here and is
// appended to an operation log, so the whole chain can be rebuilt deterministically by replay. Replay is how the
// node undoes a block that must not stand as executed (a post-condition violation, a runtime error, an unpayable
// fee): the simnet has no snapshot or rollback, so the node rebuilds the state as it was before that block and mines
// the corrected block instead (see docs/devnet.md, "Post-conditions and rollback").
import { mkdtemp, rm, mkdir, copyFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getSDK, type Simnet, type Tx, type ParsedTransactionResult } from "@stacks/clarinet-sdk";
import { cvToString, type ClarityValue } from "@stacks/transactions";
import type { EpochString } from "../deploy/plan.ts";

export type { EpochString };
/** A contract's interface as the simnet gives it (the shape a node serves at /v2/contracts/interface). */
export type SimnetContractInterface =
  ReturnType<Simnet["getContractsInterfaces"]> extends Map<string, infer I> ? I : never;
type SimOp = { kind: "block"; txs: Tx[] } | { kind: "burn"; count: number } | { kind: "epoch"; epoch: EpochString };

/** mineBlock stopped at a transaction that raised a runtime error; the transactions before it were applied. */
export class SimnetBlockError extends Error {
  override name = "SimnetBlockError";
}

export class SimnetHost {
  private log: SimOp[] = [];
  /** getContractsInterfaces costs ~25 ms (it serializes every contract's ABI); it changes only when a contract is published. */
  private interfaces: Map<string, SimnetContractInterface> | null = null;
  /** STX balances read since the last state change (each read is a ~0.5 ms snippet execution). */
  private balances = new Map<string, bigint>();
  private constructor(
    private sdk: Simnet,
    private readonly genesisDir: string,
  ) {}

  /**
   * A session with the project's genesis accounts and boot contracts but none of its contracts: those are published
   * by real transactions from the devnet plan.
   */
  static async create(projectDir: string): Promise<SimnetHost> {
    const genesisDir = await mkdtemp(join(tmpdir(), "lvdao-devnet-"));
    await mkdir(join(genesisDir, "settings"));
    await copyFile(join(projectDir, "settings", "Devnet.toml"), join(genesisDir, "settings", "Devnet.toml"));
    await writeFile(
      join(genesisDir, "Clarinet.toml"),
      '[project]\nname = "devnet-genesis"\ntelemetry = false\ncache_dir = "./.cache"\n',
    );
    return new SimnetHost(await SimnetHost.openSession(genesisDir), genesisDir);
  }

  private static async openSession(genesisDir: string): Promise<Simnet> {
    const sdk = await getSDK();
    await quietly(() => sdk.initSession(genesisDir, "./Clarinet.toml", null));
    return sdk;
  }

  get stacksHeight(): number {
    return this.sdk.stacksBlockHeight;
  }
  get burnHeight(): number {
    return this.sdk.burnBlockHeight;
  }
  get epoch(): string {
    return this.sdk.currentEpoch;
  }

  setEpoch(epoch: EpochString): void {
    if (this.sdk.currentEpoch === epoch) return;
    this.balances.clear();
    this.sdk.setEpoch(epoch);
    this.log.push({ kind: "epoch", epoch });
  }

  /** Mines one Stacks block holding `txs`, in order. Throws SimnetBlockError when a transaction hits a runtime error. */
  mineBlock(txs: Tx[]): ParsedTransactionResult[] {
    if (txs.some((tx) => tx.deployContract)) this.interfaces = null;
    this.balances.clear();
    try {
      const results = quietly(() => this.sdk.mineBlock(txs));
      this.log.push({ kind: "block", txs });
      return results;
    } catch (cause) {
      this.interfaces = null;
      throw new SimnetBlockError(String((cause as Error)?.message ?? cause));
    }
  }

  /** Advances the burn chain by `count` blocks; in epoch 3 each burn block also brings a new (empty) Stacks block. */
  advanceBurn(count: number): void {
    this.balances.clear();
    quietly(() => this.sdk.mineEmptyBurnBlocks(count));
    this.log.push({ kind: "burn", count });
  }

  readOnly(contractId: string, fn: string, args: ClarityValue[], sender: string): ParsedTransactionResult {
    return quietly(() => this.sdk.callReadOnlyFn(contractId, fn, args, sender));
  }

  stxBalance(principal: string): bigint {
    const cached = this.balances.get(principal);
    if (cached !== undefined) return cached;
    const result = quietly(() => this.sdk.execute(`(stx-get-balance '${principal})`)).result;
    if (result.type !== "uint") throw new Error(`unexpected stx-get-balance result ${cvToString(result)}`);
    this.balances.set(principal, BigInt(result.value));
    return BigInt(result.value);
  }

  contractInterfaces(): Map<string, SimnetContractInterface> {
    this.interfaces ??= this.sdk.getContractsInterfaces();
    return this.interfaces;
  }

  contractSource(contractId: string): string | undefined {
    return this.sdk.getContractSource(contractId);
  }

  /**
   * Throws away the session and replays the log up to (not including) the last `dropLast` operations on a fresh
   * one. Replay is deterministic: the same operations produce the same state and results.
   */
  async rebuild(dropLast = 0): Promise<void> {
    const done = this.replay(dropLast);
    this.rebuilding = done.catch(() => undefined);
    try {
      await done;
    } finally {
      this.rebuilding = null;
    }
  }

  /** Set while a rebuild runs: readers must wait for it, the old session holds state that is being undone. */
  rebuilding: Promise<void> | null = null;

  private async replay(dropLast: number): Promise<void> {
    const ops = this.log.slice(0, this.log.length - dropLast);
    const sdk = await SimnetHost.openSession(this.genesisDir);
    for (const op of ops) {
      if (op.kind === "epoch") sdk.setEpoch(op.epoch);
      else if (op.kind === "burn") quietly(() => sdk.mineEmptyBurnBlocks(op.count));
      else quietly(() => sdk.mineBlock(op.txs));
    }
    this.sdk = sdk;
    this.log = ops;
    this.interfaces = null;
    this.balances.clear();
  }

  get operationCount(): number {
    return this.log.length;
  }

  async dispose(): Promise<void> {
    await rm(this.genesisDir, { recursive: true, force: true });
  }
}

/** The simnet echoes print events and runtime errors to the console; the node reports them through its API instead. */
function quietly<T>(fn: () => T): T {
  const { log, error, warn, info } = console;
  const silent = (): void => undefined;
  console.log = console.error = console.warn = console.info = silent;
  try {
    const value = fn();
    if (value instanceof Promise) {
      return value.finally(() => Object.assign(console, { log, error, warn, info })) as T;
    }
    Object.assign(console, { log, error, warn, info });
    return value;
  } catch (error_) {
    Object.assign(console, { log, error, warn, info });
    throw error_;
  }
}
