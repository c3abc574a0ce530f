// The emulated Stacks node's chain: accepts transactions into the mempool, mines Stacks blocks over the simnet
// (many transactions per block), advances burn blocks, charges fees, enforces post-conditions, and keeps the block,
// transaction and event records the API routes read. All state changes run one at a time through `serial`.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { tx as simTx, type Tx, type ParsedTransactionResult } from "@stacks/clarinet-sdk";
import {
  Cl,
  cvToString,
  serializeCV,
  PostConditionMode,
  AddressVersion,
  addressFromVersionHash,
  addressToString,
} from "@stacks/transactions";
import { admit, type ContractInterface } from "./admission.ts";
import type { SimEvent } from "./events.ts";
import { Mempool } from "./mempool.ts";
import { checkPostConditions, outflowsOf } from "./post-conditions.ts";
import { Rejection } from "./rejection.ts";
import { SimnetBlockError, type SimnetHost, type EpochString } from "./simnet-host.ts";
import { decodeTransaction, type DecodedTx } from "./tx-decode.ts";

export type TxStatus = "pending" | "success" | "abort_by_response" | "abort_by_post_condition";

export interface BlockRecord {
  height: number;
  hash: string;
  indexHash: string;
  parentHash: string;
  parentIndexHash: string;
  burnHeight: number;
  burnHash: string;
  burnTime: number;
  parentBurnHash: string;
  parentBurnTime: number;
  time: number;
  txids: string[];
}

export interface TxRecord {
  tx: DecodedTx;
  receivedAt: number;
  status: TxStatus;
  resultHex: string | null;
  resultRepr: string | null;
  vmError: string | null;
  events: SimEvent[];
  block: BlockRecord | null;
  txIndex: number;
}

export interface ContractLog {
  txid: string;
  eventIndex: number;
  contractId: string;
  topic: string;
  hex: string;
  repr: string;
}

export interface ChainOptions {
  /** Micro-STX per byte a transaction must pay at least (a node's minimum relay fee rate). */
  minFeeRate?: bigint;
  maxTxsPerBlock?: number;
}

/** Where fees go: this node's (emulated) miner. Not a wallet anyone holds the key of. */
export const MINER_ADDRESS = addressToString(
  addressFromVersionHash(
    AddressVersion.TestnetSingleSig,
    createHash("sha256").update("lvdao devnet miner").digest("hex").slice(0, 40),
  ),
);

const sha512_256 = (data: string | Uint8Array): string => createHash("sha512-256").update(data).digest("hex");
export const txidOf = (raw: Uint8Array): string => sha512_256(raw);

interface Candidate {
  tx: DecodedTx;
  /** Set when this transaction must be mined as "fee and nonce only": its effects are undone. */
  abort?: { status: "abort_by_response" | "abort_by_post_condition"; vmError: string | null; result: string | null };
}

export class Chain extends EventEmitter {
  readonly mempool = new Mempool();
  readonly txs = new Map<string, TxRecord>();
  readonly blocks: BlockRecord[] = [];
  readonly logsByContract = new Map<string, ContractLog[]>();
  /** Contract id -> the Stacks height its publishing transaction was mined at (boot contracts: absent, height 0). */
  readonly publishHeights = new Map<string, number>();
  readonly minFeeRate: bigint;
  private readonly maxTxsPerBlock: number;
  private nonces = new Map<string, bigint>();
  private serial: Promise<unknown> = Promise.resolve();
  private burnBlocks: { height: number; hash: string; time: number }[] = [];

  constructor(
    readonly host: SimnetHost,
    options: ChainOptions = {},
  ) {
    super();
    this.minFeeRate = options.minFeeRate ?? 1n;
    this.maxTxsPerBlock = options.maxTxsPerBlock ?? 1000;
    this.recordHostHeights();
  }

  /**
   * Switches the simnet to `epoch`. The switch mines blocks of its own (a burn block and a Stacks block), which get
   * records here like any other, so heights and parent hashes stay contiguous.
   */
  setEpoch(epoch: EpochString): Promise<void> {
    return this.enqueue(() => {
      this.host.setEpoch(epoch);
      this.recordHostHeights();
    });
  }

  /** Records the (empty) burn and Stacks blocks the simnet has that this chain has no record of yet. */
  private recordHostHeights(): void {
    const now = unixNow();
    while (this.burnBlocks.length <= this.host.burnHeight)
      this.burnBlocks.push({ height: this.burnBlocks.length, hash: burnHash(this.burnBlocks.length), time: now });
    while (this.blocks.length <= this.host.stacksHeight) this.blocks.push(this.makeBlock(this.blocks.length, [], now));
  }

  get tip(): BlockRecord {
    return this.blocks[this.blocks.length - 1]!;
  }
  get burnTip(): { height: number; hash: string; time: number } {
    return this.burnBlocks[this.burnBlocks.length - 1]!;
  }

  nextNonce(address: string): bigint {
    return this.nonces.get(address) ?? 0n;
  }

  /** Resolves once no block repair is in flight: a repair replaces the simnet state readers would see. */
  async settled(): Promise<void> {
    while (this.host.rebuilding) await this.host.rebuilding;
  }

  stxBalance(principal: string): bigint {
    return this.host.stxBalance(principal);
  }

  contractInterface(contractId: string): ContractInterface | undefined {
    return this.host.contractInterfaces().get(contractId);
  }

  /** Validates and queues a serialized transaction. Returns its txid or throws a Rejection. */
  submit(raw: Uint8Array): string {
    const tx = decodeTransaction(raw, txidOf);
    if (this.txs.has(tx.txid)) return tx.txid; // a node answers a re-broadcast with the same txid
    admit(tx, {
      nextNonce: (a) => this.nextNonce(a),
      stxBalance: (p) => this.host.stxBalance(p),
      pendingSpend: (p) => this.mempool.pendingSpend(p),
      pendingNonces: (s) => this.mempool.pendingNonces(s),
      hasPendingNonce: (s, n) => this.mempool.hasNonce(s, n),
      contractInterface: (id) => this.contractInterface(id),
      contractPending: (id) => this.mempool.pendingContract(id),
      minFeeRate: this.minFeeRate,
    });
    this.mempool.add(tx);
    this.txs.set(tx.txid, {
      tx,
      receivedAt: unixNow(),
      status: "pending",
      resultHex: null,
      resultRepr: null,
      vmError: null,
      events: [],
      block: null,
      txIndex: 0,
    });
    this.emit("mempool", tx.txid);
    return tx.txid;
  }

  /** Mines one Stacks block with the runnable mempool transactions; resolves to null when there was nothing to mine. */
  mineBlock(): Promise<BlockRecord | null> {
    return this.enqueue(() => this.mineBlockNow());
  }

  /** Advances the burn chain; each burn block also starts a new tenure with an empty Stacks block, as simnet does. */
  mineBurnBlocks(count: number): Promise<void> {
    return this.enqueue(async () => {
      for (let i = 0; i < count; i++) {
        this.host.advanceBurn(1);
        const now = unixNow();
        const burn = { height: this.host.burnHeight, hash: burnHash(this.host.burnHeight), time: now };
        this.burnBlocks.push(burn);
        this.emit("burn-block", burn);
        while (this.tip.height < this.host.stacksHeight)
          this.commitBlock(this.makeBlock(this.tip.height + 1, [], now), []);
      }
    });
  }

  private enqueue<T>(work: () => Promise<T> | T): Promise<T> {
    const next = this.serial.then(work, work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async mineBlockNow(): Promise<BlockRecord | null> {
    let spend = new Map<string, bigint>();
    const canPay = (tx: DecodedTx): boolean => {
      const used =
        (spend.get(tx.feePayer) ?? 0n) + tx.fee + (tx.payload.kind === "token_transfer" ? tx.payload.amount : 0n);
      if (used > this.host.stxBalance(tx.feePayer)) return false;
      spend.set(tx.feePayer, used);
      return true;
    };
    let candidates: Candidate[] = this.mempool
      .runnable((s) => this.nextNonce(s), this.maxTxsPerBlock, canPay)
      .map((tx) => ({ tx }));
    spend = new Map();
    if (candidates.length === 0) return null;

    for (;;) {
      const sinkBefore = this.host.stxBalance(MINER_ADDRESS);
      const { ops, payloadOp } = buildOps(candidates);
      let results: ParsedTransactionResult[];
      try {
        results = this.host.mineBlock(ops);
      } catch (error) {
        if (!(error instanceof SimnetBlockError)) throw error;
        const culprit = culpritOf(candidates, this.host.stxBalance(MINER_ADDRESS) - sinkBefore);
        await this.host.rebuild();
        if (culprit === null) {
          candidates = candidates.slice(0, 1); // cannot tell which one failed: try the first alone
          continue;
        }
        candidates = candidates.slice(0, culprit + 1);
        candidates[culprit]!.abort = {
          status: "abort_by_response",
          vmError: runtimeMessage(error.message),
          result: null,
        };
        continue;
      }
      const problem = this.firstProblem(candidates, results, payloadOp);
      if (!problem) return this.recordBlock(candidates, results, payloadOp);
      await this.host.rebuild(1);
      if (problem.kind === "unpaid-fee") {
        candidates = candidates.slice(0, problem.index);
        if (candidates.length === 0) return null;
      } else {
        candidates = candidates.slice(0, problem.index + 1);
        candidates[problem.index]!.abort = {
          status: "abort_by_post_condition",
          vmError: problem.message,
          result: problem.result,
        };
      }
    }
  }

  private firstProblem(
    candidates: Candidate[],
    results: ParsedTransactionResult[],
    payloadOp: (number | null)[],
  ):
    | { kind: "unpaid-fee"; index: number }
    | { kind: "post-condition"; index: number; message: string; result: string }
    | null {
    let op = 0;
    for (const [index, candidate] of candidates.entries()) {
      const feeResult = results[op++]!;
      if (cvToString(feeResult.result) !== "(ok true)") return { kind: "unpaid-fee", index };
      const at = payloadOp[index];
      if (at === null || at === undefined) continue;
      const result = results[at]!;
      op = at + 1;
      const ok = result.result.type !== "err";
      if (!ok || candidate.abort) continue;
      // A node runs post-conditions for contract calls and deploys only; an STX transfer states its own amount.
      const hasChecks =
        candidate.tx.payload.kind !== "token_transfer" &&
        (candidate.tx.postConditions.length > 0 || candidate.tx.postConditionMode !== PostConditionMode.Allow);
      if (!hasChecks) continue;
      const violation = checkPostConditions(
        candidate.tx.sender,
        candidate.tx.postConditionMode,
        candidate.tx.postConditions,
        outflowsOf(result.events as SimEvent[]),
      );
      if (violation) return { kind: "post-condition", index, message: violation, result: serializeCV(result.result) };
    }
    return null;
  }

  private recordBlock(
    candidates: Candidate[],
    results: ParsedTransactionResult[],
    payloadOp: (number | null)[],
  ): BlockRecord {
    const now = unixNow();
    const block = this.makeBlock(
      this.host.stacksHeight,
      candidates.map((c) => c.tx.txid),
      now,
    );
    const records: TxRecord[] = [];
    for (const [index, candidate] of candidates.entries()) {
      const record = this.txs.get(candidate.tx.txid)!;
      const at = payloadOp[index];
      const result = at === null || at === undefined ? null : results[at]!;
      if (candidate.abort) {
        record.status = candidate.abort.status;
        record.vmError = candidate.abort.vmError;
        const value = candidate.abort.result ? Cl.deserialize(candidate.abort.result) : Cl.error(Cl.none());
        record.resultHex = `0x${serializeCV(value)}`;
        record.resultRepr = cvToString(value);
        record.events = [];
      } else if (result) {
        record.status = result.result.type === "err" ? "abort_by_response" : "success";
        record.resultHex = `0x${serializeCV(result.result)}`;
        record.resultRepr = cvToString(result.result);
        record.events = record.status === "success" ? (result.events as SimEvent[]) : [];
      }
      record.block = block;
      record.txIndex = index;
      if (record.status === "success" && record.tx.payload.kind === "smart_contract")
        this.publishHeights.set(record.tx.payload.contractId, block.height);
      this.mempool.remove(candidate.tx.txid);
      this.nonces.set(candidate.tx.sender, candidate.tx.nonce + 1n);
      if (candidate.tx.sponsor) this.nonces.set(candidate.tx.sponsor.address, candidate.tx.sponsor.nonce + 1n);
      records.push(record);
    }
    this.commitBlock(block, records);
    return block;
  }

  private commitBlock(block: BlockRecord, records: TxRecord[]): void {
    this.blocks.push(block);
    for (const record of records) {
      record.events.forEach((event, eventIndex) => {
        if (event.event !== "print_event") return;
        const value = event.data.value ?? Cl.deserialize(String(event.data.raw_value));
        const log: ContractLog = {
          txid: record.tx.txid,
          eventIndex,
          contractId: event.data.contract_identifier,
          topic: event.data.topic ?? "print",
          hex: `0x${serializeCV(value)}`,
          repr: cvToString(value),
        };
        const list = this.logsByContract.get(log.contractId) ?? [];
        list.push(log);
        this.logsByContract.set(log.contractId, list);
      });
    }
    this.emit("block", block, records);
    for (const record of records) this.emit(`tx:${record.tx.txid}`, record);
  }

  private makeBlock(height: number, txids: string[], time: number): BlockRecord {
    const parent = this.blocks[height - 1];
    const burn = this.burnTip ?? { height: 0, hash: burnHash(0), time };
    const parentBurn = this.burnBlocks[this.burnBlocks.length - 2] ?? burn;
    const hash = sha512_256(`${height}|${parent?.hash ?? ""}|${txids.join(",")}|${time}`);
    return {
      height,
      hash: `0x${hash}`,
      indexHash: `0x${sha512_256(`${hash}|${burn.hash}`)}`,
      parentHash: parent?.hash ?? `0x${"0".repeat(64)}`,
      parentIndexHash: parent?.indexHash ?? `0x${"0".repeat(64)}`,
      burnHeight: burn.height,
      burnHash: burn.hash,
      burnTime: burn.time,
      parentBurnHash: parentBurn.hash,
      parentBurnTime: parentBurn.time,
      time,
      txids,
    };
  }
}

/** Each transaction becomes a fee transfer to the miner, then its payload (unless it is aborted to fee-only). */
function buildOps(candidates: Candidate[]): { ops: Tx[]; payloadOp: (number | null)[] } {
  const ops: Tx[] = [];
  const payloadOp: (number | null)[] = [];
  for (const { tx, abort } of candidates) {
    ops.push(simTx.transferSTX(Number(tx.fee), MINER_ADDRESS, tx.feePayer));
    if (abort) {
      payloadOp.push(null);
      continue;
    }
    payloadOp.push(ops.length);
    const p = tx.payload;
    if (p.kind === "token_transfer") ops.push(simTx.transferSTX(Number(p.amount), p.recipient, tx.sender));
    else if (p.kind === "contract_call") ops.push(simTx.callPublicFn(p.contractId, p.functionName, p.args, tx.sender));
    else
      ops.push(
        simTx.deployContract(
          p.contractName,
          p.code,
          p.clarityVersion ? { clarityVersion: p.clarityVersion as never } : null,
          tx.sender,
        ),
      );
  }
  return { ops, payloadOp };
}

/**
 * After mineBlock stopped on a runtime error: the miner received the fees of every transaction whose fee transfer
 * ran, so the fee total identifies the transaction whose payload failed (fees are always positive).
 */
function culpritOf(candidates: Candidate[], feesCollected: bigint): number | null {
  let total = 0n;
  for (const [index, candidate] of candidates.entries()) {
    total += candidate.tx.fee;
    if (total === feesCollected) return index;
    if (total > feesCollected) return null;
  }
  return null;
}

function runtimeMessage(message: string): string {
  const match = /Runtime\((\w+)/.exec(message);
  return match ? `Runtime error: ${match[1]}` : message.slice(0, 300);
}

function burnHash(height: number): string {
  return `0x${createHash("sha256").update(`lvdao devnet burn block ${height}`).digest("hex")}`;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

export { Rejection };
