// The relay's Stacks client over @stacks/transactions: signs contract calls with the relay key, keeps the account's
// nonce (resyncing from the node when a broadcast is refused for its nonce), broadcasts, reads read-only functions,
// and waits for a transaction to reach the configured confirmations. Network trouble and 5xx answers are
// RetryableFailures; the executor retries them.
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
const ERROR_CODE = /^\(err u(\d+)\)$/;

export class StacksClient {
  readonly address: string;
  private nextNonce: bigint | undefined;
  private sending: Promise<unknown> = Promise.resolve();
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

  private async syncNonce(): Promise<bigint> {
    const nonces = await this.getJson<{ possible_next_nonce: number }>(
      `${this.o.apiUrl}/extended/v1/address/${this.address}/nonces`,
    );
    if (nonces) return BigInt(nonces.possible_next_nonce);
    const account = await this.getJson<{ nonce: number }>(`${this.o.nodeUrl}/v2/accounts/${this.address}?proof=0`);
    if (!account) throw new RetryableFailure(`cannot read the nonce of ${this.address}`);
    return BigInt(account.nonce);
  }

  private async send(
    contractId: string,
    functionName: string,
    functionArgs: ClarityValue[],
    postConditions: PostCondition[],
    beforeBroadcast: (signed: { txid: string; rawHex: string }) => Promise<void>,
  ): Promise<string> {
    const [contractAddress, contractName] = contractId.split(".") as [string, string];
    for (let attempt = 0; ; attempt++) {
      this.nextNonce ??= await this.syncNonce();
      const transaction = await makeContractCall({
        contractAddress,
        contractName,
        functionName,
        functionArgs,
        senderKey: this.o.senderKey.reveal(),
        nonce: this.nextNonce,
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
        this.nextNonce = undefined;
        throw new RetryableFailure(`broadcast of ${functionName} failed: ${(error as Error).message}`);
      }
      if ("reason" in result && result.reason) {
        this.nextNonce = undefined;
        if (NONCE_REFUSALS.includes(result.reason) && attempt < 3) continue;
        throw new RetryableFailure(`the node refused ${functionName}: ${result.reason}`);
      }
      if (!("txid" in result) || typeof result.txid !== "string") {
        // A 5xx answer without a refusal reason: the node may not have the transaction; resync the nonce.
        this.nextNonce = undefined;
        throw new RetryableFailure(
          `broadcast of ${functionName} failed: the node answered ${JSON.stringify(result).slice(0, 120)}`,
        );
      }
      this.nextNonce += 1n;
      return result.txid.replace(/^0x/, "");
    }
  }

  /** Resolves once the transaction is mined with the configured confirmations, or known dropped. */
  async waitForTx(txid: string): Promise<TxOutcome> {
    const deadline = Date.now() + this.o.txTimeoutMs;
    const pollMs = this.o.pollMs ?? 500;
    for (;;) {
      const tx = await this.getJson<ApiTx>(`${this.o.apiUrl}/extended/v3/transactions/0x${txid}`).catch(
        (error: unknown): ApiTx => {
          if (error instanceof RetryableFailure && Date.now() < deadline) return { status: "pending" };
          throw error;
        },
      );
      if (tx?.status.startsWith("dropped")) return { status: "dropped", reason: tx.status };
      if (tx && tx.status !== "pending" && tx.block) {
        const tip = await this.tip().catch(() => undefined);
        if (tip && tip.stacksHeight - tx.block.height + 1 >= this.o.confirmations) {
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
      if (Date.now() >= deadline) {
        if (!tx) return { status: "dropped", reason: `not seen within ${this.o.txTimeoutMs} ms` };
        throw new RetryableFailure(`transaction ${txid} not confirmed within ${this.o.txTimeoutMs} ms`);
      }
      await new Promise((resume) => setTimeout(resume, pollMs));
    }
  }
}
