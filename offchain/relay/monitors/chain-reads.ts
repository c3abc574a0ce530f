// The read-only contract calls the background loops make, with the Clarity answers turned into plain values. The
// chain, not the journal, is the authority on what is in force: the active rebalance-policy and its period's spend,
// the LV allocation, the last liquidity report, a pledge, a recorded revenue epoch.
import { Cl, type ClarityValue } from "@stacks/transactions";
import type { StacksClient } from "../chain/stacks-client.ts";
import { RetryableFailure } from "../failure.ts";

type Tuple = Record<string, ClarityValue>;

function tupleOf(value: ClarityValue, what: string): Tuple {
  const inner = value.type === "some" || value.type === "ok" ? value.value : value;
  if (inner.type !== "tuple") throw new RetryableFailure(`unexpected answer for ${what}: ${inner.type}`);
  return inner.value as Tuple;
}

function uint(tuple: Tuple, field: string): bigint {
  const value = tuple[field];
  if (!value || value.type !== "uint") throw new RetryableFailure(`field ${field} is not a uint`);
  return BigInt(value.value);
}

export interface ActivePolicyOnChain {
  id: bigint;
  activatedAt: bigint;
  budgetSats: bigint;
  budgetPeriod: bigint;
}

export interface Allocation {
  infrastructureBps: bigint;
  channelBps: bigint;
  reserveBps: bigint;
}

export interface PledgeOnChain {
  pledger: string;
  amount: bigint;
  tapAddr: string | null;
  confirmed: boolean;
}

/** What the monitors read from the chain (ChainReads over the node; a fake ledger in unit tests). */
export interface ChainView {
  activePolicy(): Promise<ActivePolicyOnChain | undefined>;
  autonomousSpent(policyId: bigint, period: bigint): Promise<bigint>;
  allocation(): Promise<Allocation>;
  lastLiquidityReport(): Promise<bigint>;
  pledge(id: bigint): Promise<PledgeOnChain | undefined>;
  revenueEpochRecorded(epoch: bigint): Promise<boolean>;
}

export class ChainReads implements ChainView {
  constructor(
    private readonly stacks: Pick<StacksClient, "readOnly">,
    private readonly deployer: string,
  ) {}

  private read(contract: string, fn: string, args: ClarityValue[] = []): Promise<ClarityValue> {
    return this.stacks.readOnly(`${this.deployer}.${contract}`, fn, args);
  }

  async activePolicy(): Promise<ActivePolicyOnChain | undefined> {
    const value = await this.read("execution-queue", "get-active-policy");
    if (value.type === "none") return undefined;
    const t = tupleOf(value, "get-active-policy");
    return { id: uint(t, "id"), activatedAt: uint(t, "activated-at"), budgetSats: uint(t, "budget-sats"), budgetPeriod: uint(t, "budget-period") };
  }

  async autonomousSpent(policyId: bigint, period: bigint): Promise<bigint> {
    const value = await this.read("execution-queue", "get-autonomous-spent", [Cl.uint(policyId), Cl.uint(period)]);
    if (value.type !== "uint") throw new RetryableFailure(`unexpected answer for get-autonomous-spent: ${value.type}`);
    return BigInt(value.value);
  }

  async allocation(): Promise<Allocation> {
    const t = tupleOf(await this.read("lv-ledger", "get-allocation"), "get-allocation");
    return { infrastructureBps: uint(t, "infrastructure-bps"), channelBps: uint(t, "channel-bps"), reserveBps: uint(t, "reserve-bps") };
  }

  /** The burn height of the newest liquidity report, 0 before the first. */
  async lastLiquidityReport(): Promise<bigint> {
    return uint(tupleOf(await this.read("liquidity-oracle", "get-last-report"), "get-last-report"), "burn-height");
  }

  async pledge(id: bigint): Promise<PledgeOnChain | undefined> {
    const value = await this.read("lv-ledger", "get-pledge", [Cl.uint(id)]);
    if (value.type === "none") return undefined;
    const t = tupleOf(value, "get-pledge");
    const pledger = t.pledger;
    const addr = t["tap-addr"];
    return {
      pledger: pledger && (pledger.type === "address" || pledger.type === "contract") ? String(pledger.value) : "",
      amount: uint(t, "amount"),
      tapAddr: addr?.type === "some" && addr.value.type === "ascii" ? String(addr.value.value) : null,
      confirmed: t.confirmed?.type === "some",
    };
  }

  async revenueEpochRecorded(epoch: bigint): Promise<boolean> {
    return (await this.read("lv-ledger", "get-revenue-epoch", [Cl.uint(epoch)])).type === "some";
  }
}
