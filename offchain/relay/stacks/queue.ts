// The execution-queue contract as the executor's QueuePort, over the Stacks client: claim, report-success,
// report-failure and get-action, with the Clarity values built and read here.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { Fields, optionalOf, principalOf } from "../../clarity/clarity-values.ts";
import { failureDetail } from "../failure.ts";
import type { ChainTip, StacksClient, TxOutcome } from "./client.ts";

/** execution-queue's get-action, as read from the chain. */
export interface OnChainAction {
  id: bigint;
  kind: string;
  payload: Uint8Array;
  eta: number;
  expires: number;
  status: "queued" | "claimed" | "executed" | "failed" | "expired" | "vetoed";
  relay: string | undefined;
  claimExpires: number;
  attempts: number;
}

/** The execution-queue contract, as the executor drives it. Calls return a txid once broadcast. */
export interface QueuePort {
  readonly relayAddress: string;
  tip(): Promise<ChainTip>;
  getAction(id: bigint): Promise<OnChainAction | undefined>;
  claim(id: bigint): Promise<string>;
  reportSuccess(id: bigint, evidence: Uint8Array): Promise<string>;
  reportFailure(id: bigint, code: number, retryable: boolean, detail: string): Promise<string>;
  /** Resolves once the transaction has the configured confirmations, or is known to be dropped. */
  waitForTx(txid: string): Promise<TxOutcome>;
}

const STATUSES: readonly OnChainAction["status"][] = ["queued", "claimed", "executed", "failed", "expired", "vetoed"];

/** get-action's answer, every field's type checked (a mistyped answer throws a CvError naming the field). */
export function toOnChainAction(id: bigint, value: ClarityValue): OnChainAction | undefined {
  const found = optionalOf(value, "get-action");
  if (found === null) return undefined;
  const action = new Fields(found, "get-action");
  const status = action.string("status");
  if (!(STATUSES as readonly string[]).includes(status))
    throw new Error(`get-action.status is ${JSON.stringify(status)}, not a status the relay knows`);
  const relay = action.optional("relay");
  return {
    id,
    kind: action.string("kind"),
    payload: new Uint8Array(Buffer.from(action.hex("payload"), "hex")),
    eta: Number(action.uint("eta")),
    expires: Number(action.uint("expires")),
    status: status as OnChainAction["status"],
    relay: relay === null ? undefined : principalOf(relay, "get-action.relay"),
    claimExpires: Number(action.uint("claim-expires")),
    attempts: Number(action.uint("attempts")),
  };
}

export class QueueContract implements QueuePort {
  readonly relayAddress: string;
  private readonly contractId: string;

  constructor(
    private readonly stacks: StacksClient,
    deployer: string,
  ) {
    this.relayAddress = stacks.address;
    this.contractId = `${deployer}.execution-queue`;
  }

  tip() {
    return this.stacks.tip();
  }

  async getAction(id: bigint): Promise<OnChainAction | undefined> {
    return toOnChainAction(id, await this.stacks.readOnly(this.contractId, "get-action", [Cl.uint(id)]));
  }

  claim(id: bigint): Promise<string> {
    return this.stacks.call(this.contractId, "claim", [Cl.uint(id)]);
  }

  reportSuccess(id: bigint, evidence: Uint8Array): Promise<string> {
    return this.stacks.call(this.contractId, "report-success", [Cl.uint(id), Cl.buffer(evidence)]);
  }

  reportFailure(id: bigint, code: number, retryable: boolean, detail: string): Promise<string> {
    return this.stacks.call(this.contractId, "report-failure", [
      Cl.uint(id),
      Cl.uint(code),
      Cl.bool(retryable),
      Cl.stringAscii(failureDetail(detail)),
    ]);
  }

  waitForTx(txid: string) {
    return this.stacks.waitForTx(txid);
  }
}
