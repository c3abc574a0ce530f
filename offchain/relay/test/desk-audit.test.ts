// The desk's audit (market/audit.ts): a period summary on-chain that differs from the journal's, one missing, and
// completed trades the daemons do not bear out, each a drift; a consistent desk none.
import { beforeEach, describe, expect, it } from "vitest";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { SqlJournal } from "../journal/sql-journal.ts";
import { auditDesk } from "../market/audit.ts";
import { sendLabel } from "../market/desk.ts";
import { summarize } from "../market/summary.ts";
import type { OnChainTradeSummary } from "../stacks/reads.ts";
import { FakeDeskLnd, FakeDeskTapd } from "./desk-fakes.ts";

let journal: SqlJournal;
let lnd: FakeDeskLnd;
let tapd: FakeDeskTapd;
const onChain = new Map<bigint, OnChainTradeSummary>();

const ID = "0".repeat(31);
async function settledBuy(): Promise<string> {
  const id = `${ID}1`;
  const paymentHash = "ab".repeat(32);
  await lnd.createHoldInvoice({ paymentHash, sats: 1_055n, description: "", expirySeconds: 60 });
  lnd.hold(paymentHash);
  lnd.invoices.get(paymentHash)!.state = "settled";
  const { anchorTxid } = await tapd.send({ address: "taprt1x", label: sendLabel(id) });
  tapd.confirmAll();
  await journal.desk.openTrade(
    {
      id,
      quoteId: "q".repeat(32),
      side: "buy",
      state: "settled",
      lv: 1_000n,
      sats: 1_055n,
      premiumBps: 500n,
      period: 3n,
      tapAddress: "taprt1x",
      invoice: "lnbcrt1",
      paymentHash,
      preimage: null,
      anchorTxid,
      feeMsat: null,
      detail: null,
      deadline: 0,
      createdAt: 1,
      updatedAt: 1,
    },
    10_000n,
  );
  return id;
}

const audit = (currentPeriod = 4n) =>
  auditDesk({
    store: journal.desk,
    daemons: { lnd, tapd },
    tradeSummary: async (p) => onChain.get(p),
    currentPeriod,
  });

beforeEach(async () => {
  journal = await openSqliteJournal(":memory:");
  lnd = new FakeDeskLnd();
  tapd = new FakeDeskTapd();
  onChain.clear();
});

describe("the desk audit", () => {
  it("a summary that matches the journal and trades the daemons bear out: no drift", async () => {
    await settledBuy();
    onChain.set(3n, summarize(3n, await journal.desk.tradesInPeriod(3n)));
    expect(await audit()).toEqual({ drifts: [], notes: [], trades: 1 });
  });

  it.each([
    { field: "trades", change: { trades: 2n } },
    { field: "trades-hash", change: { tradesHash: "00".repeat(32) } },
    { field: "sats-volume", change: { satsVolume: 1_056n } },
  ])("a summary whose $field differs is a trade-summary drift", async ({ change }) => {
    await settledBuy();
    onChain.set(3n, { ...summarize(3n, await journal.desk.tradesInPeriod(3n)), ...change });
    expect((await audit()).drifts.map((d) => [d.kind, d.subject])).toEqual([["trade-summary", "period 3"]]);
  });

  it("a complete period with no summary on-chain is trade-summary-missing; the current period is not", async () => {
    await settledBuy();
    expect((await audit(4n)).drifts.map((d) => d.kind)).toEqual(["trade-summary-missing"]);
    expect((await audit(3n)).drifts).toEqual([]);
  });

  it("a settled buy whose invoice lnd holds unsettled, and whose send is unconfirmed: two drifts", async () => {
    await settledBuy();
    onChain.set(3n, summarize(3n, await journal.desk.tradesInPeriod(3n)));
    lnd.invoices.get("ab".repeat(32))!.state = "held";
    for (const t of tapd.transfers) t.confirmed = false;
    expect((await audit()).drifts.map((d) => d.kind)).toEqual(["desk-invoice", "desk-send"]);
  });
});
