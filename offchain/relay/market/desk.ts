// The LV desk: quotes at the DAO's on-chain pricing, buys against a hold invoice the desk settles only once the LV's
// anchor transaction confirms, sells paid out once the seller's LV has arrived. Requests (this file) check
// everything before anything is made, and journal each trade before answering; steps.ts moves the open trades on.
// docs/market.md, "The desk", is the public description.
import { createHash, randomBytes } from "node:crypto";
import { decodePaymentRequest } from "../../lightning/requests/payment-request.ts";
import { type LiquidityView, type LvPricing, quote as priceQuote } from "../../market/pricing.ts";
import type { DeskLndPort, DeskTapdPort, LvAsset } from "../daemons/ports.ts";
import { PermanentFailure } from "../failure.ts";
import type { DeskQuote, DeskStore, DeskTrade, TradeSide } from "../journal/desk-types.ts";
import type { Logger } from "../log.ts";
import { DeskError } from "./errors.ts";

/** Where the desk reads the DAO's pricing, the liquidity snapshot it prices from, and the Stacks height. */
export interface MarketSource {
  /** `lv-ledger.get-lv-pricing`; undefined before the first lv-pricing action */
  pricing(): Promise<LvPricing | undefined>;
  /** the liquidity-oracle's latest snapshot: the node's inbound and outbound sats */
  liquidity(): Promise<LiquidityView>;
  /** the Stacks block height, which places a trade in its summary period */
  stacksHeight(): Promise<bigint>;
}

export interface DeskOptions {
  /** the `invoices` package's network name a seller's invoice must carry: "bitcoin", "testnet" or "regtest" */
  invoiceNetwork: string;
  /** seconds a seller has after the quote expires for the deposit to arrive (confirmation and proof included) */
  depositWindowSeconds: number;
  /** seconds after the HTLC is held within which the LV must be sent, else the invoice is cancelled */
  sendWindowSeconds: number;
  /** routing fee cap of a seller's payout */
  maxPayoutFeeSats: bigint;
  /** seconds a finished sell's address is still watched for deposits that match no trade */
  watchSeconds: number;
}

export const DEFAULT_DESK_OPTIONS: Omit<DeskOptions, "invoiceNetwork"> = {
  depositWindowSeconds: 900,
  sendWindowSeconds: 600,
  maxPayoutFeeSats: 1000n,
  watchSeconds: 86_400,
};

export interface DeskDeps {
  store: DeskStore;
  lnd: DeskLndPort;
  tapd: DeskTapdPort;
  lv: () => Promise<LvAsset>;
  market: MarketSource;
  log: Logger;
  options: DeskOptions;
  /** ms since the epoch */
  now?: () => number;
  randomHex?: (bytes: number) => string;
}

/** The label of a buy's LV send: tapd keeps it on the transfer, so a restarted desk finds a send it made. */
export const sendLabel = (tradeId: string): string => `lvdao-desk:${tradeId}`;

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** A decimal string of base units, as the API takes integers. */
export function parseUnits(value: unknown, what: string): bigint {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,19}$/.test(value))
    throw new DeskError("wrong-amount", `${what} must be a positive integer as a decimal string`);
  return BigInt(value);
}

export class Desk {
  readonly now: () => number;
  private readonly randomHex: (bytes: number) => string;

  constructor(readonly deps: DeskDeps) {
    this.now = deps.now ?? Date.now;
    this.randomHex = deps.randomHex ?? ((n) => randomBytes(n).toString("hex"));
  }

  private async pricing(): Promise<LvPricing> {
    const pricing = await this.deps.market.pricing();
    if (!pricing) throw new DeskError("no-pricing", "the DAO has set no lv-pricing yet");
    return pricing;
  }

  /** The LV group key (or asset id of an ungrouped LV) that quotes and addresses must name. */
  async lvKey(): Promise<string> {
    const lv = await this.deps.lv();
    const key = lv.groupKey ?? lv.assetId;
    if (!key) throw new DeskError("no-pricing", "the LV asset is not known yet (no mint journaled, no lv.asset_id)");
    return key;
  }

  async period(pricing: LvPricing): Promise<bigint> {
    return (await this.deps.market.stacksHeight()) / pricing.period;
  }

  /** What `GET /market/pricing` shows: the pricing and the snapshot a quote now would use. */
  async view(): Promise<{ pricing: LvPricing | undefined; liquidity: LiquidityView; groupKey: string | null }> {
    const [pricing, liquidity, lv] = await Promise.all([
      this.deps.market.pricing(),
      this.deps.market.liquidity(),
      this.deps.lv(),
    ]);
    return { pricing, liquidity, groupKey: lv.groupKey ?? lv.assetId ?? null };
  }

  async quote(side: unknown, lvText: unknown): Promise<DeskQuote> {
    if (side !== "buy" && side !== "sell") throw new DeskError("bad-request", 'side must be "buy" or "sell"');
    const lv = parseUnits(lvText, "lv");
    const pricing = await this.pricing();
    const groupKey = await this.lvKey();
    if (lv > pricing.maxTradeLv)
      throw new DeskError("over-limit", `${lv} LV is over the per-trade limit of ${pricing.maxTradeLv}`);
    const period = await this.period(pricing);
    const used = await this.deps.store.periodLv(period);
    if (used + lv > pricing.maxPeriodLv)
      throw new DeskError(
        "over-limit",
        `${lv} LV would take period ${period} to ${used + lv}, over its limit of ${pricing.maxPeriodLv}`,
      );
    const priced = priceQuote(pricing, await this.deps.market.liquidity(), side, lv);
    const now = this.now();
    const quote: DeskQuote = {
      id: this.randomHex(16),
      side,
      lv,
      sats: priced.sats,
      premiumBps: priced.premiumBps,
      inboundBps: priced.inboundBps,
      groupKey,
      expiresAt: seconds(now) + Number(pricing.quoteTtl),
      createdAt: now,
    };
    await this.deps.store.addQuote(quote);
    return quote;
  }

  /** The quote by id, for `side`, unexpired; or the trade it already opened (`existing`). */
  private async usableQuote(id: unknown, side: TradeSide): Promise<{ quote: DeskQuote; existing?: DeskTrade }> {
    if (typeof id !== "string" || !/^[0-9a-f]{32}$/.test(id))
      throw new DeskError("unknown-quote", "quoteId must be a quote id (32 hex characters)");
    const quote = await this.deps.store.quote(id);
    if (!quote || quote.side !== side)
      throw new DeskError("unknown-quote", `no ${side} quote ${id}${quote ? ` (it is a ${quote.side} quote)` : ""}`);
    const existing = await this.deps.store.tradeByQuote(id);
    if (existing) return { quote, existing };
    if (seconds(this.now()) >= quote.expiresAt)
      throw new DeskError("quote-expired", `quote ${id} expired at ${quote.expiresAt} (unix seconds)`);
    const lvKey = await this.lvKey();
    if (quote.groupKey !== lvKey)
      throw new DeskError("wrong-group-key", `quote ${id} is for ${quote.groupKey}, the desk trades LV ${lvKey}`);
    return { quote };
  }

  private async open(trade: DeskTrade, undo: () => Promise<void>): Promise<DeskTrade> {
    const pricing = await this.pricing();
    const opened = await this.deps.store.openTrade(trade, pricing.maxPeriodLv);
    if (opened.outcome === "created") {
      this.deps.log.info("desk trade opened", { trade: trade.id, side: trade.side, lv: trade.lv, sats: trade.sats });
      return opened.trade;
    }
    await undo();
    if (opened.outcome === "over-limit")
      throw new DeskError(
        "over-limit",
        `period ${trade.period} already has ${opened.periodLv} LV traded; ` +
          `${trade.lv} more is over ${pricing.maxPeriodLv}`,
      );
    return this.sameTerms(opened.trade, trade.side === "buy" ? trade.tapAddress : trade.invoice);
  }

  /** A repeated request returns its trade; another request on a used quote is refused. */
  private sameTerms(existing: DeskTrade, asked: string): DeskTrade {
    const given = existing.side === "buy" ? existing.tapAddress : existing.invoice;
    if (given !== asked)
      throw new DeskError("quote-used", `quote ${existing.quoteId} already opened trade ${existing.id}`);
    return existing;
  }

  async buy(quoteId: unknown, tapAddress: unknown): Promise<DeskTrade> {
    const { quote, existing } = await this.usableQuote(quoteId, "buy");
    if (typeof tapAddress !== "string" || !/^tap(rt|tb)?1[02-9ac-hj-np-z]{20,1000}$/.test(tapAddress))
      throw new DeskError("bad-address", "tapAddress must be a Taproot Assets address (tap..., bech32)");
    if (existing) return this.sameTerms(existing, tapAddress);
    const decoded = await this.deps.tapd.decodeAddress(tapAddress).catch((error: unknown) => {
      if (error instanceof PermanentFailure)
        throw new DeskError("bad-address", `tapd cannot decode it: ${error.reason}`);
      throw new DeskError("unavailable", `tapd did not answer: ${(error as Error).message}`);
    });
    const asset = decoded.groupKey ?? decoded.assetId;
    if (asset !== quote.groupKey)
      throw new DeskError("wrong-group-key", `the address is for ${asset}, the quote for LV ${quote.groupKey}`);
    if (decoded.amount !== quote.lv)
      throw new DeskError("wrong-amount", `the address asks for ${decoded.amount} LV, the quote is for ${quote.lv}`);
    const pricing = await this.pricing();
    const preimage = this.randomHex(32);
    const paymentHash = createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex");
    const now = this.now();
    const deadline = Math.max(quote.expiresAt, seconds(now) + 60);
    const tradeId = this.randomHex(16);
    const invoice = await this.deps.lnd
      .createHoldInvoice({
        paymentHash,
        sats: quote.sats,
        description: `lvdao desk: buy ${quote.lv} LV, trade ${tradeId}`,
        expirySeconds: deadline - seconds(now),
      })
      .catch((error: unknown) => {
        throw new DeskError("unavailable", `lnd did not make the invoice: ${(error as Error).message}`);
      });
    return this.open(
      {
        id: tradeId,
        quoteId: quote.id,
        side: "buy",
        state: "quoted",
        lv: quote.lv,
        sats: quote.sats,
        premiumBps: quote.premiumBps,
        period: await this.period(pricing),
        tapAddress,
        invoice: invoice.request,
        paymentHash,
        preimage,
        anchorTxid: null,
        feeMsat: null,
        detail: null,
        deadline,
        createdAt: now,
        updatedAt: now,
      },
      () => this.deps.lnd.cancelHoldInvoice(paymentHash).catch(() => undefined),
    );
  }

  async sell(quoteId: unknown, invoice: unknown): Promise<DeskTrade> {
    const { quote, existing } = await this.usableQuote(quoteId, "sell");
    if (typeof invoice !== "string") throw new DeskError("bad-invoice", "invoice must be a BOLT 11 payment request");
    if (existing) return this.sameTerms(existing, invoice);
    let decoded: ReturnType<typeof decodePaymentRequest>;
    try {
      decoded = decodePaymentRequest(invoice);
    } catch (error) {
      throw new DeskError("bad-invoice", (error as { reason?: string }).reason ?? (error as Error).message);
    }
    if (decoded.network !== this.deps.options.invoiceNetwork)
      throw new DeskError(
        "bad-invoice",
        `the invoice is for ${decoded.network}, the desk pays on ${this.deps.options.invoiceNetwork}`,
      );
    if (decoded.msat !== quote.sats * 1000n)
      throw new DeskError(
        "wrong-amount",
        `the invoice asks for ${decoded.msat} msat, the quote pays ${quote.sats * 1000n}`,
      );
    const now = this.now();
    const deadline = quote.expiresAt + this.deps.options.depositWindowSeconds;
    if (seconds(decoded.expiresAt.getTime()) < deadline)
      throw new DeskError(
        "bad-invoice",
        `the invoice expires at ${seconds(decoded.expiresAt.getTime())}, before the deposit window ends at ${deadline}`,
      );
    const pricing = await this.pricing();
    const address = await this.deps.tapd.newLvAddress(await this.deps.lv(), quote.lv).catch((error: unknown) => {
      throw new DeskError("unavailable", `tapd did not make the deposit address: ${(error as Error).message}`);
    });
    return this.open(
      {
        id: this.randomHex(16),
        quoteId: quote.id,
        side: "sell",
        state: "quoted",
        lv: quote.lv,
        sats: quote.sats,
        premiumBps: quote.premiumBps,
        period: await this.period(pricing),
        tapAddress: address,
        invoice,
        paymentHash: decoded.paymentHash,
        preimage: null,
        anchorTxid: null,
        feeMsat: null,
        detail: null,
        deadline,
        createdAt: now,
        updatedAt: now,
      },
      async () => undefined,
    );
  }

  async trade(id: unknown): Promise<DeskTrade> {
    const trade = typeof id === "string" ? await this.deps.store.trade(id) : undefined;
    if (!trade) throw new DeskError("unknown-trade", `no trade ${String(id)}`);
    return trade;
  }
}
