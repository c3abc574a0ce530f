// The desk's journal tables (journal/sql-desk.ts) on both backends: a trade opens once per quote and within the
// period's limit even when requests race, each step is a compare-and-set, and deposits and summaries are kept once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeskTrade } from "../journal/desk-types.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { freshPostgresJournal, startTestPostgres, type TestPostgres } from "./postgres.ts";

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

const backends: [string, () => Promise<Journal>][] = [
  ["sqlite", () => openSqliteJournal(":memory:")],
  ["postgres", () => freshPostgresJournal(postgres!, "desk")],
];

const trade = (n: number, fields: Partial<DeskTrade> = {}): DeskTrade => ({
  id: n.toString(16).padStart(32, "0"),
  quoteId: `q${n}`.padEnd(32, "0"),
  side: "buy",
  state: "quoted",
  lv: 1_000n,
  sats: 1_055n,
  premiumBps: 500n,
  period: 7n,
  tapAddress: `taprt1addr${n}`,
  invoice: `lnbcrt${n}`,
  paymentHash: n.toString(16).padStart(64, "0"),
  preimage: "aa".repeat(32),
  anchorTxid: null,
  feeMsat: null,
  detail: null,
  deadline: 1_800_000_060,
  createdAt: 1_000 + n,
  updatedAt: 1_000 + n,
  ...fields,
});

describe.each(backends)("the desk journal on %s", (_backend, open) => {
  it("opens a trade once per quote, and not past the period's limit", async () => {
    const journal = await open();
    expect(await journal.desk.openTrade(trade(1), 2_500n)).toEqual({ outcome: "created", trade: trade(1) });
    expect(await journal.desk.openTrade(trade(9, { quoteId: trade(1).quoteId }), 2_500n)).toEqual({
      outcome: "exists",
      trade: trade(1),
    });
    expect(await journal.desk.openTrade(trade(2), 2_500n)).toMatchObject({ outcome: "created" });
    expect(await journal.desk.openTrade(trade(3), 2_500n)).toEqual({ outcome: "over-limit", periodLv: 2_000n });
    expect(await journal.desk.openTrade(trade(4, { period: 8n }), 2_500n)).toMatchObject({ outcome: "created" });
    expect(await journal.desk.tradeByQuote(trade(2).quoteId)).toEqual(trade(2));
    await journal.close();
  });

  it("racing requests: of ten trades of 1,000 LV under a 3,000 limit, exactly three open", async () => {
    const journal = await open();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => journal.desk.openTrade(trade(i + 1), 3_000n)),
    );
    expect(outcomes.filter((o) => o.outcome === "created")).toHaveLength(3);
    expect(await journal.desk.periodLv(7n)).toBe(3_000n);
    await journal.close();
  });

  it("moves a trade only from the state it is in; fields are written with the move", async () => {
    const journal = await open();
    await journal.desk.openTrade(trade(1), 10_000n);
    expect(await journal.desk.transition(trade(1).id, "held", "sending", {}, 2_000)).toBe(false);
    expect(await journal.desk.transition(trade(1).id, "quoted", "held", {}, 2_000)).toBe(true);
    expect(await journal.desk.transition(trade(1).id, "quoted", "held", {}, 2_001)).toBe(false);
    expect(
      await journal.desk.transition(trade(1).id, "held", "delivered", { anchorTxid: "cc".repeat(32) }, 2_002),
    ).toBe(true);
    expect(await journal.desk.trade(trade(1).id)).toEqual({
      ...trade(1),
      state: "delivered",
      anchorTxid: "cc".repeat(32),
      updatedAt: 2_002,
    });
    await journal.desk.transition(trade(1).id, "delivered", "settled", { feeMsat: 0n }, 2_003);
    expect(await journal.desk.openTrades()).toEqual([]);
    await journal.close();
  });

  it("cancelled trades free their LV from the period's limit; settled ones keep it", async () => {
    const journal = await open();
    await journal.desk.openTrade(trade(1), 10_000n);
    await journal.desk.openTrade(trade(2), 10_000n);
    await journal.desk.transition(trade(1).id, "quoted", "cancelled", { detail: "no payment" }, 3_000);
    expect(await journal.desk.periodLv(7n)).toBe(1_000n);
    expect((await journal.desk.tradesInPeriod(7n)).map((t) => t.state)).toEqual(["cancelled", "quoted"]);
    expect((await journal.desk.openTrades()).map((t) => t.id)).toEqual([trade(2).id]);
    await journal.close();
  });

  it("keeps an unmatched deposit once, and a summary per period", async () => {
    const journal = await open();
    const deposit = {
      address: "taprt1x",
      anchor: `${"77".repeat(32)}:1`,
      amount: 5n,
      tradeId: null,
      reason: "late-deposit",
      seenAt: 9,
    };
    expect(await journal.desk.addUnmatched(deposit)).toBe(true);
    expect(await journal.desk.addUnmatched({ ...deposit, amount: 6n })).toBe(false);
    expect(await journal.desk.unmatched()).toEqual([deposit]);
    const summary = {
      period: 7n,
      trades: 2n,
      lvVolume: 2_000n,
      satsVolume: 2_100n,
      avgPremiumBps: 500n,
      tradesHash: "ab".repeat(32),
      txid: null,
      recordedAt: 10,
    };
    await journal.desk.recordSummary(summary);
    await journal.desk.recordSummary({ ...summary, txid: "dd".repeat(32), recordedAt: 11 });
    expect(await journal.desk.summaries()).toEqual([{ ...summary, txid: "dd".repeat(32), recordedAt: 11 }]);
    await journal.close();
  });
});
