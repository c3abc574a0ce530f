// A period's trade summary (market/summary.ts) as record-trade-summary takes it: only the period's completed trades,
// the canonical list byte for byte (docs/market.md, "Auditing the desk"), its sha256, and the floor of the mean
// premium.
import { describe, expect, it } from "vitest";
import type { DeskTrade } from "../journal/desk-types.ts";
import { canonicalTradeList, summarize } from "../market/summary.ts";

const id = (c: string) => `${"0".repeat(31)}${c}`;
const trade = (c: string, fields: Partial<DeskTrade>): DeskTrade => ({
  id: id(c),
  quoteId: id(c),
  side: "buy",
  state: "settled",
  lv: 0n,
  sats: 0n,
  premiumBps: 0n,
  period: 5n,
  tapAddress: "",
  invoice: "",
  paymentHash: "",
  preimage: null,
  anchorTxid: null,
  feeMsat: null,
  detail: null,
  deadline: 0,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});

const trades = [
  trade("b", { side: "buy", state: "settled", lv: 1000n, sats: 1055n, premiumBps: 301n }),
  trade("c", { side: "buy", state: "cancelled", lv: 7n, sats: 8n, premiumBps: 900n }),
  trade("a", { side: "sell", state: "paid", lv: 400n, sats: 418n, premiumBps: 500n }),
  trade("d", { side: "sell", state: "failed", lv: 5n, sats: 5n, premiumBps: 0n }),
  trade("e", { side: "buy", state: "delivered", lv: 9n, sats: 9n, premiumBps: 0n }),
];

describe("the period summary", () => {
  it("lists the completed trades one per line, by id, as id,side,lv,sats,premium", () => {
    expect(canonicalTradeList(trades)).toBe(`${id("a")},sell,400,418,500\n${id("b")},buy,1000,1055,301\n`);
  });

  it("sums and hashes only the period's completed trades; the mean premium rounds down", () => {
    expect(summarize(5n, [...trades, trade("f", { period: 6n, lv: 1n, sats: 1n })])).toEqual({
      period: 5n,
      trades: 2n,
      lvVolume: 1400n,
      satsVolume: 1473n,
      avgPremiumBps: 400n,
      tradesHash: "3971ccfa7384f821f891935ee49c8da4858152ca8c9ded26ba6d1f78d699049d",
    });
  });

  it("a period without completed trades: zeros, and the hash of the empty list", () => {
    expect(summarize(9n, trades)).toMatchObject({
      trades: 0n,
      avgPremiumBps: 0n,
      tradesHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    });
  });
});
