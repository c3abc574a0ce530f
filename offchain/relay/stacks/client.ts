// The relay's Stacks client over @stacks/transactions: signs contract calls with the relay key, keeps the account's
// nonce (resyncing from the node when a broadcast is refused for its nonce or a sent transaction is dropped),
// broadcasts, reads read-only functions, and waits for a transaction to reach the configured confirmations.
// Calls are signed ahead with consecutive nonces without waiting for earlier ones to confirm, so several land in one
// block; at most MAX_UNCONFIRMED of the client's transactions are unconfirmed at once (a Stacks node refuses more
// chained transactions from one sender). One watcher looks every sent transaction up once per new block and answers
// every wait. Network trouble and 5xx answers are RetryableFailures; the executor retries them.
import {
  broadcastTransaction,
  fetchCallReadOnlyFunction,
  getAddressFromPrivateKey,
  makeContractCall,
  type ClarityValue,
  type PostCondition,
} from "@stacks/transactions";
import type { Secret } from "../config.ts";
import { RetryableFailure } from "../failure.ts";

export interface ChainTip {
  burnHeight: number;
  stacksHeight: number;
}

export type TxOutcome =
  | { status: "success"; resultRepr: string; blockHeight: number }
  | { status: "failed"; resultRepr: string; errorCode: number | undefined; blockHeight: number }
  | { status: "dropped"; reason: string };

export interface StacksClientOptions {
  apiUrl: string;
  nodeUrl: string;
  network: "mainnet" | "testnet" | "devnet";
  senderKey: Secret;
  feeUstx: bigint;
  confirmations: number;
  txTimeoutMs: number;
  /** how often to look at a pending transaction */
  pollMs?: number;
  fetch?: typeof fetch;
}

interface ApiTx {
  status: string;
  block?: { height: number };
  result?: { repr: string };
}

const NONCE_REFUSALS = ["BadNonce", "ConflictingNonceInMempool"];
/** A Stacks node takes at most 25 chained transactions from one sender into its mempool; one is left spare. */
export const MAX_UNCONFIRMED = 24;
/** How many polls without a new block before every watched transaction is looked up anyway (to see drops). */
const POLLS_BETWEEN_SWEEPS = 4;

/** A transaction this client sent, until it is final (mined with the confirmations, or dropped). */
interface Watched {
  sentAt: number;
  /** the chain height it was last looked up at; undefined: not yet */
  checkedAt: number | undefined;
  /** the API has seen it (mempool or mined) */
  seen: boolean;
  waiters: { deadline: number; resolve: (outcome: TxOutcome) => void; reject: (error: unknown) => void }[];
}
const ERROR_CODE = /^\(err u(\d+)\)$/;

export class StacksClient {
  readonly address: string;
  private nextNonce: bigint | undefined;
  /** nonces below nextNonce the API reports missing (a dropped transaction's): used first */
  private freeNonces: bigint[] = [];
  private sending: Promise<unknown> = Promise.resolve();
  private readonly watched = new Map<string, Watched>();
  private watching: Promise<void> | undefined;
  /** resolvers of calls waiting for an unconfirmed slot */
  private slotWaiters: (() => void)[] = [];
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: StacksClientOptions) {
    this.address = getAddressFromPrivateKey(o.senderKey.reveal(), o.network === "mainnet" ? "mainnet" : "testnet");
    this.fetchFn = o.fetch ?? fetch;
  }

  private client(baseUrl: string) {
    return { network: this.o.network, client: { baseUrl, fetch: this.fetchFn } } as const;
  }

  async getJson<T>(url: string): Promise<T | undefined> {
    let response: Response;
    try {
      response = await this.fetchFn(url);
    } catch (error) {
      throw new RetryableFailure(`Stacks API ${new URL(url).origin} unreachable: ${(error as Error).message}`);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new RetryableFailure(`Stacks API answered ${response.status} for ${new URL(url).pathname}`);
    return (await response.json()) as T;
  }

  async tip(): Promise<ChainTip> {
    const info = await this.getJson<{ burn_block_height: number; stacks_tip_height: number }>(
      `${this.o.nodeUrl}/v2/info`,
    );
    if (!info) throw new RetryableFailure("the Stacks node has no /v2/info");
    return { burnHeight: info.burn_block_height, stacksHeight: info.stacks_tip_height };
  }

  async readOnly(contractId: string, functionName: string, functionArgs: ClarityValue[]): Promise<ClarityValue> {
    const [contractAddress, contractName] = contractId.split(".") as [string, string];
    try {
      return await fetchCallReadOnlyFunction({
        contractAddress,
        contractName,
        functionName,
        functionArgs,
        senderAddress: this.address,
        ...this.client(this.o.nodeUrl),
      });
    } catch (error) {
      throw new RetryableFailure(`read-only ${contractId}.${functionName} failed: ${(error as Error).message}`);
    }
  }

  /**
   * Signs and broadcasts a contract call; returns its txid. Calls are sent one at a time so nonces stay in order.
   * Post-condition mode is deny: a call that moves assets must list what it may move.
   */
  call(
    contractId: string,
    functionName: string,
    functionArgs: ClarityValue[],
    postConditions: PostCondition[] = [],
  ): Promise<string> {
    return this.callJournaled(contractId, functionName, functionArgs, async () => undefined, postConditions);
  }

  /**
   * Like call(), but hands the signed transaction (txid and raw hex) to `beforeBroadcast` first, so the caller can
   * journal it: after a crash the same transaction is broadcast again (rebroadcast) instead of a second one signed,
   * for calls the contract would count twice (report-autonomous).
   */
  callJournaled(
    contractId: string,
    functionName: string,
    functionArgs: ClarityValue[],
    beforeBroadcast: (signed: { txid: string; rawHex: string }) => Promise<void>,
    postConditions: PostCondition[] = [],
  ): Promise<string> {
    const attempt = this.sending.then(() =>
      this.send(contractId, functionName, functionArgs, postConditions, beforeBroadcast),
    );
    this.sending = attempt.catch(() => undefined);
    return attempt;
  }

  /**
   * Broadcasts a transaction signed earlier (journaled by callJournaled's caller) once more. "refused" with the
   * node's reason when it will not take it: already mined or in the mempool (see knowsTx), or its nonce was used.
   */
  async rebroadcast(rawHex: string): Promise<{ status: "accepted" } | { status: "refused"; reason: string }> {
    let response: Response;
    try {
      response = await this.fetchFn(`${this.o.nodeUrl}/v2/transactions`, {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: Buffer.from(rawHex, "hex"),
      });
    } catch (error) {
      throw new RetryableFailure(`Stacks node ${this.o.nodeUrl} unreachable: ${(error as Error).message}`);
    }
    if (response.status >= 500) throw new RetryableFailure(`Stacks node answered ${response.status} to a broadcast`);
    const body = (await response.json().catch(() => null)) as unknown;
    if (response.ok && typeof body === "string") return { status: "accepted" };
    const reason =
      body && typeof body === "object" && "reason" in body
        ? String((body as { reason: unknown }).reason)
        : `HTTP ${response.status}`;
    return { status: "refused", reason };
  }

  /** Whether the API knows the transaction (in the mempool or mined). */
  async knowsTx(txid: string): Promise<boolean> {
    return (await this.getJson<ApiTx>(`${this.o.apiUrl}/extended/v3/transactions/0x${txid}`)) !== undefined;
  }

  /** Reads the account's next nonce, and the nonces the API sees missing below it (gaps a dropped tx left). */
  private async syncNonce(): Promise<bigint> {
    const nonces = await this.getJson<{ possible_next_nonce: number; detected_missing_nonces?: number[] }>(
      `${this.o.apiUrl}/extended/v1/address/${this.address}/nonces`,
    );
    if (nonces) {
      this.freeNonces = (nonces.detected_missing_nonces ?? []).map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return BigInt(nonces.possible_next_nonce);
    }
    this.freeNonces = [];
    const account = await this.getJson<{ nonce: number }>(`${this.o.nodeUrl}/v2/accounts/${this.address}?proof=0`);
    if (!account) throw new RetryableFailure(`cannot read the nonce of ${this.address}`);
    return BigInt(account.nonce);
  }

  /** Forgets the local nonce: the next call reads it (and any gap) from the API again. */
  private resyncNonce(): void {
    this.nextNonce = undefined;
    this.freeNonces = [];
  }

  /** How many of this client's transactions are sent and not yet final. */
  get unconfirmed(): number {
    return this.watched.size;
  }

  /** Resolves when fewer than MAX_UNCONFIRMED of this client's transactions are unconfirmed. */
  private async unconfirmedSlot(): Promise<void> {
    while (this.watched.size >= MAX_UNCONFIRMED) {
      await new Promise<void>((resume) => this.slotWaiters.push(resume));
    }
  }

  private async send(
    contractId: string,
    functionName: string,
    functionArgs: ClarityValue[],
    postConditions: PostCondition[],
    beforeBroadcast: (signed: { txid: string; rawHex: string }) => Promise<void>,
  ): Promise<string> {
    const [contractAddress, contractName] = contractId.split(".") as [string, string];
    await this.unconfirmedSlot();
    for (let attempt = 0; ; attempt++) {
      this.nextNonce ??= await this.syncNonce();
      const gap = this.freeNonces[0];
      const nonce = gap ?? this.nextNonce;
      const transaction = await makeContractCall({
        contractAddress,
        contractName,
        functionName,
        functionArgs,
        senderKey: this.o.senderKey.reveal(),
        nonce,
        fee: this.o.feeUstx,
        postConditionMode: "deny",
        postConditions,
        ...this.client(this.o.nodeUrl),
      });
      await beforeBroadcast({ txid: transaction.txid(), rawHex: transaction.serialize() });
      let result: Awaited<ReturnType<typeof broadcastTransaction>>;
      try {
        result = await broadcastTransaction({ transaction, ...this.client(this.o.nodeUrl) });
      } catch (error) {
        // The node may or may not have the transaction; resync the nonce before the next call.
        this.resyncNonce();
        throw new RetryableFailure(`broadcast of ${functionName} failed: ${(error as Error).message}`);
      }
      if ("reason" in result && result.reason) {
        this.resyncNonce();
        if (NONCE_REFUSALS.includes(result.reason) && attempt < 3) continue;
        throw new RetryableFailure(`the node refused ${functionName}: ${result.reason}`);
      }
      if (!("txid" in result) || typeof result.txid !== "string") {
        // A 5xx answer without a refusal reason: the node may not have the transaction; resync the nonce.
        this.resyncNonce();
        throw new RetryableFailure(
          `broadcast of ${functionName} failed: the node answered ${JSON.stringify(result).slice(0, 120)}`,
        );
      }
      if (gap !== undefined) this.freeNonces.shift();
      else this.nextNonce += 1n;
      const txid = result.txid.replace(/^0x/, "");
      this.watch(txid);
      return txid;
    }
  }

  /** Resolves once the transaction is mined with the configured confirmations, or known dropped. */
  waitForTx(txid: string): Promise<TxOutcome> {
    const watched = this.watch(txid);
    return new Promise<TxOutcome>((resolve, reject) => {
      watched.waiters.push({ deadline: Date.now() + this.o.txTimeoutMs, resolve, reject });
    });
  }

  private watch(txid: string): Watched {
    let watched = this.watched.get(txid);
    if (!watched) {
      watched = { sentAt: Date.now(), checkedAt: undefined, seen: false, waiters: [] };
      this.watched.set(txid, watched);
    }
    this.startWatching();
    return watched;
  }

  private startWatching(): void {
    this.watching ??= this.watchLoop().finally(() => {
      this.watching = undefined;
      if (this.watched.size > 0) this.startWatching();
    });
  }

  /**
   * The one confirmation watcher: while any sent transaction is unfinished, reads the tip every poll and, when a new
   * block arrived (or every few polls, to see drops), looks up each watched transaction once and answers its waits.
   */
  private async watchLoop(): Promise<void> {
    const pollMs = this.o.pollMs ?? 500;
    let lastHeight = -1;
    let pollsSinceSweep = 0;
    while (this.watched.size > 0) {
      const tip = await this.tip().catch(() => undefined);
      const newBlock = tip !== undefined && tip.stacksHeight !== lastHeight;
      if (tip) lastHeight = tip.stacksHeight;
      const sweep = newBlock || ++pollsSinceSweep >= POLLS_BETWEEN_SWEEPS;
      if (sweep) pollsSinceSweep = 0;
      await Promise.all(
        [...this.watched].map(([txid, watched]) =>
          sweep || watched.checkedAt === undefined ? this.check(txid, watched, tip) : this.expire(txid, watched),
        ),
      );
      if (this.watched.size < MAX_UNCONFIRMED) {
        const waiting = this.slotWaiters;
        this.slotWaiters = [];
        for (const resume of waiting) resume();
      }
      if (this.watched.size > 0) await new Promise((resume) => setTimeout(resume, pollMs));
    }
  }

  /** Looks one watched transaction up and settles it when final. */
  private async check(txid: string, watched: Watched, tip: ChainTip | undefined): Promise<void> {
    let tx: ApiTx | undefined;
    try {
      tx = await this.getJson<ApiTx>(`${this.o.apiUrl}/extended/v3/transactions/0x${txid}`);
    } catch (error) {
      this.failExpired(watched, error);
      return;
    }
    watched.checkedAt = tip?.stacksHeight ?? -1;
    if (tx) watched.seen = true;
    const outcome = this.outcomeOf(tx, tip);
    if (outcome) return this.settle(txid, watched, outcome);
    await this.expire(txid, watched);
  }

  /** Ends the waits past their deadline: dropped if the API never saw the transaction, else a retryable failure. */
  private async expire(txid: string, watched: Watched): Promise<void> {
    const now = Date.now();
    if (!watched.seen && now >= watched.sentAt + this.o.txTimeoutMs) {
      return this.settle(txid, watched, { status: "dropped", reason: `not seen within ${this.o.txTimeoutMs} ms` });
    }
    if (watched.waiters.length === 0 && now >= watched.sentAt + 2 * this.o.txTimeoutMs) {
      // Stuck in the mempool with nobody waiting: stop holding a slot for it (the node still counts it).
      this.watched.delete(txid);
      return;
    }
    this.failExpired(
      watched,
      new RetryableFailure(`transaction ${txid} not confirmed within ${this.o.txTimeoutMs} ms`),
      now,
    );
  }

  private failExpired(watched: Watched, error: unknown, now = Date.now()): void {
    const expired = watched.waiters.filter((w) => now >= w.deadline);
    watched.waiters = watched.waiters.filter((w) => now < w.deadline);
    for (const waiter of expired) waiter.reject(error);
  }

  private settle(txid: string, watched: Watched, outcome: TxOutcome): void {
    this.watched.delete(txid);
    // A dropped transaction leaves its nonce free: read the nonces again before the next call.
    if (outcome.status === "dropped") this.resyncNonce();
    for (const waiter of watched.waiters) waiter.resolve(outcome);
  }

  /** A looked-up transaction's outcome once final; undefined while pending or short of the confirmations. */
  private outcomeOf(tx: ApiTx | undefined, tip: ChainTip | undefined): TxOutcome | undefined {
    if (tx?.status.startsWith("dropped")) return { status: "dropped", reason: tx.status };
    if (!tx || tx.status === "pending" || !tx.block || !tip) return undefined;
    if (tip.stacksHeight - tx.block.height + 1 < this.o.confirmations) return undefined;
    const resultRepr = tx.result?.repr ?? "";
    if (tx.status === "success" && resultRepr.startsWith("(ok"))
      return { status: "success", resultRepr, blockHeight: tx.block.height };
    const code = ERROR_CODE.exec(resultRepr);
    return {
      status: "failed",
      resultRepr: resultRepr || tx.status,
      errorCode: code ? Number(code[1]) : undefined,
      blockHeight: tx.block.height,
    };
  }
}
