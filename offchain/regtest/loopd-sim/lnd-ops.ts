// The lnd calls the swap simulator makes on the client's node (`dao`) and the server's node (`peer`). Through
// offchain/lightning's actions where they fit; the `lightning` package directly where they do not (fee estimates,
// chain transactions, invoice cancellation, paying through a chosen last hop), with errors classified the same way.
import { cancelHodlInvoice, getChainFeeEstimate, getChainTransactions, pay, type AuthenticatedLnd } from "lightning";
import { createAddress, createInvoice, sendCoins } from "../../lightning/index.ts";
import { viaLightning } from "../../lightning/lnd/call.ts";

export interface Invoice {
  id: string;
  request: string;
}

export interface Paid {
  feeMsat: bigint;
}

export const newAddress = (lnd: AuthenticatedLnd) => createAddress({ lnd, format: "p2tr" });

export async function newInvoice(lnd: AuthenticatedLnd, sats: number, description: string): Promise<Invoice> {
  const invoice = await createInvoice({ lnd, msat: BigInt(sats) * 1000n, description: description.slice(0, 600) });
  return { id: invoice.paymentHash, request: invoice.request };
}

export async function cancelInvoice(lnd: AuthenticatedLnd, id: string): Promise<void> {
  await viaLightning("cancelInvoice", () => cancelHodlInvoice({ lnd, id }));
}

export async function payRequest(
  lnd: AuthenticatedLnd,
  request: string,
  options: { maxFeeSats: number; outgoingChannels?: string[]; lastHop?: string },
): Promise<Paid> {
  const paid = await viaLightning(
    "pay",
    () =>
      pay({
        lnd,
        request,
        max_fee: options.maxFeeSats,
        ...(options.outgoingChannels?.length ? { outgoing_channels: options.outgoingChannels } : {}),
        ...(options.lastHop ? { incoming_peer: options.lastHop } : {}),
      }),
    { timeoutMs: 120_000 },
  );
  return { feeMsat: BigInt(paid.fee_mtokens) };
}

/** What lnd's wallet would pay to send `sats` to `address` now: the fee and the rate it used. */
export async function estimateSend(
  lnd: AuthenticatedLnd,
  address: string,
  sats: number,
  confTarget: number,
): Promise<{ feeSats: number; satPerVbyte: number }> {
  const estimate = await viaLightning("estimateFee", () =>
    getChainFeeEstimate({ lnd, send_to: [{ address, tokens: sats }], target_confirmations: confTarget }),
  );
  return { feeSats: estimate.fee, satPerVbyte: Math.max(1, estimate.tokens_per_vbyte) };
}

export async function send(
  lnd: AuthenticatedLnd,
  address: string,
  sats: number,
  satPerVbyte: number,
  label: string,
): Promise<string> {
  const { txid } = await sendCoins({
    lnd,
    address,
    sats,
    label: label.slice(0, 500),
    feeRate: Math.max(1, Math.ceil(satPerVbyte)),
  });
  return txid;
}

/** A wallet transaction's confirmations and the fee lnd's wallet paid for it (null until the wallet knows it). */
export async function walletTransaction(
  lnd: AuthenticatedLnd,
  txid: string,
): Promise<{ confirmations: number; feeSats: number } | null> {
  const { transactions } = await viaLightning("getChainTransactions", () => getChainTransactions({ lnd }));
  const tx = transactions.find((candidate) => candidate.id === txid);
  return tx ? { confirmations: tx.confirmation_count ?? 0, feeSats: tx.fee ?? 0 } : null;
}
