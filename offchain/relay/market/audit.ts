// The desk's part of `lvdao audit`: every period summary on-chain against the one the desk journal recomputes, and
// every completed trade against the daemons (a settled buy's hold invoice and labelled send, a paid sell's deposit
// and payout). docs/market.md, "Auditing the desk", is the same check by hand.
import type { DeskLndPort, DeskTapdPort } from "../daemons/ports.ts";
import type { DeskStore } from "../journal/desk-types.ts";
import type { OnChainTradeSummary } from "../stacks/reads.ts";
import { sendLabel } from "./desk.ts";
import { summarize } from "./summary.ts";

export type DeskDriftKind =
  | "trade-summary"
  | "trade-summary-missing"
  | "desk-invoice"
  | "desk-send"
  | "desk-deposit"
  | "desk-payout";

export interface DeskDrift {
  kind: DeskDriftKind;
  subject: string;
  expected: string;
  actual: string;
}

export interface DeskAuditSources {
  store: DeskStore;
  /** unbound (no lnd or no operations tapd in the config): the trades are not checked against the daemons */
  daemons: { lnd: DeskLndPort; tapd: DeskTapdPort } | undefined;
  tradeSummary(period: bigint): Promise<OnChainTradeSummary | undefined>;
  /** the first period not yet complete on-chain */
  currentPeriod: bigint | undefined;
}

const figures = (s: OnChainTradeSummary | undefined): string =>
  s
    ? `${s.trades} trades, ${s.lvVolume} LV, ${s.satsVolume} sats, avg premium ${s.avgPremiumBps} bps, ` +
      `hash ${s.tradesHash}`
    : "none";

export async function auditDesk(
  o: DeskAuditSources,
): Promise<{ drifts: DeskDrift[]; notes: string[]; trades: number }> {
  const drifts: DeskDrift[] = [];
  const notes: string[] = [];
  let checked = 0;
  for (const period of await o.store.periodsWithTrades()) {
    const trades = await o.store.tradesInPeriod(period);
    const fromJournal = summarize(period, trades);
    const onChain = await o.tradeSummary(period);
    const complete = o.currentPeriod !== undefined && period < o.currentPeriod;
    if (onChain) {
      if (figures(onChain) !== figures(fromJournal))
        drifts.push({
          kind: "trade-summary",
          subject: `period ${period}`,
          expected: `${figures(fromJournal)} (the desk journal)`,
          actual: `${figures(onChain)} (lv-ledger)`,
        });
    } else if (complete && fromJournal.trades > 0n) {
      const open = trades.filter((t) => !["settled", "cancelled", "paid", "refunded", "failed"].includes(t.state));
      if (open.length > 0) notes.push(`period ${period}: ${open.length} trade(s) still open; not recorded yet`);
      else
        drifts.push({
          kind: "trade-summary-missing",
          subject: `period ${period}`,
          expected: figures(fromJournal),
          actual: "no summary on-chain",
        });
    }
    if (!o.daemons) continue;
    for (const trade of trades) {
      if (trade.state === "settled") {
        checked++;
        const invoice = await o.daemons.lnd.holdInvoice(trade.paymentHash);
        if (invoice.state !== "settled" || invoice.receivedMsat < trade.sats * 1000n)
          drifts.push({
            kind: "desk-invoice",
            subject: `trade ${trade.id}`,
            expected: `hold invoice settled for ${trade.sats * 1000n} msat`,
            actual: `${invoice.state}, ${invoice.receivedMsat} msat received`,
          });
        const sent = (await o.daemons.tapd.listTransfers()).find((t) => t.label === sendLabel(trade.id));
        if (!sent?.confirmed || sent.anchorTxid !== trade.anchorTxid)
          drifts.push({
            kind: "desk-send",
            subject: `trade ${trade.id}`,
            expected: `a confirmed transfer labelled ${sendLabel(trade.id)} anchored in ${trade.anchorTxid}`,
            actual: sent ? `anchor ${sent.anchorTxid}, ${sent.confirmed ? "confirmed" : "unconfirmed"}` : "none",
          });
      } else if (trade.state === "paid") {
        checked++;
        const receipts = await o.daemons.tapd.receipts(trade.tapAddress);
        const deposit = receipts.find(
          (r) => r.status === "completed" && `${r.anchor.txid}:${r.anchor.vout}` === trade.anchorTxid,
        );
        if (!deposit || deposit.amount !== trade.lv)
          drifts.push({
            kind: "desk-deposit",
            subject: `trade ${trade.id}`,
            expected: `${trade.lv} LV received at ${trade.anchorTxid}`,
            actual: deposit ? `${deposit.amount} LV` : "no completed receipt",
          });
        const payment = await o.daemons.lnd.payment(trade.paymentHash);
        if (payment.state !== "succeeded")
          drifts.push({
            kind: "desk-payout",
            subject: `trade ${trade.id}`,
            expected: `the seller's invoice paid (${trade.sats} sats)`,
            actual: payment.state,
          });
      }
    }
  }
  const unmatched = await o.store.unmatched();
  if (unmatched.length > 0)
    notes.push(
      `desk: ${unmatched.length} unmatched deposit(s), ${unmatched.reduce((s, u) => s + u.amount, 0n)} LV kept ` +
        `(${unmatched.map((u) => `${u.reason} ${u.anchor}`).join(", ")})`,
    );
  if (!o.daemons) notes.push("desk: lnd or the operations wallet's tapd not configured; trades not checked");
  return { drifts, notes, trades: checked };
}
