// The desk's market source on the chain: the DAO's pricing from lv-ledger, the liquidity snapshot from the
// liquidity-oracle (the one every quote is recomputable from), the Stacks height from the node.
import type { LiquidityView, LvPricing } from "../../market/pricing.ts";
import type { StacksClient } from "../stacks/client.ts";
import type { ContractReads } from "../stacks/reads.ts";
import type { MarketSource } from "./desk.ts";

export class ChainMarketSource implements MarketSource {
  constructor(
    private readonly reads: Pick<ContractReads, "lvPricing" | "liquidity">,
    private readonly stacks: Pick<StacksClient, "tip">,
  ) {}

  async pricing(): Promise<LvPricing | undefined> {
    const onChain = await this.reads.lvPricing();
    if (!onChain) return undefined;
    const { setAt: _setAt, ...pricing } = onChain;
    return pricing;
  }

  liquidity(): Promise<LiquidityView> {
    return this.reads.liquidity();
  }

  async stacksHeight(): Promise<bigint> {
    return BigInt((await this.stacks.tip()).stacksHeight);
  }
}
