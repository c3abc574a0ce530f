// The read-only contract calls the monitors make, with the Clarity answers turned into plain values. The
// chain, not the journal, is the authority on what is in force: the active rebalance-policy and its period's spend,
// the LV allocation, the last liquidity report, a pledge, a recorded revenue epoch.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { Fields, optionalOf, stringOf, uintOf } from "../../clarity/clarity-values.ts";
import { type ChainPricing, liquidityViewOf, lvPricingOf } from "../../market/pricing-chain.ts";
import type { LiquidityView } from "../../market/pricing.ts";
import type { StacksClient } from "./client.ts";

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

/** A period's trade summary as `lv-ledger.record-trade-summary` stored it. */
export interface OnChainTradeSummary {
  trades: bigint;
  lvVolume: bigint;
  satsVolume: bigint;
  avgPremiumBps: bigint;
  tradesHash: string;
}

export interface PledgeOnChain {
  pledger: string;
  amount: bigint;
  tapAddr: string | null;
  confirmed: boolean;
}

/** What the monitors read from the chain (ContractReads over the node; a fake ledger in unit tests). */
export interface ContractView {
  activePolicy(): Promise<ActivePolicyOnChain | undefined>;
  autonomousSpent(policyId: bigint, period: bigint): Promise<bigint>;
  allocation(): Promise<Allocation>;
  lastLiquidityReport(): Promise<bigint>;
  pledge(id: bigint): Promise<PledgeOnChain | undefined>;
  revenueEpochRecorded(epoch: bigint): Promise<boolean>;
}

export class ContractReads implements ContractView {
  constructor(
    private readonly stacks: Pick<StacksClient, "readOnly">,
    private readonly deployer: string,
  ) {}

  private read(contract: string, fn: string, args: ClarityValue[] = []): Promise<ClarityValue> {
    return this.stacks.readOnly(`${this.deployer}.${contract}`, fn, args);
  }

  async activePolicy(): Promise<ActivePolicyOnChain | undefined> {
    const value = optionalOf(await this.read("execution-queue", "get-active-policy"), "get-active-policy");
    if (value === null) return undefined;
    const t = new Fields(value, "get-active-policy");
    return {
      id: t.uint("id"),
      activatedAt: t.uint("activated-at"),
      budgetSats: t.uint("budget-sats"),
      budgetPeriod: t.uint("budget-period"),
    };
  }

  async autonomousSpent(policyId: bigint, period: bigint): Promise<bigint> {
    return uintOf(
      await this.read("execution-queue", "get-autonomous-spent", [Cl.uint(policyId), Cl.uint(period)]),
      "get-autonomous-spent",
    );
  }

  async allocation(): Promise<Allocation> {
    const t = new Fields(await this.read("lv-ledger", "get-allocation"), "get-allocation");
    return {
      infrastructureBps: t.uint("infrastructure-bps"),
      channelBps: t.uint("channel-bps"),
      reserveBps: t.uint("reserve-bps"),
    };
  }

  /** The burn height of the newest liquidity report, 0 before the first. */
  async lastLiquidityReport(): Promise<bigint> {
    return new Fields(await this.read("liquidity-oracle", "get-last-report"), "get-last-report").uint("burn-height");
  }

  async pledge(id: bigint): Promise<PledgeOnChain | undefined> {
    const value = optionalOf(await this.read("lv-ledger", "get-pledge", [Cl.uint(id)]), "get-pledge");
    if (value === null) return undefined;
    const t = new Fields(value, "get-pledge");
    const tapAddr = t.optional("tap-addr");
    return {
      pledger: t.principal("pledger"),
      amount: t.uint("amount"),
      tapAddr: tapAddr === null ? null : stringOf(tapAddr, "get-pledge.tap-addr"),
      confirmed: t.optional("confirmed") !== null,
    };
  }

  /** `lv-ledger.get-lv-pricing`: the DAO's LV pricing and when it was set; undefined before the first. */
  async lvPricing(): Promise<ChainPricing | undefined> {
    return lvPricingOf(await this.read("lv-ledger", "get-lv-pricing")) ?? undefined;
  }

  /** The liquidity-oracle's newest snapshot's channel balances (zero before the first report). */
  async liquidity(): Promise<LiquidityView> {
    return liquidityViewOf(await this.read("liquidity-oracle", "get-liquidity"));
  }

  /** `lv-ledger.get-trade-summary`: a period's recorded trade summary, undefined if none was recorded. */
  async tradeSummary(period: bigint): Promise<OnChainTradeSummary | undefined> {
    const value = optionalOf(await this.read("lv-ledger", "get-trade-summary", [Cl.uint(period)]), "get-trade-summary");
    if (value === null) return undefined;
    const t = new Fields(value, "get-trade-summary");
    return {
      trades: t.uint("trades"),
      lvVolume: t.uint("lv-volume"),
      satsVolume: t.uint("sats-volume"),
      avgPremiumBps: t.uint("avg-premium-bps"),
      tradesHash: t.hex("trades-hash"),
    };
  }

  async revenueEpochRecorded(epoch: bigint): Promise<boolean> {
    return (
      optionalOf(await this.read("lv-ledger", "get-revenue-epoch", [Cl.uint(epoch)]), "get-revenue-epoch") !== null
    );
  }
}
