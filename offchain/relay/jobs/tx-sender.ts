// A job's transaction step: the signed transaction is journaled in the job before it is broadcast, so after a crash
// the same transaction is broadcast again, never a second one signed for a call the contract would count twice.
import type { ClarityValue } from "@stacks/transactions";
import type { StacksClient } from "../stacks/client.ts";
import type { TxOutcome } from "../stacks/client.ts";
import type { Job, JobStore, Stored } from "./store.ts";

/**
 * The transaction step of a job: signs the call, journals it in the job (state unchanged), broadcasts it, and waits
 * until it is final. A job that already holds a transaction (a restart) broadcasts that one again first; if the node
 * refuses it and the API never saw it, it was never mined and the call is signed afresh.
 */
export class TxSender {
  /** txids this process broadcast itself: no need to broadcast them again */
  private readonly sent = new Set<string>();

  constructor(private readonly stacks: Pick<StacksClient, "callJournaled" | "rebroadcast" | "knowsTx" | "waitForTx">) {}

  async run<T extends Job>(
    store: JobStore<T>,
    current: Stored<T>,
    call: { contractId: string; functionName: string; args: ClarityValue[] },
  ): Promise<{ current: Stored<T>; outcome: TxOutcome }> {
    let stored = current;
    if (stored.job.tx && !this.sent.has(stored.job.tx.txid)) {
      const again = await this.stacks.rebroadcast(stored.job.tx.rawHex);
      if (again.status === "refused" && !(await this.stacks.knowsTx(stored.job.tx.txid))) {
        stored = await store.move(stored, { ...stored.job, tx: undefined });
      } else {
        this.sent.add(stored.job.tx.txid);
      }
    }
    if (!stored.job.tx) {
      const txid = await this.stacks.callJournaled(call.contractId, call.functionName, call.args, async (signed) => {
        stored = await store.move(stored, { ...stored.job, tx: signed });
      });
      this.sent.add(txid);
    }
    const outcome = await this.stacks.waitForTx(stored.job.tx!.txid);
    if (outcome.status === "dropped") stored = await store.move(stored, { ...stored.job, tx: undefined });
    return { current: stored, outcome };
  }
}
