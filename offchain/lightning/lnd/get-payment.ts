// getPayment: an outgoing payment's state by its hash, so a payer that lost track (a crash mid-payment) learns whether
// it went through before paying again. Requires `offchain:read`.
import { getPayment as lndGetPayment, type AuthenticatedLnd, type GetPaymentResult } from "lightning";
import { LightningError } from "../errors.ts";
import { AnswerReader, Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

export type PaymentState =
  | { state: "succeeded"; preimage: string; feeMsat: bigint }
  | { state: "pending" | "failed" | "unknown" };

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getPaymentRpc: readonly string[] = ["/routerrpc.Router/TrackPaymentV2"];

export async function getPayment(
  args: { lnd: AuthenticatedLnd; paymentHash: string } & LndCallOptions,
): Promise<PaymentState> {
  const id = new Checker("lnd", "getPayment").hex("paymentHash", args.paymentHash, 32);
  let answer: GetPaymentResult;
  try {
    answer = await viaLightning("getPayment", () => lndGetPayment({ lnd: args.lnd, id }), args);
  } catch (error) {
    if (error instanceof LightningError && error.code === "NOT_FOUND") return { state: "unknown" };
    throw error;
  }
  const r = new AnswerReader("lnd", "getPayment");
  if (answer.is_confirmed && answer.payment)
    return {
      state: "succeeded",
      preimage: r.hexOf(answer.payment.secret, 32, "secret"),
      feeMsat: r.amount(answer.payment.fee_mtokens, "fee_mtokens"),
    };
  return { state: answer.is_failed ? "failed" : "pending" };
}
