// The LV desk's pricing as the DAO set it (lv-ledger.get-lv-pricing) and what it gives with the latest liquidity
// snapshot: the inbound share, the premium, and a sample quote each way, computed by the same quote function the
// desk and `lvdao market quote` use (offchain/market/pricing.ts), so what is shown is what anyone recomputes.
import type { ChainPricing } from "../../../market/pricing-chain.ts";
import { inboundBps, quote, type LiquidityView } from "../../../market/pricing.ts";
import { formatBps, formatInteger, formatSats } from "../model/amounts.ts";

/** LV base units of the sample quote, or max-trade-lv when that is smaller. */
export const SAMPLE_LV = 1_000n;

export function LvPricingPanel({ pricing, liquidity }: { pricing: ChainPricing | null; liquidity: LiquidityView }) {
  if (!pricing) return <p className="hint">No lv-pricing proposal has passed yet: the desk quotes nothing.</p>;
  const lv = pricing.maxTradeLv < SAMPLE_LV ? pricing.maxTradeLv : SAMPLE_LV;
  const buy = quote(pricing, liquidity, "buy", lv);
  const sell = quote(pricing, liquidity, "sell", lv);
  return (
    <>
      <dl className="facts" aria-label="LV pricing">
        <dt>Reference</dt>
        <dd>{formatInteger(pricing.referenceMsat)} msat per LV unit</dd>
        <dt>Spread</dt>
        <dd>{formatBps(pricing.spreadBps)} (half on each side)</dd>
        <dt>Inbound target</dt>
        <dd>{formatBps(pricing.targetInboundBps)}</dd>
        <dt>Premium curve</dt>
        <dd>
          {formatInteger(pricing.premiumSlopeBps)} bps per 1% of inbound below the target, at most{" "}
          {formatBps(pricing.maxPremiumBps)}
        </dd>
        <dt>Quotes valid</dt>
        <dd>{formatInteger(pricing.quoteTtl)} s</dd>
        <dt>Limits</dt>
        <dd>
          {formatInteger(pricing.maxTradeLv)} LV units a trade, {formatInteger(pricing.maxPeriodLv)} per{" "}
          {formatInteger(pricing.period)} Stacks blocks
        </dd>
        <dt>Set at</dt>
        <dd>Stacks block {formatInteger(pricing.setAt)}</dd>
      </dl>
      <dl className="facts" aria-label="LV premium now">
        <dt>Inbound share</dt>
        <dd>{formatBps(inboundBps(liquidity))}</dd>
        <dt>Premium</dt>
        <dd>{formatBps(buy.premiumBps)}</dd>
        <dt>Buy {formatInteger(lv)} LV</dt>
        <dd>{formatSats(buy.sats)}</dd>
        <dt>Sell {formatInteger(lv)} LV</dt>
        <dd>{formatSats(sell.sats)}</dd>
      </dl>
    </>
  );
}
