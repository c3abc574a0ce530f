// The Stacks client's nonce chain against a node it can watch (the client's collaborator, over its fetch): calls are
// signed ahead with consecutive nonces and land in one block, one watcher answers every wait, a refused nonce is
// resynced, a dropped transaction's nonce is filled first without re-signing the later ones, and no more than
// MAX_UNCONFIRMED transactions wait at once. The node emulation runs the same client in devnet.test.ts.
import { Cl, deserializeTransaction, makeRandomPrivKey } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { Secret } from "../config.ts";
import { MAX_UNCONFIRMED, StacksClient } from "../stacks/client.ts";

const CONTRACT = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.execution-queue";
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One sender's view of a Stacks node and its API: mempool by nonce, blocks, drops, lookups counted. */
class WatchedNode {
  confirmedNonce = 0n;
  height = 1;
  readonly mempool = new Map<bigint, string>();
  readonly mined = new Map<string, { height: number; nonce: bigint }>();
  readonly dropped = new Set<string>();
  readonly nonceOf = new Map<string, bigint>();
  lookups = 0;

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    if (url.pathname === "/v2/transactions" && init?.method === "POST") {
      // @stacks/transactions posts {"tx": hex}; a rebroadcast posts the raw bytes
      const hex =
        typeof init.body === "string"
          ? (JSON.parse(init.body) as { tx: string }).tx
          : Buffer.from(init.body as Uint8Array).toString("hex");
      const tx = deserializeTransaction(hex);
      const nonce = tx.auth.spendingCondition.nonce;
      if (nonce < this.confirmedNonce) return json({ error: "transaction rejected", reason: "BadNonce" }, 400);
      if (this.mempool.has(nonce))
        return json({ error: "transaction rejected", reason: "ConflictingNonceInMempool" }, 400);
      if (this.mempool.size >= 25) return json({ error: "transaction rejected", reason: "TooMuchChaining" }, 400);
      this.mempool.set(nonce, tx.txid());
      this.nonceOf.set(tx.txid(), nonce);
      return json(tx.txid());
    }
    if (url.pathname.endsWith("/nonces")) {
      const pending = [...this.mempool.keys()];
      const next = pending.reduce((max, n) => (n + 1n > max ? n + 1n : max), this.confirmedNonce);
      const missing: number[] = [];
      for (let n = this.confirmedNonce; n < next; n++) if (!this.mempool.has(n)) missing.push(Number(n));
      return json({ possible_next_nonce: Number(next), detected_missing_nonces: missing });
    }
    if (url.pathname === "/v2/info") return json({ burn_block_height: this.height, stacks_tip_height: this.height });
    const txid = /\/transactions\/0x([0-9a-f]+)$/.exec(url.pathname)?.[1];
    if (txid) {
      this.lookups++;
      const mined = this.mined.get(txid);
      if (mined) return json({ status: "success", block: { height: mined.height }, result: { repr: "(ok true)" } });
      if (this.dropped.has(txid)) return json({ status: "dropped_stale_garbage_collect" });
      if ([...this.mempool.values()].includes(txid)) return json({ status: "pending" });
      return json({ error: "not found" }, 404);
    }
    return json({ error: `no route ${url.pathname}` }, 404);
  }) as typeof fetch;

  /** Mines the runnable run of the mempool (consecutive nonces from the confirmed one) into one block. */
  mine(): string[] {
    this.height++;
    const block: string[] = [];
    for (let txid = this.mempool.get(this.confirmedNonce); txid; txid = this.mempool.get(this.confirmedNonce)) {
      this.mined.set(txid, { height: this.height, nonce: this.confirmedNonce });
      this.mempool.delete(this.confirmedNonce);
      block.push(txid);
      this.confirmedNonce++;
    }
    return block;
  }

  drop(txid: string): void {
    const nonce = this.nonceOf.get(txid)!;
    this.mempool.delete(nonce);
    this.dropped.add(txid);
  }
}

function client(node: WatchedNode): StacksClient {
  return new StacksClient({
    apiUrl: "http://node.test",
    nodeUrl: "http://node.test",
    network: "devnet",
    senderKey: new Secret(makeRandomPrivKey()),
    feeUstx: 1_000n,
    confirmations: 1,
    txTimeoutMs: 5_000,
    pollMs: 10,
    fetch: node.fetch,
  });
}

const claim = (stacks: StacksClient, id: number) => stacks.call(CONTRACT, "claim", [Cl.uint(id)]);

describe("the Stacks client's nonce chain", () => {
  it("signs calls ahead with consecutive nonces; they land in one block, one watcher answers every wait", async () => {
    const node = new WatchedNode();
    const stacks = client(node);
    const txids = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(stacks, i)));
    expect(txids.map((t) => node.nonceOf.get(t))).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
    const waits = Promise.all(txids.map((t) => stacks.waitForTx(t)));
    await sleep(200); // twenty polls of nothing new: a wait polling on its own would look each tx up twenty times
    expect(node.mine()).toEqual(txids);
    const outcomes = await waits;
    expect(outcomes.every((o) => o.status === "success" && o.blockHeight === node.height)).toBe(true);
    // once when first watched, once per new block, once per sweep for drops (every fourth quiet poll)
    expect(node.lookups).toBeLessThanOrEqual(10 * 8);
    expect(stacks.unconfirmed).toBe(0);
  });

  it("resyncs a refused nonce and signs the call again at the node's next nonce", async () => {
    const node = new WatchedNode();
    const stacks = client(node);
    const first = await claim(stacks, 1);
    node.mempool.set(1n, "f".repeat(64)); // another signer of the same key took nonce 1
    const second = await claim(stacks, 2);
    expect([node.nonceOf.get(first), node.nonceOf.get(second)]).toEqual([0n, 2n]);
    expect(node.mempool.size).toBe(3);
  });

  it("fills a dropped transaction's nonce first and leaves the later chained ones as signed", async () => {
    const node = new WatchedNode();
    const stacks = client(node);
    const [a, b, c] = await Promise.all([claim(stacks, 1), claim(stacks, 2), claim(stacks, 3)]);
    node.drop(a!);
    expect(await stacks.waitForTx(a!)).toMatchObject({ status: "dropped" });
    const d = await claim(stacks, 4);
    const e = await claim(stacks, 5);
    expect([d, e].map((t) => node.nonceOf.get(t))).toEqual([0n, 3n]);
    expect(node.mine()).toEqual([d, b, c, e]);
    const outcomes = await Promise.all([b!, c!, d, e].map((t) => stacks.waitForTx(t)));
    expect(outcomes.map((o) => o.status)).toEqual(["success", "success", "success", "success"]);
  });

  it(`keeps at most ${MAX_UNCONFIRMED} transactions unconfirmed; the next call waits for a block`, async () => {
    const node = new WatchedNode();
    const stacks = client(node);
    const sent: string[] = [];
    const calls = Array.from({ length: MAX_UNCONFIRMED + 2 }, (_, i) => claim(stacks, i).then((t) => sent.push(t)));
    await sleep(200);
    expect(sent).toHaveLength(MAX_UNCONFIRMED);
    expect(node.mempool.size).toBe(MAX_UNCONFIRMED);
    node.mine();
    await Promise.all(calls);
    expect(sent).toHaveLength(MAX_UNCONFIRMED + 2);
    expect(node.nonceOf.get(sent.at(-1)!)).toBe(BigInt(MAX_UNCONFIRMED + 1));
    node.mine();
    await Promise.all(sent.slice(-2).map((t) => stacks.waitForTx(t)));
    expect(stacks.unconfirmed).toBe(0);
  });
});
