// The desk's refusals: an HTTP status and a stable code (docs/market.md, "The desk API"). A refusal moves nothing:
// each is raised before any invoice, address or trade is made, or undoes what it made.

export const DESK_ERRORS = {
  /** the quote's lifetime (the pricing's quote-ttl) has passed */
  "quote-expired": 410,
  /** no quote by that id, or a quote of the other side */
  "unknown-quote": 404,
  /** no trade by that id */
  "unknown-trade": 404,
  /** the quote already opened a trade with other terms (the same request again returns that trade) */
  "quote-used": 409,
  /** the address is for another asset than the quote's LV group */
  "wrong-group-key": 400,
  /** an amount that is not the quote's: the address's LV, the invoice's sats, or a malformed `lv` */
  "wrong-amount": 400,
  /** not a BOLT 11 invoice for this network, or it expires before the deposit window ends */
  "bad-invoice": 400,
  /** not a Taproot Assets address tapd can decode */
  "bad-address": 400,
  /** over the pricing's per-trade or per-period LV limit */
  "over-limit": 403,
  /** no lv-pricing on-chain yet, or the LV asset is not known */
  "no-pricing": 409,
  /** a request body the desk cannot read */
  "bad-request": 400,
  /** a daemon the desk needs did not answer; nothing was opened */
  unavailable: 503,
} as const;
export type DeskErrorCode = keyof typeof DESK_ERRORS;

export class DeskError extends Error {
  override readonly name = "DeskError";
  readonly status: number;
  constructor(
    readonly code: DeskErrorCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.status = DESK_ERRORS[code];
  }
}
