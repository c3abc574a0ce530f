// Pending transactions, keyed by sender and nonce. A transaction whose nonce is ahead of the sender's next nonce
// waits here (as in a node's mempool) until the gap is filled; block assembly takes only the runnable prefix of each
// sender's queue, in arrival order across senders.
import type { DecodedTx } from "./tx-decode.ts";

export interface PendingTx {
  tx: DecodedTx;
  arrival: number;
}

export class Mempool {
  private bySender = new Map<string, Map<bigint, PendingTx>>();
  private byTxid = new Map<string, PendingTx>();
  private arrivals = 0;

  get size(): number {
    return this.byTxid.size;
  }

  has(txid: string): boolean {
    return this.byTxid.has(txid);
  }

  get(txid: string): PendingTx | undefined {
    return this.byTxid.get(txid);
  }

  pendingNonces(sender: string): bigint[] {
    return [...(this.bySender.get(sender)?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  hasNonce(sender: string, nonce: bigint): boolean {
    return this.bySender.get(sender)?.has(nonce) ?? false;
  }

  /** Sum of what the sender's pending transactions may spend: fees paid by them plus STX they transfer. */
  pendingSpend(payer: string): bigint {
    let total = 0n;
    for (const { tx } of this.byTxid.values()) {
      if (tx.feePayer === payer) total += tx.fee;
      if (tx.sender === payer && tx.payload.kind === "token_transfer") total += tx.payload.amount;
    }
    return total;
  }

  pendingContract(contractId: string): boolean {
    for (const { tx } of this.byTxid.values()) {
      if (tx.payload.kind === "smart_contract" && tx.payload.contractId === contractId) return true;
    }
    return false;
  }

  add(tx: DecodedTx): void {
    const entry = { tx, arrival: this.arrivals++ };
    const queue = this.bySender.get(tx.sender) ?? new Map<bigint, PendingTx>();
    queue.set(tx.nonce, entry);
    this.bySender.set(tx.sender, queue);
    this.byTxid.set(tx.txid, entry);
  }

  remove(txid: string): void {
    const entry = this.byTxid.get(txid);
    if (!entry) return;
    this.byTxid.delete(txid);
    const queue = this.bySender.get(entry.tx.sender);
    queue?.delete(entry.tx.nonce);
    if (queue?.size === 0) this.bySender.delete(entry.tx.sender);
  }

  /**
   * Runnable transactions in block order: for each sender, the consecutive run starting at its next nonce; senders
   * interleaved by arrival. `canPay` lets block assembly skip a sender whose balance cannot cover the next fee.
   */
  runnable(nextNonce: (sender: string) => bigint, limit: number, canPay: (tx: DecodedTx) => boolean): DecodedTx[] {
    const runs: PendingTx[] = [];
    for (const [sender, queue] of this.bySender) {
      let nonce = nextNonce(sender);
      for (let entry = queue.get(nonce); entry; entry = queue.get(++nonce)) {
        if (!canPay(entry.tx)) break;
        runs.push(entry);
      }
    }
    // Arrival order across senders, nonce order within a sender (arrival may differ from nonce order for gaps).
    const bySenderOrder = new Map<string, PendingTx[]>();
    for (const entry of runs)
      bySenderOrder.set(entry.tx.sender, [...(bySenderOrder.get(entry.tx.sender) ?? []), entry]);
    const heads = [...bySenderOrder.values()];
    const picked: DecodedTx[] = [];
    const cursor = heads.map(() => 0);
    while (picked.length < limit) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const entry = heads[i]![cursor[i]!];
        if (entry && (best < 0 || entry.arrival < heads[best]![cursor[best]!]!.arrival)) best = i;
      }
      if (best < 0) break;
      picked.push(heads[best]![cursor[best]!]!.tx);
      cursor[best]!++;
    }
    return picked;
  }
}
