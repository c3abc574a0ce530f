// The LV desk's state machine (market/desk.ts, market/steps.ts) on a real SQLite journal, with fakes of its daemon
// collaborators: what each request answers, what it makes (or, refused, does not make), and how each trade moves.
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { conflict, RetryableFailure } from "../failure.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { SqlJournal } from "../journal/sql-journal.ts";
import { createLogger } from "../log.ts";
import { DEFAULT_DESK_OPTIONS, Desk, sendLabel } from "../market/desk.ts";
import { DeskError, type DeskErrorCode } from "../market/errors.ts";
import { DeskSteps } from "../market/steps.ts";
import { FakeDeskLnd, FakeDeskTapd, FakeMarket, LV_GROUP, OTHER_GROUP, PRICING, sellerInvoice } from "./desk-fakes.ts";

const T0 = 1_800_000_000_000;

interface World {
  journal: SqlJournal;
  lnd: FakeDeskLnd;
  tapd: FakeDeskTapd;
  market: FakeMarket;
  desk: Desk;
  steps: DeskSteps;
  clock: { now: number };
}

async function world(): Promise<World> {
  const journal = await openSqliteJournal(":memory:");
  const lnd = new FakeDeskLnd();
  const tapd = new FakeDeskTapd();
  const market = new FakeMarket();
  const clock = { now: T0 };
  let counter = 0;
  const desk = new Desk({
    store: journal.desk,
    lnd,
    tapd,
    market,
    lv: async () => ({ groupKey: LV_GROUP, assetId: undefined }),
    log: createLogger({ level: "error", sink: () => undefined }),
    options: { ...DEFAULT_DESK_OPTIONS, invoiceNetwork: "regtest" },
    now: () => clock.now,
    // Ids count up (readable in failures); preimages stay random so their hashes differ.
    randomHex: (n) =>
      n === 16
        ? (++counter).toString(16).padStart(32, "0")
        : createHash("sha256").update(`p${++counter}`).digest("hex"),
  });
  return { journal, lnd, tapd, market, desk, steps: new DeskSteps(desk), clock };
}

async function refusal(body: Promise<unknown>): Promise<{ code: DeskErrorCode; status: number }> {
  try {
    await body;
  } catch (error) {
    if (error instanceof DeskError) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error("expected a refusal");
}

let w: World;
beforeEach(async () => {
  w = await world();
});

describe("quote", () => {
  it.each([
    { side: "buy", lv: "1000", sats: 1055n },
    { side: "sell", lv: "1000", sats: 1045n },
    { side: "buy", lv: "7", sats: 8n },
    { side: "sell", lv: "7", sats: 7n },
  ])("a $side of $lv LV at inbound 30% (premium capped at 500 bps) is $sats sats", async ({ side, lv, sats }) => {
    const quote = await w.desk.quote(side, lv);
    expect(quote).toMatchObject({ side, lv: BigInt(lv), sats, premiumBps: 500n, inboundBps: 3000n });
    expect(quote.groupKey).toBe(LV_GROUP);
    expect(quote.expiresAt).toBe(T0 / 1000 + 60);
    expect(await w.journal.desk.quote(quote.id)).toEqual(quote);
  });

  it.each([
    { name: "side not buy or sell", side: "swap", lv: "1", code: "bad-request" },
    { name: "lv zero", side: "buy", lv: "0", code: "wrong-amount" },
    { name: "lv as a number", side: "buy", lv: 5, code: "wrong-amount" },
    { name: "lv not decimal", side: "sell", lv: "0x10", code: "wrong-amount" },
    { name: "lv over the per-trade limit", side: "buy", lv: "10001", code: "over-limit" },
  ])("refuses $name: $code", async ({ side, lv, code }) => {
    expect((await refusal(w.desk.quote(side, lv))).code).toBe(code);
  });

  it("refuses before any lv-pricing: no-pricing", async () => {
    w.market.pricingNow = undefined;
    expect(await refusal(w.desk.quote("buy", "1"))).toEqual({ code: "no-pricing", status: 409 });
  });
});

async function boughtAndHeld(lv = "1000") {
  const quote = await w.desk.quote("buy", lv);
  const address = w.tapd.address(LV_GROUP, BigInt(lv));
  const trade = await w.desk.buy(quote.id, address);
  return { quote, address, trade };
}

describe("buy", () => {
  it("answers a hold invoice for the quoted sats; sends LV once held; settles once the anchor confirms", async () => {
    const { address, trade } = await boughtAndHeld();
    expect(trade.state).toBe("quoted");
    expect(w.lnd.invoices.get(trade.paymentHash)).toMatchObject({ state: "open", sats: 1055n });
    expect(
      createHash("sha256")
        .update(Buffer.from(trade.preimage ?? "", "hex"))
        .digest("hex"),
    ).toBe(trade.paymentHash);

    await w.steps.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("quoted");
    expect(w.tapd.sends).toEqual([]);

    w.lnd.hold(trade.paymentHash);
    await w.steps.advanceAll(); // quoted -> held
    await w.steps.advanceAll(); // held -> sending -> delivered
    const delivered = await w.desk.trade(trade.id);
    expect(delivered.state).toBe("delivered");
    expect(w.tapd.sends).toEqual([{ address, label: sendLabel(trade.id) }]);
    expect(delivered.anchorTxid).toBe(w.tapd.transfers[0]?.anchorTxid);

    await w.steps.advanceAll();
    expect(w.lnd.settled).toEqual([]);
    w.tapd.confirmAll();
    await w.steps.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("settled");
    expect(w.lnd.settled).toEqual([trade.paymentHash]);
    expect(w.tapd.sends).toHaveLength(1);
  });

  it("the same request again returns the same trade; another address on that quote is quote-used", async () => {
    const { quote, address, trade } = await boughtAndHeld();
    expect((await w.desk.buy(quote.id, address)).id).toBe(trade.id);
    expect(await refusal(w.desk.buy(quote.id, w.tapd.address(LV_GROUP, 1000n)))).toEqual({
      code: "quote-used",
      status: 409,
    });
    expect(w.lnd.invoices.size).toBe(1);
  });

  it.each<{ name: string; code: DeskErrorCode; status: number; act: (w: World) => Promise<unknown> }>([
    {
      name: "an expired quote",
      code: "quote-expired",
      status: 410,
      act: async (w) => {
        const q = await w.desk.quote("buy", "1000");
        w.clock.now += 60_000;
        return w.desk.buy(q.id, w.tapd.address(LV_GROUP, 1000n));
      },
    },
    {
      name: "an unknown quote",
      code: "unknown-quote",
      status: 404,
      act: (w) => w.desk.buy("f".repeat(32), w.tapd.address(LV_GROUP, 1000n)),
    },
    {
      name: "a sell quote",
      code: "unknown-quote",
      status: 404,
      act: async (w) => w.desk.buy((await w.desk.quote("sell", "1000")).id, w.tapd.address(LV_GROUP, 1000n)),
    },
    {
      name: "an address of another group key",
      code: "wrong-group-key",
      status: 400,
      act: async (w) => w.desk.buy((await w.desk.quote("buy", "1000")).id, w.tapd.address(OTHER_GROUP, 1000n)),
    },
    {
      name: "an address for another amount",
      code: "wrong-amount",
      status: 400,
      act: async (w) => w.desk.buy((await w.desk.quote("buy", "1000")).id, w.tapd.address(LV_GROUP, 999n)),
    },
    {
      name: "a string that is no address",
      code: "bad-address",
      status: 400,
      act: async (w) => w.desk.buy((await w.desk.quote("buy", "1000")).id, "bc1qnotanasset"),
    },
    {
      name: "an address tapd cannot decode",
      code: "bad-address",
      status: 400,
      act: async (w) => w.desk.buy((await w.desk.quote("buy", "1000")).id, `taprt1${"q".repeat(60)}`),
    },
    {
      name: "a quote made for a group key the desk no longer trades",
      code: "wrong-group-key",
      status: 400,
      act: async (w) => {
        const q = await w.desk.quote("buy", "1000");
        await w.journal.desk.addQuote({ ...q, id: "e".repeat(32), groupKey: OTHER_GROUP });
        return w.desk.buy("e".repeat(32), w.tapd.address(OTHER_GROUP, 1000n));
      },
    },
  ])("refuses $name ($code, $status); no invoice, no trade", async ({ code, status, act }) => {
    expect(await refusal(act(w))).toEqual({ code, status });
    expect(w.lnd.invoices.size).toBe(0);
    expect(await w.journal.desk.openTrades()).toEqual([]);
  });

  it("over the period limit when opened: the invoice just made is cancelled, over-limit", async () => {
    const quotes = [
      await w.desk.quote("buy", "10000"),
      await w.desk.quote("buy", "10000"),
      await w.desk.quote("buy", "10000"),
    ] as const;
    await w.desk.buy(quotes[0].id, w.tapd.address(LV_GROUP, 10_000n));
    await w.desk.buy(quotes[1].id, w.tapd.address(LV_GROUP, 10_000n));
    expect(await refusal(w.desk.buy(quotes[2].id, w.tapd.address(LV_GROUP, 10_000n)))).toEqual({
      code: "over-limit",
      status: 403,
    });
    expect(w.lnd.cancelled).toHaveLength(1);
    expect(await w.journal.desk.periodLv(12n)).toBe(20_000n);
    expect(await refusal(w.desk.quote("buy", "5001"))).toEqual({ code: "over-limit", status: 403 });
  });

  it("a send tapd refuses cancels the invoice (the buyer's HTLC returns); nothing settles", async () => {
    const { trade } = await boughtAndHeld();
    w.lnd.hold(trade.paymentHash);
    w.tapd.sendFailure = conflict("insufficient asset balance");
    await w.steps.advanceAll();
    await w.steps.advanceAll();
    const after = await w.desk.trade(trade.id);
    expect(after.state).toBe("cancelled");
    expect(after.detail).toBe("tapd refused the send: insufficient asset balance");
    expect(w.lnd.cancelled).toEqual([trade.paymentHash]);
    expect(w.lnd.invoices.get(trade.paymentHash)?.state).toBe("canceled");
    expect(w.lnd.settled).toEqual([]);
  });

  it("a send that fails retryably stays sending and is retried; after the send window it is cancelled", async () => {
    const { trade } = await boughtAndHeld();
    w.lnd.hold(trade.paymentHash);
    w.tapd.sendFailure = new RetryableFailure("tapd unreachable");
    await w.steps.advanceAll();
    await w.steps.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("sending");
    w.clock.now = (trade.deadline + DEFAULT_DESK_OPTIONS.sendWindowSeconds) * 1000;
    await w.steps.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("cancelled");
    expect(w.tapd.sends).toEqual([]);
    expect(w.lnd.cancelled).toEqual([trade.paymentHash]);
  });

  it("after a crash between the send and its journal entry, the send is found by its label, not repeated", async () => {
    const { address, trade } = await boughtAndHeld();
    w.lnd.hold(trade.paymentHash);
    await w.steps.advanceAll();
    // The relay died after tapd took the send, before `delivered` was written.
    await w.journal.desk.transition(trade.id, "held", "sending", {}, T0);
    await w.tapd.send({ address, label: sendLabel(trade.id) });
    const restarted = new DeskSteps(w.desk);
    await restarted.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("delivered");
    w.tapd.confirmAll();
    await restarted.advanceAll();
    expect(w.tapd.sends).toHaveLength(1);
    expect(w.lnd.settled).toEqual([trade.paymentHash]);
  });

  it("no payment before the deadline: the invoice is cancelled", async () => {
    const { trade } = await boughtAndHeld();
    w.clock.now = trade.deadline * 1000;
    await w.steps.advanceAll();
    expect(await w.desk.trade(trade.id)).toMatchObject({
      state: "cancelled",
      detail: "no payment before the invoice expired",
    });
    expect(w.lnd.cancelled).toEqual([trade.paymentHash]);
  });

  it("an HTLC lnd released before the send: nothing is sent", async () => {
    const { trade } = await boughtAndHeld();
    w.lnd.hold(trade.paymentHash);
    await w.steps.advanceAll();
    w.lnd.invoices.get(trade.paymentHash)!.state = "canceled";
    await w.steps.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("cancelled");
    expect(w.tapd.sends).toEqual([]);
  });
});

async function sold(lv = "1000") {
  const quote = await w.desk.quote("sell", lv);
  const invoice = await sellerInvoice({ sats: quote.sats, expirySeconds: 3600, createdAt: new Date(T0) });
  const trade = await w.desk.sell(quote.id, invoice.request);
  return { quote, invoice, trade };
}

describe("sell", () => {
  it("gives a desk address for the quoted LV; pays the seller's invoice once the deposit completes", async () => {
    const { invoice, trade } = await sold();
    expect(w.tapd.made).toEqual([{ address: trade.tapAddress, amount: 1000n }]);
    expect(trade).toMatchObject({ state: "quoted", sats: 1045n, paymentHash: invoice.paymentHash });
    await w.steps.advanceAll();
    expect(w.lnd.paid).toEqual([]);
    w.tapd.receive(trade.tapAddress, 1000n);
    await w.steps.advanceAll(); // quoted -> held
    await w.steps.advanceAll(); // held -> sending -> paid
    expect(await w.desk.trade(trade.id)).toMatchObject({
      state: "paid",
      feeMsat: 2_000n,
      anchorTxid: `${"77".repeat(32)}:0`,
    });
    expect(w.lnd.paid).toEqual([invoice.request]);
  });

  it.each<{ name: string; code: DeskErrorCode; invoice: (sats: bigint) => Promise<string> }>([
    { name: "text that is no invoice", code: "bad-invoice", invoice: async () => "lnbcrt1notaninvoice" },
    {
      name: "an invoice for other sats",
      code: "wrong-amount",
      invoice: async (sats) =>
        (await sellerInvoice({ sats: sats + 1n, expirySeconds: 3600, createdAt: new Date(T0) })).request,
    },
    {
      name: "an invoice that expires before the deposit window ends",
      code: "bad-invoice",
      invoice: async (sats) => (await sellerInvoice({ sats, expirySeconds: 600, createdAt: new Date(T0) })).request,
    },
    {
      name: "an expired invoice",
      code: "bad-invoice",
      invoice: async (sats) =>
        (await sellerInvoice({ sats, expirySeconds: 3600, createdAt: new Date(T0 - 7_200_000) })).request,
    },
  ])("refuses $name ($code); no address, no trade", async ({ code, invoice }) => {
    const quote = await w.desk.quote("sell", "1000");
    expect((await refusal(w.desk.sell(quote.id, await invoice(quote.sats)))).code).toBe(code);
    expect(w.tapd.made).toEqual([]);
    expect(await w.journal.desk.openTrades()).toEqual([]);
  });

  it("no deposit by the deadline: cancelled; a late deposit is kept as unmatched, and paid to nobody", async () => {
    const { trade } = await sold();
    w.clock.now = trade.deadline * 1000;
    await w.steps.advanceAll();
    expect((await w.desk.trade(trade.id)).state).toBe("cancelled");
    w.tapd.receive(trade.tapAddress, 1000n, 3);
    await w.steps.advanceAll();
    await w.steps.advanceAll();
    expect(await w.journal.desk.unmatched()).toEqual([
      {
        address: trade.tapAddress,
        anchor: `${"77".repeat(32)}:3`,
        amount: 1000n,
        tradeId: trade.id,
        reason: "late-deposit",
        seenAt: trade.deadline * 1000,
      },
    ]);
    expect(w.lnd.paid).toEqual([]);
  });

  it("a second deposit to a paid trade's address is unmatched (extra-deposit); the first is paid once", async () => {
    const { trade } = await sold();
    w.tapd.receive(trade.tapAddress, 1000n, 0);
    await w.steps.advanceAll();
    await w.steps.advanceAll();
    w.tapd.receive(trade.tapAddress, 1000n, 1);
    await w.steps.advanceAll();
    expect((await w.journal.desk.unmatched()).map((u) => [u.anchor, u.reason])).toEqual([
      [`${"77".repeat(32)}:1`, "extra-deposit"],
    ]);
    expect(w.lnd.paid).toHaveLength(1);
  });

  it("a payout lnd refuses once the invoice has expired: failed, the deposit listed as unmatched", async () => {
    const { trade } = await sold();
    w.tapd.receive(trade.tapAddress, 1000n);
    await w.steps.advanceAll();
    w.lnd.payFailure = conflict("no route");
    w.lnd.payments.set(trade.paymentHash, { state: "failed" });
    await w.steps.advanceAll();
    expect(await w.desk.trade(trade.id)).toMatchObject({ state: "failed", detail: "payout failed: no route" });
    expect((await w.journal.desk.unmatched()).map((u) => u.reason)).toEqual(["payout-failed"]);
  });

  it("after a crash mid-payout, a payment lnd made is found, not made again", async () => {
    const { trade } = await sold();
    w.tapd.receive(trade.tapAddress, 1000n);
    await w.steps.advanceAll();
    await w.journal.desk.transition(trade.id, "held", "sending", {}, T0);
    w.lnd.payments.set(trade.paymentHash, { state: "succeeded", preimage: "22".repeat(32), feeMsat: 1_000n });
    await new DeskSteps(w.desk).advanceAll();
    expect(await w.desk.trade(trade.id)).toMatchObject({ state: "paid", feeMsat: 1_000n });
    expect(w.lnd.paid).toEqual([]);
  });
});

it("the desk's quoted figures at another liquidity: no premium above the target, the spread only", async () => {
  w.market.liquidityNow = { inboundSats: 6_000_000n, outboundSats: 4_000_000n };
  expect(await w.desk.quote("buy", "1000")).toMatchObject({ sats: 1005n, premiumBps: 0n, inboundBps: 6000n });
  expect(PRICING.spreadBps).toBe(100n);
});
