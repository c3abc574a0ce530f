// Section k of bench:relay: the LV desk's own work. Quotes per second through Desk.quote over a real SQLite journal
// (fixed pricing and liquidity) against bare pricing.ts quote() calls; and per buy trade, quote -> buy -> held ->
// send -> delivered -> settle through the real Desk and DeskSteps with lnd/tapd ports that answer at once, against a
// bare tapd send plus a bare hold-invoice settle on the lnd/tapd simulators (offchain/lightning over gRPC).
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHodlInvoice, getInvoice, pay } from "lightning";
import { mintGroupedAsset, newAssetAddress, sendAsset, settleHodlInvoice } from "../../offchain/lightning/index.ts";
import { quote as priceQuote } from "../../offchain/market/pricing.ts";
import { openSqliteJournal } from "../../offchain/relay/journal/sqlite.ts";
import { createLogger } from "../../offchain/relay/log.ts";
import { DEFAULT_DESK_OPTIONS, Desk } from "../../offchain/relay/market/desk.ts";
import { DeskSteps } from "../../offchain/relay/market/steps.ts";
import { startSimulators } from "../../offchain/regtest/lnd-tapd-sim/index.ts";
import { FakeDeskLnd, FakeDeskTapd, FakeMarket, LV_GROUP, PRICING } from "../../offchain/relay/test/desk-fakes.ts";
import { progress, quantile, report, sample } from "./figures.ts";

// Limits wide enough that no quote or trade of the run is refused.
const BENCH_PRICING = { ...PRICING, maxPeriodLv: 10n ** 15n };
const hashOf = (preimage: string) => createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex");

async function deskWorld() {
  const journal = await openSqliteJournal(":memory:");
  const lnd = new FakeDeskLnd();
  const tapd = new FakeDeskTapd();
  const market = new FakeMarket();
  market.pricingNow = BENCH_PRICING;
  const desk = new Desk({
    store: journal.desk,
    lnd,
    tapd,
    market,
    lv: async () => ({ groupKey: LV_GROUP, assetId: undefined }),
    log: createLogger({ level: "error", sink: () => undefined }),
    options: { ...DEFAULT_DESK_OPTIONS, invoiceNetwork: "regtest" },
  });
  return { journal, lnd, tapd, market, desk, steps: new DeskSteps(desk) };
}

async function perSecond(seconds: number, run: () => Promise<unknown> | unknown): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    await run();
    n++;
  }
  return n / seconds;
}

export async function deskFigures(trades: number): Promise<void> {
  progress("\nk  the LV desk: quotes per second, and its own work per buy trade");
  const w = await deskWorld();
  try {
    const liquidity = w.market.liquidityNow;
    let lv = 0n;
    const deskRate = await perSecond(2, () => w.desk.quote(++lv % 2n ? "buy" : "sell", String(1n + (lv % 9_000n))));
    const bareRate = await perSecond(2, () =>
      priceQuote(BENCH_PRICING, liquidity, ++lv % 2n ? "buy" : "sell", 1n + (lv % 9_000n)),
    );
    report({
      name: "k desk quotes per second",
      value: deskRate,
      unit: "/s",
      baselineName: "bare quote()",
      baseline: bareRate,
    });

    const trade = async () => {
      const quote = await w.desk.quote("buy", "1000");
      const opened = await w.desk.buy(quote.id, w.tapd.address(LV_GROUP, 1000n));
      w.lnd.hold(opened.paymentHash);
      const step = async () => w.steps.advance(await w.desk.trade(opened.id));
      await step(); // quoted -> held
      await step(); // held -> sending -> delivered
      w.tapd.confirmAll();
      await step(); // delivered -> settled
      const done = await w.desk.trade(opened.id);
      if (done.state !== "settled") throw new Error(`trade ${done.id} ended ${done.state}, not settled`);
    };
    const deskMs = await sample(trades, trade);
    const bare = await simulatorSendAndSettle(trades);
    for (const q of [0.5, 0.95] as const)
      report({
        name: `k desk work per trade p${q * 100}`,
        value: quantile(deskMs, q),
        unit: "ms",
        baselineName: "sim sendAsset + settleHodlInvoice",
        baseline: quantile(bare, q),
      });
  } finally {
    await w.journal.close();
  }
}

/** Milliseconds of a bare sendAsset (dao -> contributor) plus a bare settleHodlInvoice of a held HTLC, per sample. */
async function simulatorSendAndSettle(times: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), "lvdao-bench-desk-"));
  progress("   starting the lnd/tapd simulators for the baseline...");
  const sim = await startSimulators({ stateDir: dir, channelConfirmations: 1, blockIntervalMs: 0 });
  try {
    const minted = await mintGroupedAsset({ tapd: sim.tapd.dao, name: "LV", amount: 10_000_000n });
    await sim.mine(1);
    const assetId = minted.asset.assetId;
    const out: number[] = [];
    for (let i = 0; i < times + 3; i++) {
      const address = await newAssetAddress({ tapd: sim.tapd.contributor, assetId, amount: 1000n });
      const preimage = randomBytes(32).toString("hex");
      const invoice = await createHodlInvoice({ lnd: sim.lnd.dao, id: hashOf(preimage), tokens: 1055 });
      const payment = pay({ lnd: sim.lnd.peer, request: invoice.request, max_fee: 10 });
      for (let t = 0; t < 200 && !(await getInvoice({ lnd: sim.lnd.dao, id: invoice.id })).is_held; t++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      const started = performance.now();
      await sendAsset({ tapd: sim.tapd.dao, addresses: [address.address], label: `bench-${i}` });
      await settleHodlInvoice({ lnd: sim.lnd.dao, preimage });
      if (i >= 3) out.push(performance.now() - started);
      await payment;
      await sim.mine(1);
    }
    return out;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
