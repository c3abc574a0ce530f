// Moves the desk's open trades on, one step per call, each step journaled (a compare-and-set on the trade's state)
// before the daemon call it stands for, so after a crash a trade resumes where the journal says and no send, settle
// or payout runs twice:
//   buy  quoted -> held       lnd holds the buyer's HTLC
//        held -> sending      journaled, then the LV send labelled `lvdao-desk:<trade>`
//        sending -> delivered the send's anchor txid (after a crash: tapd's transfer with that label, else send again)
//        delivered -> settled the anchor confirmed: the hold invoice is settled with the preimage
//        -> cancelled         no HTLC by the deadline, a refused send, or no send within the send window: the hold
//                             invoice is cancelled first, so the buyer's HTLC returns
//   sell quoted -> held       the deposit address received the quoted LV (tapd's receipt completed)
//        held -> sending      journaled, then the seller's invoice paid (lnd pays one hash once)
//        sending -> paid      the payment succeeded
//        -> cancelled         no deposit by the deadline (a late one is kept as unmatched)
//        -> failed            the payout could not be made before the invoice expired: the deposit stays with the
//                             desk and is listed as unmatched
import { decodePaymentRequest } from "../../lightning/requests/payment-request.ts";
import { PermanentFailure } from "../failure.ts";
import type { DeskTrade, TradeState } from "../journal/desk-types.ts";
import { type Desk, sendLabel } from "./desk.ts";

const seconds = (ms: number): number => Math.floor(ms / 1000);
const message = (error: unknown): string =>
  error instanceof PermanentFailure ? error.reason : error instanceof Error ? error.message : String(error);

export class DeskSteps {
  /** trades a step is running for in this process, so a slow step is not started twice */
  private readonly running = new Set<string>();

  constructor(private readonly desk: Desk) {}

  private get deps() {
    return this.desk.deps;
  }

  private move(trade: DeskTrade, to: TradeState, patch: Parameters<Desk["deps"]["store"]["transition"]>[3] = {}) {
    this.deps.log.info("desk trade moved", { trade: trade.id, from: trade.state, to, ...patch, preimage: undefined });
    return this.deps.store.transition(trade.id, trade.state, to, patch, this.desk.now());
  }

  /** One step of every open trade, then the late-deposit watch; errors are logged and retried next time. */
  async advanceAll(): Promise<void> {
    for (const trade of await this.deps.store.openTrades()) await this.advance(trade);
    await this.watchDeposits().catch((error) =>
      this.deps.log.warn("desk deposit watch failed", { error: message(error) }),
    );
  }

  async advance(trade: DeskTrade): Promise<void> {
    if (this.running.has(trade.id)) return;
    this.running.add(trade.id);
    try {
      if (trade.side === "buy") await this.buyStep(trade);
      else await this.sellStep(trade);
    } catch (error) {
      this.deps.log.warn("desk trade step failed; retrying", {
        trade: trade.id,
        state: trade.state,
        error: message(error),
      });
    } finally {
      this.running.delete(trade.id);
    }
  }

  private async cancelBuy(trade: DeskTrade, detail: string): Promise<void> {
    await this.deps.lnd.cancelHoldInvoice(trade.paymentHash);
    await this.move(trade, "cancelled", { detail });
  }

  private async buyStep(trade: DeskTrade): Promise<void> {
    const now = seconds(this.desk.now());
    const { lnd, tapd } = this.deps;
    switch (trade.state) {
      case "quoted": {
        const invoice = await lnd.holdInvoice(trade.paymentHash);
        if (invoice.state === "held") await this.move(trade, "held");
        else if (invoice.state === "canceled")
          await this.move(trade, "cancelled", { detail: "lnd cancelled the invoice" });
        else if (now >= trade.deadline) await this.cancelBuy(trade, "no payment before the invoice expired");
        return;
      }
      case "held": {
        if (now >= trade.deadline + this.deps.options.sendWindowSeconds)
          return this.cancelBuy(trade, "the LV was not sent within the send window");
        if (!(await this.stillHeld(trade))) return;
        if (!(await this.move(trade, "sending"))) return;
        return this.send({ ...trade, state: "sending" });
      }
      case "sending": {
        // A restarted desk: tapd keeps the label, so a send that went through before the crash is found, not repeated.
        const sent = (await tapd.listTransfers()).find((t) => t.label === sendLabel(trade.id));
        if (sent) {
          await this.move(trade, "delivered", { anchorTxid: sent.anchorTxid });
          return;
        }
        if (now >= trade.deadline + this.deps.options.sendWindowSeconds)
          return this.cancelBuy(trade, "the LV was not sent within the send window");
        if (!(await this.stillHeld(trade))) return;
        return this.send(trade);
      }
      case "delivered": {
        const transfer = (await tapd.listTransfers()).find((t) => t.label === sendLabel(trade.id));
        if (!transfer?.confirmed) return;
        await lnd.settleHoldInvoice(trade.preimage ?? "");
        await this.move(trade, "settled");
        return;
      }
      default:
        return;
    }
  }

  /** LV goes out only against an HTLC lnd still holds (lnd cancels one whose expiry comes too close). */
  private async stillHeld(trade: DeskTrade): Promise<boolean> {
    const invoice = await this.deps.lnd.holdInvoice(trade.paymentHash);
    if (invoice.state === "held") return true;
    await this.move(trade, "cancelled", { detail: `the invoice is ${invoice.state}, no longer held: nothing sent` });
    return false;
  }

  private async send(trade: DeskTrade): Promise<void> {
    try {
      const sent = await this.deps.tapd.send({ address: trade.tapAddress, label: sendLabel(trade.id) });
      await this.move(trade, "delivered", { anchorTxid: sent.anchorTxid });
    } catch (error) {
      // A refused send (no LV left, an address tapd will not pay) ends the trade; anything else is tried again.
      if (error instanceof PermanentFailure) await this.cancelBuy(trade, `tapd refused the send: ${error.reason}`);
      else throw error;
    }
  }

  private async sellStep(trade: DeskTrade): Promise<void> {
    const now = seconds(this.desk.now());
    const { lnd, tapd } = this.deps;
    switch (trade.state) {
      case "quoted": {
        const receipts = await tapd.receipts(trade.tapAddress);
        const done = receipts.find((r) => r.status === "completed" && r.amount === trade.lv);
        if (done) {
          await this.move(trade, "held", { anchorTxid: `${done.anchor.txid}:${done.anchor.vout}` });
          return;
        }
        // A deposit seen on-chain but not yet proven is waited for, even past the deadline.
        if (receipts.length === 0 && now >= trade.deadline)
          await this.move(trade, "cancelled", { detail: "no deposit before the deadline" });
        return;
      }
      case "held": {
        if (!(await this.move(trade, "sending"))) return;
        return this.pay({ ...trade, state: "sending" });
      }
      case "sending": {
        const payment = await lnd.payment(trade.paymentHash);
        if (payment.state === "succeeded") {
          await this.move(trade, "paid", { feeMsat: payment.feeMsat });
          return;
        }
        if (payment.state === "pending") return;
        return this.pay(trade);
      }
      default:
        return;
    }
  }

  private async pay(trade: DeskTrade): Promise<void> {
    try {
      const paid = await this.deps.lnd.pay({ request: trade.invoice, maxFeeSats: this.deps.options.maxPayoutFeeSats });
      await this.move(trade, "paid", { feeMsat: paid.feeMsat });
    } catch (error) {
      const expired = (await this.invoiceExpired(trade)) || error instanceof PermanentFailure;
      if (!expired) throw error;
      // lnd may still have the payment in flight; only a payment lnd calls failed (or never saw) is given up.
      const payment = await this.deps.lnd.payment(trade.paymentHash);
      if (payment.state === "succeeded") {
        await this.move(trade, "paid", { feeMsat: payment.feeMsat });
        return;
      }
      if (payment.state === "pending") return;
      if (await this.move(trade, "failed", { detail: `payout failed: ${message(error)}` }))
        await this.deps.store.addUnmatched({
          address: trade.tapAddress,
          anchor: trade.anchorTxid ?? "",
          amount: trade.lv,
          tradeId: trade.id,
          reason: "payout-failed",
          seenAt: this.desk.now(),
        });
    }
  }

  private async invoiceExpired(trade: DeskTrade): Promise<boolean> {
    return decodePaymentRequest(trade.invoice).expiresAt.getTime() <= this.desk.now();
  }

  /**
   * A deposit address of a sell that is over (cancelled, paid, failed) may still receive LV: a late deposit, or a
   * second one. It is kept: listed as unmatched with the trade it arrived for, never lost and never paid twice.
   */
  async watchDeposits(): Promise<void> {
    const since = this.desk.now() - this.deps.options.watchSeconds * 1000;
    for (const trade of await this.deps.store.watchedSells(since)) {
      const matched = trade.state === "paid" || trade.state === "failed" ? trade.anchorTxid : null;
      for (const receipt of await this.deps.tapd.receipts(trade.tapAddress)) {
        if (receipt.status !== "completed") continue;
        const anchor = `${receipt.anchor.txid}:${receipt.anchor.vout}`;
        if (anchor === matched) continue;
        const added = await this.deps.store.addUnmatched({
          address: trade.tapAddress,
          anchor,
          amount: receipt.amount,
          tradeId: trade.id,
          reason: trade.state === "cancelled" ? "late-deposit" : "extra-deposit",
          seenAt: this.desk.now(),
        });
        if (added)
          this.deps.log.warn("desk kept a deposit that matches no trade", {
            trade: trade.id,
            anchor,
            lv: receipt.amount,
          });
      }
    }
  }
}
