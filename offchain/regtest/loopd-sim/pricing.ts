// The simulated swap server's terms and prices: amount limits, CLTV deltas, a swap fee in ppm of the amount, and
// the Loop Out prepay. Pure: quotes are computed here from the amount and an on-chain fee, and the same functions
// decide at swap time whether the client's caps cover the price, so a swap is always charged exactly as quoted.
import { invalid } from "./wire.ts";

export interface SwapPricing {
  loopOut: {
    minSats: number;
    maxSats: number;
    minCltvDelta: number;
    maxCltvDelta: number;
    cltvDelta: number;
    feePpm: number;
    prepaySats: number;
  };
  loopIn: { minSats: number; maxSats: number; cltvDelta: number; feePpm: number };
  /** Virtual size of the Loop Out sweep the client would publish (a P2WSH HTLC success spend to one output). */
  sweepVbytes: number;
  /** Default confirmation targets when a quote does not give one (loopd's defaults). */
  loopOutConfTarget: number;
  loopInConfTarget: number;
}

/** Close to Lightning Labs' server on mainnet: 250k sat minimum, a 1337 sat prepay, fees of a few tenths of a percent. */
export const DEFAULT_PRICING: SwapPricing = {
  loopOut: {
    minSats: 250_000,
    maxSats: 5_000_000,
    minCltvDelta: 20,
    maxCltvDelta: 200,
    cltvDelta: 80,
    feePpm: 2_500,
    prepaySats: 1_337,
  },
  loopIn: { minSats: 250_000, maxSats: 5_000_000, cltvDelta: 1_000, feePpm: 1_000 },
  sweepVbytes: 152,
  loopOutConfTarget: 9,
  loopInConfTarget: 6,
};

/** The server's fee for `amountSats` at `ppm`, rounded up to a whole sat. */
export const swapFee = (amountSats: number, ppm: number) =>
  Number((BigInt(amountSats) * BigInt(ppm) + 999_999n) / 1_000_000n);

export function checkAmount(kind: "loopOut" | "loopIn", pricing: SwapPricing, amountSats: number): void {
  const { minSats, maxSats } = pricing[kind];
  if (amountSats < minSats) throw invalid(`swap amount too low, min: ${minSats}`);
  if (amountSats > maxSats) throw invalid(`swap amount too high, max: ${maxSats}`);
}

export interface LoopOutPrice {
  swapFeeSats: number;
  prepaySats: number;
  sweepFeeSats: number;
  /** The swap invoice: the amount plus the fee, less the prepay (loopd pays the two invoices together). */
  swapInvoiceSats: number;
}

export function loopOutPrice(pricing: SwapPricing, amountSats: number, feeRateSatPerVbyte: number): LoopOutPrice {
  checkAmount("loopOut", pricing, amountSats);
  const swapFeeSats = swapFee(amountSats, pricing.loopOut.feePpm);
  const prepaySats = Math.min(pricing.loopOut.prepaySats, amountSats);
  const sweepFeeSats = Math.ceil(feeRateSatPerVbyte * pricing.sweepVbytes);
  return { swapFeeSats, prepaySats, sweepFeeSats, swapInvoiceSats: amountSats + swapFeeSats - prepaySats };
}

export interface LoopOutCaps {
  maxSwapFeeSats: number;
  maxPrepaySats: number;
  maxMinerFeeSats: number;
}

/** loopd's own checks on a Loop Out's caps, with its error texts. */
export function checkLoopOutCaps(price: LoopOutPrice, caps: LoopOutCaps): void {
  if (price.swapFeeSats > caps.maxSwapFeeSats)
    throw invalid(`swap fee too high: ${price.swapFeeSats} sat quoted, max_swap_fee is ${caps.maxSwapFeeSats}`);
  if (price.prepaySats > caps.maxPrepaySats)
    throw invalid(`prepay amount too high: ${price.prepaySats} sat quoted, max_prepay_amt is ${caps.maxPrepaySats}`);
  if (price.sweepFeeSats > caps.maxMinerFeeSats)
    throw invalid(
      `miner fee too high: sweep estimated at ${price.sweepFeeSats} sat, max_miner_fee is ${caps.maxMinerFeeSats}`,
    );
  if (price.sweepFeeSats >= price.swapInvoiceSats + price.prepaySats - price.swapFeeSats)
    throw invalid("swap amount does not cover the sweep fee");
}

export interface LoopInPrice {
  swapFeeSats: number;
  /** What the server pays the client's invoice: the amount less the swap fee. */
  invoiceSats: number;
}

export function loopInPrice(pricing: SwapPricing, amountSats: number): LoopInPrice {
  checkAmount("loopIn", pricing, amountSats);
  const swapFeeSats = swapFee(amountSats, pricing.loopIn.feePpm);
  return { swapFeeSats, invoiceSats: amountSats - swapFeeSats };
}

export function checkLoopInCaps(
  price: LoopInPrice,
  publishFeeSats: number,
  caps: { maxSwapFeeSats: number; maxMinerFeeSats: number },
): void {
  if (price.swapFeeSats > caps.maxSwapFeeSats)
    throw invalid(`swap fee too high: ${price.swapFeeSats} sat quoted, max_swap_fee is ${caps.maxSwapFeeSats}`);
  if (publishFeeSats > caps.maxMinerFeeSats)
    throw invalid(
      `miner fee too high: htlc estimated at ${publishFeeSats} sat, max_miner_fee is ${caps.maxMinerFeeSats}`,
    );
}

/** loopd's label rules: at most 500 characters, and not its own reserved prefix. */
export function checkLabel(label: string): void {
  if (label.length > 500) throw invalid("label exceeds maximum length of 500 characters");
  if (label.startsWith("[reserved]")) throw invalid("label contains reserved prefix [reserved]");
}
