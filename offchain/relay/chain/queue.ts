// The execution-queue contract as the executor's QueuePort, over the Stacks client: claim, report-success,
// report-failure and get-action, with the Clarity values built and read here.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { failureDetail, RetryableFailure } from "../failure.ts";
import type { OnChainAction, QueuePort } from "../ports.ts";
import type { StacksClient } from "./stacks-client.ts";

type Tuple = Record<string, { type: string; value: unknown }>;

export function toOnChainAction(id: bigint, value: ClarityValue): OnChainAction | undefined {
  if (value.type === "none") return undefined;
  if (value.type !== "some" || value.value.type !== "tuple") throw new RetryableFailure(`unexpected get-action answer ${value.type}`);
  const t = value.value.value as unknown as Tuple;
  const uint = (name: string): number => Number(t[name]!.value as string);
  const relay = t.relay!;
  return {
    id,
    kind: String(t.kind!.value),
    payload: new Uint8Array(Buffer.from(String(t.payload!.value), "hex")),
    eta: uint("eta"),
    expires: uint("expires"),
    status: String(t.status!.value) as OnChainAction["status"],
    relay: relay.type === "some" ? String((relay.value as { value: string }).value) : undefined,
    claimExpires: uint("claim-expires"),
    attempts: uint("attempts"),
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
    return this.stacks.call(this.contractId, "report-failure", [Cl.uint(id), Cl.uint(code), Cl.bool(retryable), Cl.stringAscii(failureDetail(detail))]);
  }

  waitForTx(txid: string) {
    return this.stacks.waitForTx(txid);
  }
}
