// Reads a BOLT 11 payment request offline (the `invoices` package, which `lightning` itself uses), so a caller can
// check amount, network and expiry before asking lnd to pay it.
import { parsePaymentRequest } from "invoices";
import { LightningError } from "../errors.ts";

export interface PaymentRequest {
  paymentHash: string;
  destination: string;
  /** 0n for a request without an amount */
  msat: bigint;
  network: string;
  expiresAt: Date;
  description: string;
}

/** The request decoded, or a LightningError INVALID_ARGUMENT naming why not. */
export function decodePaymentRequest(request: string): PaymentRequest {
  const fail = (reason: string): never => {
    throw new LightningError("INVALID_ARGUMENT", reason, "lnd", "decodePaymentRequest");
  };
  if (typeof request !== "string" || request.length === 0 || request.length > 7089)
    fail("request must be a BOLT 11 payment request of at most 7089 characters");
  if (!/^ln(bc|tb|bcrt|tbs)/i.test(request)) fail("request must be a BOLT 11 payment request (ln...)");
  let decoded: ReturnType<typeof parsePaymentRequest>;
  try {
    decoded = parsePaymentRequest({ request });
  } catch (error) {
    return fail(`request is not a valid BOLT 11 payment request: ${(error as Error).message}`);
  }
  return {
    paymentHash: decoded.id,
    destination: decoded.destination,
    msat: decoded.mtokens ? BigInt(decoded.mtokens) : 0n,
    network: decoded.network,
    expiresAt: new Date(decoded.expires_at),
    description: decoded.description ?? "",
  };
}
