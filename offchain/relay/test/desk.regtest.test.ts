// The LV desk against real lnd and tapd on regtest: contributor buys LV from the dao node with a hold invoice and
// sells some back, a buy whose send tapd refuses returns the buyer's HTLC, a desk restarted between the send and the
// settle delivers once and settles once, and refused requests move nothing. The desk runs in this process on the dao
// node's lnd and tapd (the daemon ports the relay binds), its journal a SQLite file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getInvoices } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as L from "../../lightning/index.ts";
import { eventually } from "../../lightning/test/stack.ts";
import type { LvPricing } from "../../market/pricing.ts";
import { startRegtest, type RegtestHandle } from "../../regtest/harness/index.ts";
import { LightningLnd } from "../daemons/lnd.ts";
import { TapdNode } from "../daemons/tapd.ts";
import type { TradeState } from "../journal/desk-types.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { SqlJournal } from "../journal/sql-journal.ts";
import { createLogger } from "../log.ts";
import { DEFAULT_DESK_OPTIONS, Desk, sendLabel } from "../market/desk.ts";
import { DeskError } from "../market/errors.ts";
import { DeskSteps } from "../market/steps.ts";
import { FakeMarket } from "./desk-fakes.ts";

// 100 sats per LV unit: 1,000 LV is about 105,000 sats, well within the one channel.
const PRICING: LvPricing = {
  referenceMsat: 100_000n,
  spreadBps: 100n,
  targetInboundBps: 5000n,
  premiumSlopeBps: 100n,
  maxPremiumBps: 500n,
  quoteTtl: 120n,
  maxTradeLv: 10_000_000n,
  maxPeriodLv: 100_000_000n,
  period: 100n,
};
const MINTED = 1_000_000n;

let stack: RegtestHandle;
let journalPath: string;
let groupKey: string;
const market = new FakeMarket();
market.pricingNow = PRICING;
const log = createLogger({ level: "warn", sink: (line) => console.error(line) });
let clockOffsetMs = 0;

function openDesk(journal: SqlJournal): { desk: Desk; steps: DeskSteps } {
  const desk = new Desk({
    store: journal.desk,
    lnd: new LightningLnd(stack.lnd.dao),
    tapd: new TapdNode(stack.tapd.dao),
    lv: async () => ({ groupKey, assetId: undefined }),
    market,
    log,
    options: { ...DEFAULT_DESK_OPTIONS, invoiceNetwork: "regtest", sendWindowSeconds: 30 },
    now: () => Date.now() + clockOffsetMs,
  });
  return { desk, steps: new DeskSteps(desk) };
}

let journal: SqlJournal;
let desk: Desk;
let steps: DeskSteps;

const lvOf = async (tapd: L.TapdClient) =>
  (await L.listAssetBalances({ tapd, by: "group" })).find((b) => b.key === groupKey)?.balance ?? 0n;

/** Moves the trade on (mining a block each round) until it reaches one of `states`. */
async function until(s: DeskSteps, tradeId: string, states: TradeState[], timeoutMs = 120_000): Promise<TradeState> {
  return eventually(
    async () => {
      await s.advanceAll();
      const trade = await journal.desk.trade(tradeId);
      return trade && states.includes(trade.state) ? trade.state : undefined;
    },
    { what: `trade ${tradeId} to reach ${states.join("|")}`, mine: () => stack.mine(1), timeoutMs },
  );
}

const buyerAddress = (amount: bigint) =>
  eventually(() => L.newAssetAddress({ tapd: stack.tapd.contributor, groupKey, amount }), {
    what: "contributor to learn LV from dao's universe",
    timeoutMs: 60_000,
  });

beforeAll(async () => {
  stack = await startRegtest();
  journalPath = join(mkdtempSync(join(tmpdir(), "lvdao-desk-")), "journal.sqlite");
  journal = await openSqliteJournal(journalPath);
  ({ desk, steps } = openDesk(journal));
  // contributor -> dao: contributor pays the desk's invoices; the dao node pays contributor's back over it.
  await stack.fund("contributor", 5_000_000);
  await L.openChannel({
    lnd: stack.lnd.contributor,
    peerPubkey: stack.nodes.dao.pubkey,
    peerSocket: stack.nodes.dao.p2p_host,
    localSats: 3_000_000,
    pushSats: 1_000_000,
    isPrivate: false,
    memo: "desk",
  });
  await stack.mine(6);
  await eventually(
    async () => ((await L.listChannels({ lnd: stack.lnd.contributor })).some((c) => c.isActive) ? true : undefined),
    { what: "the contributor -> dao channel to be active", mine: () => stack.mine(1) },
  );
  const minted = await L.mintGroupedAsset({ tapd: stack.tapd.dao, name: "lv-desk", amount: MINTED });
  groupKey = minted.asset.groupKey as string;
  await stack.mine(1);
  await eventually(async () => ((await lvOf(stack.tapd.dao)) === MINTED ? true : undefined), {
    what: "the LV mint to confirm",
    mine: () => stack.mine(1),
  });
});

afterAll(async () => {
  await journal?.close();
  await stack?.stop();
});

describe("the desk on real lnd and tapd", () => {
  it("a buy: hold invoice paid, LV delivered, the invoice settled once the anchor confirms", async () => {
    const quote = await desk.quote("buy", "1000");
    const address = await buyerAddress(1000n);
    const trade = await desk.buy(quote.id, address.address);
    const before = await L.getChannelBalance({ lnd: stack.lnd.contributor });
    const payment = L.payInvoice({ lnd: stack.lnd.contributor, request: trade.invoice, maxFeeSats: 10 });
    expect(await until(steps, trade.id, ["delivered", "settled", "cancelled"])).not.toBe("cancelled");
    expect(await until(steps, trade.id, ["settled", "cancelled"])).toBe("settled");
    const paid = await payment;
    expect(paid.msat).toBe(quote.sats * 1000n);
    expect((await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state).toBe("settled");
    await eventually(async () => ((await lvOf(stack.tapd.contributor)) === 1000n ? true : undefined), {
      what: "contributor's LV",
      mine: () => stack.mine(1),
    });
    const after = await L.getChannelBalance({ lnd: stack.lnd.contributor });
    expect(before.localMsat - after.localMsat).toBe(quote.sats * 1000n);
  });

  it("a buy whose send tapd refuses: the invoice is cancelled and the buyer's sats come back", async () => {
    // More LV than the desk holds: tapd refuses the send. At 0.1 sat per LV the HTLC still fits the channel.
    const lv = MINTED * 2n;
    market.pricingNow = { ...PRICING, referenceMsat: 100n };
    const quote = await desk.quote("buy", lv.toString()).finally(() => {
      market.pricingNow = PRICING;
    });
    const address = await buyerAddress(lv);
    const trade = await desk.buy(quote.id, address.address);
    const before = await L.getChannelBalance({ lnd: stack.lnd.contributor });
    const payment = L.payInvoice({ lnd: stack.lnd.contributor, request: trade.invoice, maxFeeSats: 10 }).then(
      () => "paid",
      (error: unknown) => (error as Error).message,
    );
    await eventually(
      async () =>
        (await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state === "held"
          ? true
          : undefined,
      { what: "the HTLC to be held" },
    );
    expect(await until(steps, trade.id, ["cancelled", "delivered", "settled"], 180_000)).toBe("cancelled");
    expect(await payment).not.toBe("paid");
    expect((await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state).toBe("canceled");
    const after = await eventually(
      async () => {
        const b = await L.getChannelBalance({ lnd: stack.lnd.contributor });
        return b.localMsat === before.localMsat ? b : undefined;
      },
      { what: "the buyer's balance to be restored" },
    );
    expect(after.localMsat).toBe(before.localMsat);
    expect(await L.listTransfers({ tapd: stack.tapd.dao, label: sendLabel(trade.id) })).toEqual([]);
  });

  it("a sell: contributor's LV arrives on the desk's address, the desk pays contributor's invoice", async () => {
    const quote = await desk.quote("sell", "400");
    const invoice = await L.createInvoice({
      lnd: stack.lnd.contributor,
      msat: quote.sats * 1000n,
      description: "sell LV",
      expirySeconds: 7200,
    });
    const trade = await desk.sell(quote.id, invoice.request);
    const sent = await L.sendAsset({ tapd: stack.tapd.contributor, addresses: [trade.tapAddress], label: "sell" });
    expect(await until(steps, trade.id, ["paid", "failed", "cancelled"], 180_000)).toBe("paid");
    expect((await journal.desk.trade(trade.id))?.anchorTxid?.startsWith(sent.anchorTxid)).toBe(true);
    expect((await L.lookupInvoice({ lnd: stack.lnd.contributor, paymentHash: invoice.paymentHash })).state).toBe(
      "settled",
    );
    expect(await lvOf(stack.tapd.contributor)).toBe(600n);
  });

  it("a desk restarted between the send and the settle: one delivery, one settle", async () => {
    const quote = await desk.quote("buy", "250");
    const address = await buyerAddress(250n);
    const trade = await desk.buy(quote.id, address.address);
    const payment = L.payInvoice({ lnd: stack.lnd.contributor, request: trade.invoice, maxFeeSats: 10 });
    // Step without mining, so the anchor stays unconfirmed: the trade stops at delivered.
    const delivered = await eventually(
      async () => {
        await steps.advanceAll();
        return (await journal.desk.trade(trade.id))?.state === "delivered" ? true : undefined;
      },
      { what: "the LV send" },
    );
    expect(delivered).toBe(true);
    // The process is gone: a new journal connection, new daemon ports, a new desk.
    await journal.close();
    journal = await openSqliteJournal(journalPath);
    ({ desk, steps } = openDesk(journal));
    expect(await until(steps, trade.id, ["settled", "cancelled"])).toBe("settled");
    await payment;
    expect(await L.listTransfers({ tapd: stack.tapd.dao, label: sendLabel(trade.id) })).toHaveLength(1);
    await eventually(async () => ((await lvOf(stack.tapd.contributor)) === 850n ? true : undefined), {
      what: "contributor's LV after the restart",
      mine: () => stack.mine(1),
    });
  });

  it.each([
    {
      name: "an address for another amount: wrong-amount",
      code: "wrong-amount",
      act: async () => desk.buy((await desk.quote("buy", "100")).id, (await buyerAddress(99n)).address),
    },
    {
      name: "an address that does not decode: bad-address",
      code: "bad-address",
      act: async () => desk.buy((await desk.quote("buy", "100")).id, `taprt1${"q".repeat(80)}`),
    },
    {
      name: "an invoice that is no invoice: bad-invoice",
      code: "bad-invoice",
      act: async () => desk.sell((await desk.quote("sell", "100")).id, "lnbcrt1garbage"),
    },
    {
      name: "an expired quote: quote-expired",
      code: "quote-expired",
      act: async () => {
        const quote = await desk.quote("buy", "100");
        clockOffsetMs = Number(PRICING.quoteTtl) * 1000;
        try {
          return await desk.buy(quote.id, (await buyerAddress(100n)).address);
        } finally {
          clockOffsetMs = 0;
        }
      },
    },
  ])("refuses $name; no invoice is made", async ({ code, act }) => {
    const invoicesBefore = (await getInvoices({ lnd: stack.lnd.dao })).invoices.length;
    const error = await act().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe(code);
    expect((await getInvoices({ lnd: stack.lnd.dao })).invoices.length).toBe(invoicesBefore);
  });
});
