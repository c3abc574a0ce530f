// A robot: sells one service for sats on its own node, pays other robots for theirs, and converts revenue to LV at
// the DAO's desk when its revenue policy says so (policy.ts). A conversion is quote -> fit the LV amount to the
// budget -> a tapd address for exactly that LV -> buy (the desk answers with a hold invoice) -> check the invoice
// asks for the quoted sats -> pay it -> wait for the trade to settle (the desk settles only once the LV transfer
// confirms, so a settled trade means the LV is on its way to this robot's address). `run` ticks until `stop`.
import { AgentError } from "./errors.ts";
import { checkPolicy, decide, lvForBudget, refit, type PolicyDecision, type RevenuePolicy } from "./policy.ts";
import type { DeskPort, DeskQuote, Invoice, Payment, RobotLightning, RobotTapd, TradeState } from "./ports.ts";

export interface RobotOptions {
  name: string;
  /** what one unit of this robot's service costs */
  priceSats: bigint;
  policy: RevenuePolicy;
  lightning: RobotLightning;
  tapd: RobotTapd;
  desk: DeskPort;
  /** LV asked for in the first quote of a conversion, to learn the rate */
  probeLv: bigint;
  /** routing fee cap per payment */
  maxFeeSats: bigint;
  /** how often `run` ticks */
  tickMs?: number;
  tradePollMs?: number;
  tradeTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RobotStats {
  /** units of service sold (invoices settled) and the sats they brought */
  sold: number;
  revenueSats: bigint;
  /** units bought from other robots, the sats paid and the routing fees */
  bought: number;
  spentSats: bigint;
  feesSats: bigint;
  /** desk conversions: count, sats paid for LV (routing fees in feesSats), LV bought */
  conversions: number;
  convertedSats: bigint;
  lvBought: bigint;
  /** failed conversions and payments, by AgentError code or "payment" */
  failures: Record<string, number>;
  lastDecision: PolicyDecision | null;
}

export type ConversionOutcome =
  | { converted: true; trigger: "revenue" | "inbound"; tradeId: string; lv: bigint; sats: bigint; premiumBps: bigint }
  | { converted: false; decision: PolicyDecision };

const FINAL_OK: readonly TradeState[] = ["settled"];
const FINAL_FAILED: readonly TradeState[] = ["cancelled", "refunded", "failed"];

export class Robot {
  readonly name: string;
  readonly stats: RobotStats = {
    sold: 0,
    revenueSats: 0n,
    bought: 0,
    spentSats: 0n,
    feesSats: 0n,
    conversions: 0,
    convertedSats: 0n,
    lvBought: 0n,
    failures: {},
    lastDecision: null,
  };
  private readonly openOffers = new Map<string, Invoice>();
  private readonly stopper = new AbortController();
  private converting: Promise<ConversionOutcome> | null = null;
  private readonly o: Required<Omit<RobotOptions, "now" | "sleep">> & Pick<RobotOptions, "now" | "sleep">;

  constructor(options: RobotOptions) {
    if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(options.name))
      throw new AgentError(
        "invalid-config",
        `robot name must be 1-32 of a-z 0-9 -, got ${JSON.stringify(options.name)}`,
      );
    for (const field of ["priceSats", "probeLv"] as const) {
      if (typeof options[field] !== "bigint" || options[field] < 1n)
        throw new AgentError("invalid-config", `${field} must be a positive integer (bigint)`);
    }
    if (typeof options.maxFeeSats !== "bigint" || options.maxFeeSats < 0n)
      throw new AgentError("invalid-config", "maxFeeSats must be a non-negative integer (bigint)");
    checkPolicy(options.policy);
    this.name = options.name;
    this.o = { tickMs: 1000, tradePollMs: 200, tradeTimeoutMs: 60_000, ...options };
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /** Revenue earned and not yet converted to LV. */
  get unconvertedSats(): bigint {
    return this.stats.revenueSats - this.stats.convertedSats;
  }

  /** An invoice for one unit of this robot's service. */
  async offer(memo = `${this.name}: one unit of service`): Promise<Invoice> {
    this.assertRunning();
    const invoice = await this.o.lightning.createInvoice(this.o.priceSats, memo);
    if (invoice.sats !== this.o.priceSats)
      throw new AgentError("invalid-config", `lnd made an invoice for ${invoice.sats} sats, asked ${this.o.priceSats}`);
    this.openOffers.set(invoice.paymentHash, invoice);
    return invoice;
  }

  /** Counts the offers paid since the last call; returns the sats they brought. */
  async collect(): Promise<bigint> {
    let collected = 0n;
    for (const [hash, invoice] of [...this.openOffers]) {
      const state = await this.o.lightning.invoiceState(hash);
      if (!state.settled) continue;
      this.openOffers.delete(hash);
      if (state.receivedSats < invoice.sats)
        throw new AgentError("invalid-config", `invoice ${hash} settled for ${state.receivedSats} < ${invoice.sats}`);
      this.stats.sold += 1;
      this.stats.revenueSats += state.receivedSats;
      collected += state.receivedSats;
    }
    return collected;
  }

  /** Buys one unit of another robot's service: asks it for an invoice and pays it. */
  async buyFrom(seller: Pick<Robot, "offer">): Promise<Payment> {
    this.assertRunning();
    const invoice = await seller.offer();
    const asked = await this.o.lightning.invoiceAmount(invoice.request);
    if (asked !== invoice.sats)
      throw new AgentError("invoice-mismatch", `the seller's invoice asks ${asked} sats, it offered ${invoice.sats}`);
    try {
      const paid = await this.o.lightning.pay(invoice.request, this.o.maxFeeSats);
      this.stats.bought += 1;
      this.stats.spentSats += paid.sats;
      this.stats.feesSats += paid.feeSats;
      return paid;
    } catch (error) {
      this.count("payment");
      throw error;
    }
  }

  /** Applies the policy once; at most one conversion runs at a time (a second call joins the running one). */
  convertIfDue(): Promise<ConversionOutcome> {
    if (!this.converting) {
      this.converting = this.convert().finally(() => {
        this.converting = null;
      });
    }
    return this.converting;
  }

  /** collect, then convertIfDue; errors are counted and returned, not thrown, so `run` keeps going. */
  async tick(): Promise<ConversionOutcome | AgentError | Error> {
    try {
      await this.collect();
      return await this.convertIfDue();
    } catch (error) {
      // Being stopped mid-tick is how a run ends, not a failure.
      if (error instanceof AgentError && error.code !== "stopped") this.count(error.code);
      return error as Error;
    }
  }

  /** Ticks every tickMs until stop(); resolves once the tick in progress has finished. */
  async run(onTick?: (outcome: Awaited<ReturnType<Robot["tick"]>>) => void): Promise<void> {
    while (!this.stopped) {
      const outcome = await this.tick();
      onTick?.(outcome);
      await this.sleep(this.o.tickMs).catch(() => undefined);
    }
  }

  /** Stops ticking and new offers or purchases; a conversion already paying is waited for, never abandoned. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.converting?.catch(() => undefined);
  }

  private async convert(): Promise<ConversionOutcome> {
    const liquidity = await this.o.lightning.liquidity();
    const decision = decide(this.o.policy, { ...liquidity, unconvertedSats: this.unconvertedSats });
    this.stats.lastDecision = decision;
    if (!decision.convert) return { converted: false, decision };
    this.assertRunning();
    const quote = await this.fittedQuote(decision.budgetSats);
    const address = await this.o.tapd.newAddress(quote.groupKey, quote.lv);
    const { tradeId, invoice } = await this.o.desk.buy(quote.quoteId, address);
    const asked = await this.o.lightning.invoiceAmount(invoice);
    if (asked !== quote.sats)
      throw new AgentError("invoice-mismatch", `trade ${tradeId}: invoice asks ${asked} sats, quote ${quote.sats}`);
    // From here the sats may move: the payment is not abandoned on stop, and its outcome is what counts.
    const paid = await this.o.lightning.pay(invoice, this.o.maxFeeSats).catch((error: Error) => {
      throw new AgentError("trade-failed", `trade ${tradeId}: the payment failed (${error.message})`);
    });
    this.stats.feesSats += paid.feeSats;
    const state = await this.awaitTrade(tradeId);
    if (!FINAL_OK.includes(state)) throw new AgentError("trade-failed", `trade ${tradeId} ended ${state}`);
    this.stats.conversions += 1;
    this.stats.convertedSats += quote.sats;
    this.stats.lvBought += quote.lv;
    return {
      converted: true,
      trigger: decision.trigger,
      tradeId,
      lv: quote.lv,
      sats: quote.sats,
      premiumBps: quote.premiumBps,
    };
  }

  /** A buy quote for as much LV as the budget pays for; `over-budget` if even refitting twice cannot get under. */
  private async fittedQuote(budgetSats: bigint): Promise<DeskQuote> {
    const probe = await this.o.desk.quote("buy", this.o.probeLv);
    let lv = lvForBudget(budgetSats, probe);
    for (let attempt = 0; attempt < 3 && lv > 0n; attempt += 1) {
      const quote = lv === probe.lv ? probe : await this.o.desk.quote("buy", lv);
      if (quote.sats <= budgetSats) return quote;
      lv = refit(budgetSats, quote);
    }
    throw new AgentError("over-budget", `no LV amount fits ${budgetSats} sats at the desk's price`);
  }

  private async awaitTrade(tradeId: string): Promise<TradeState> {
    const now = this.o.now ?? Date.now;
    const deadline = now() + this.o.tradeTimeoutMs;
    for (;;) {
      const trade = await this.o.desk.trade(tradeId);
      if (FINAL_OK.includes(trade.state) || FINAL_FAILED.includes(trade.state)) return trade.state;
      if (now() >= deadline) throw new AgentError("trade-timeout", `trade ${tradeId} still ${trade.state}`);
      // Not the stop signal: a paid trade is followed to its end even while stopping.
      await (this.o.sleep ?? sleep)(this.o.tradePollMs, new AbortController().signal);
    }
  }

  private sleep(ms: number): Promise<void> {
    return (this.o.sleep ?? sleep)(ms, this.stopper.signal);
  }

  private assertRunning(): void {
    if (this.stopped) throw new AgentError("stopped", `robot ${this.name} is stopped`);
  }

  private count(code: string): void {
    this.stats.failures[code] = (this.stats.failures[code] ?? 0) + 1;
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AgentError("stopped", "stopped"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AgentError("stopped", "stopped"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
