// A transaction refused at the mempool door, carrying the Stacks node's reason name and reason_data so that clients
// (@stacks/transactions' broadcastTransaction, wallets) see exactly what a real node would send.
export class Rejection extends Error {
  override name = "Rejection";
  constructor(
    readonly reason: string,
    readonly reasonData: Record<string, unknown>,
    readonly txid: string,
  ) {
    super(`${reason}${typeof reasonData.message === "string" ? `: ${reasonData.message}` : ""}`);
  }

  /** The body of the node's HTTP 400 answer to POST /v2/transactions. */
  toJSON(): { error: string; reason: string; reason_data: Record<string, unknown>; txid: string } {
    return { error: "transaction rejected", reason: this.reason, reason_data: this.reasonData, txid: this.txid };
  }
}
