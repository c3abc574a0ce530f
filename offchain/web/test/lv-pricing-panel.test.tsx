// The Liquidity page's pricing panel: the DAO's pricing with units, and the premium and sample quotes the quote
// function gives for the snapshot shown.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ChainPricing } from "../../market/pricing-chain.ts";
import { LvPricingPanel } from "../src/components/LvPricingPanel.tsx";

const PRICING: ChainPricing = {
  referenceMsat: 1_000n,
  spreadBps: 100n,
  targetInboundBps: 5_000n,
  premiumSlopeBps: 20n,
  maxPremiumBps: 500n,
  quoteTtl: 60n,
  maxTradeLv: 1_000_000n,
  maxPeriodLv: 10_000_000n,
  period: 144n,
  setAt: 42n,
};

const text = (html: string): string => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("LvPricingPanel", () => {
  it("says there is no pricing before an lv-pricing passes", () => {
    const html = renderToStaticMarkup(
      <LvPricingPanel pricing={null} liquidity={{ inboundSats: 0n, outboundSats: 0n }} />,
    );
    expect(text(html)).toContain("No lv-pricing proposal has passed yet");
  });

  it.each([
    // 30% inbound: 20% short of 50% -> 400 bps; 1000 LV at 1 sat: buy 1,045, sell 1,035
    [
      "30% inbound",
      3_000_000n,
      7_000_000n,
      "Inbound share 30% Premium 4% Buy 1,000 LV 1,045 sats",
      "Sell 1,000 LV 1,035 sats",
    ],
    // at the target: no premium, half the spread each way
    ["at the target", 5n, 5n, "Inbound share 50% Premium 0% Buy 1,000 LV 1,005 sats", "Sell 1,000 LV 995 sats"],
  ])("shows the premium and the quotes at %s", (_, inboundSats, outboundSats, buy, sell) => {
    const html = text(
      renderToStaticMarkup(<LvPricingPanel pricing={PRICING} liquidity={{ inboundSats, outboundSats }} />),
    );
    expect(html).toContain(buy);
    expect(html).toContain(sell);
    expect(html).toContain("Reference 1,000 msat per LV unit Spread 1% (half on each side)");
    expect(html).toContain("20 bps per 1% of inbound below the target, at most 5%");
    expect(html).toContain("1,000,000 LV units a trade, 10,000,000 per 144 Stacks blocks");
  });

  it("quotes max-trade-lv when it is below the sample size", () => {
    const html = text(
      renderToStaticMarkup(
        <LvPricingPanel pricing={{ ...PRICING, maxTradeLv: 10n }} liquidity={{ inboundSats: 1n, outboundSats: 1n }} />,
      ),
    );
    expect(html).toContain("Buy 10 LV 11 sats");
    expect(html).toContain("Sell 10 LV 9 sats");
  });
});
