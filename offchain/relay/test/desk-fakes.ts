// Fakes of the LV desk's collaborators (lnd's hold invoices and payments, the desk's tapd, the chain's pricing), for
// the desk's state-machine tests: each keeps what was asked of it, so a test can say exactly what moved.
import { createHash, randomBytes } from "node:crypto";
import type {
  AssetTransfer,
  AssetView,
  DecodedAssetAddress,
  DeskLndPort,
  DeskTapdPort,
  HoldInvoiceView,
  LvAsset,
  PaymentView,
  ReceiptView,
} from "../daemons/ports.ts";
import { conflict, RetryableFailure } from "../failure.ts";
import type { LiquidityView, LvPricing } from "../../market/pricing.ts";
import { encodePaymentRequest, newKeyPair } from "../../regtest/lnd-tapd-sim/keys.ts";

export const LV_GROUP = `02${"ab".repeat(32)}`;
export const OTHER_GROUP = `03${"cd".repeat(32)}`;

export const PRICING: LvPricing = {
  referenceMsat: 1000n,
  spreadBps: 100n,
  targetInboundBps: 5000n,
  premiumSlopeBps: 100n,
  maxPremiumBps: 500n,
  quoteTtl: 60n,
  maxTradeLv: 10_000n,
  maxPeriodLv: 25_000n,
  period: 100n,
};

export class FakeMarket {
  pricingNow: LvPricing | undefined = PRICING;
  liquidityNow: LiquidityView = { inboundSats: 3_000_000n, outboundSats: 7_000_000n };
  height = 1_234n;
  async pricing() {
    return this.pricingNow;
  }
  async liquidity() {
    return this.liquidityNow;
  }
  async stacksHeight() {
    return this.height;
  }
}

export class FakeDeskLnd implements DeskLndPort {
  readonly invoices = new Map<string, HoldInvoiceView & { sats: bigint; request: string }>();
  readonly settled: string[] = [];
  readonly cancelled: string[] = [];
  readonly paid: string[] = [];
  readonly payments = new Map<string, PaymentView>();
  payFailure: Error | undefined;

  async createHoldInvoice(r: { paymentHash: string; sats: bigint; description: string; expirySeconds: number }) {
    const request = `lnbcrt-fake-${r.paymentHash}`;
    this.invoices.set(r.paymentHash, { state: "open", receivedMsat: 0n, sats: r.sats, request });
    return { request };
  }
  /** The buyer pays: lnd holds the HTLC. */
  hold(paymentHash: string): void {
    const invoice = this.invoices.get(paymentHash);
    if (!invoice) throw new Error(`no invoice ${paymentHash}`);
    invoice.state = "held";
    invoice.receivedMsat = invoice.sats * 1000n;
  }
  async holdInvoice(paymentHash: string): Promise<HoldInvoiceView> {
    const invoice = this.invoices.get(paymentHash);
    if (!invoice) throw conflict("unable to locate invoice");
    return { state: invoice.state, receivedMsat: invoice.receivedMsat };
  }
  async settleHoldInvoice(preimage: string) {
    const hash = createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex");
    const invoice = this.invoices.get(hash);
    if (invoice?.state !== "held") throw conflict("invoice is not held");
    invoice.state = "settled";
    this.settled.push(hash);
  }
  async cancelHoldInvoice(paymentHash: string) {
    const invoice = this.invoices.get(paymentHash);
    if (!invoice) throw conflict("unable to locate invoice");
    if (invoice.state === "settled") throw conflict("invoice already settled");
    invoice.state = "canceled";
    invoice.receivedMsat = 0n;
    this.cancelled.push(paymentHash);
  }
  async pay(r: { request: string; maxFeeSats: bigint }) {
    if (this.payFailure) throw this.payFailure;
    this.paid.push(r.request);
    return { preimage: "11".repeat(32), feeMsat: 2_000n };
  }
  async payment(paymentHash: string): Promise<PaymentView> {
    return this.payments.get(paymentHash) ?? { state: "unknown" };
  }
}

export class FakeDeskTapd implements DeskTapdPort {
  readonly addresses = new Map<string, DecodedAssetAddress>();
  readonly sends: { address: string; label: string }[] = [];
  readonly transfers: AssetTransfer[] = [];
  readonly receiptsByAddress = new Map<string, ReceiptView[]>();
  readonly made: { address: string; amount: bigint }[] = [];
  sendFailure: Error | undefined;

  /** An address tapd would decode: for `groupKey`, asking `amount`. */
  address(groupKey: string, amount: bigint): string {
    const address = `taprt1${Buffer.from(randomBytes(30))
      .toString("hex")
      .replace(/[^02-9ac-hj-np-z]/g, "q")}`;
    this.addresses.set(address, { groupKey, assetId: "ee".repeat(32), amount });
    return address;
  }
  async decodeAddress(address: string): Promise<DecodedAssetAddress> {
    const decoded = this.addresses.get(address);
    if (!decoded) throw conflict("invalid address: checksum failed");
    return decoded;
  }
  async newLvAddress(lv: LvAsset, amount: bigint): Promise<string> {
    const address = this.address(lv.groupKey ?? "", amount);
    this.made.push({ address, amount });
    return address;
  }
  async send(request: { address: string; label: string }) {
    if (this.sendFailure) throw this.sendFailure;
    this.sends.push(request);
    const anchorTxid = createHash("sha256").update(request.label).digest("hex");
    this.transfers.push({ label: request.label, anchorTxid, confirmed: false });
    return { anchorTxid };
  }
  confirmAll(): void {
    for (const t of this.transfers) t.confirmed = true;
  }
  /** LV arrives on an address: a completed receipt. */
  receive(address: string, amount: bigint, vout = 0): ReceiptView {
    const receipt: ReceiptView = {
      address,
      status: "completed",
      anchor: { txid: "77".repeat(32), vout },
      amount,
      confirmationHeight: 150,
    };
    this.receiptsByAddress.set(address, [...(this.receiptsByAddress.get(address) ?? []), receipt]);
    return receipt;
  }
  async listTransfers() {
    return this.transfers.map((t) => ({ ...t }));
  }
  async receipts(address: string) {
    return this.receiptsByAddress.get(address) ?? [];
  }
  async mint(): Promise<AssetView> {
    throw new Error("the desk never mints");
  }
  async assets(): Promise<AssetView[]> {
    return [];
  }
  async lvBalance() {
    return 0n;
  }
  async blockHeight() {
    return 150;
  }
}

export { RetryableFailure };

/** A real BOLT 11 request on regtest, as a seller's wallet would give one. */
export async function sellerInvoice(args: { sats: bigint; expirySeconds: number; createdAt: Date }): Promise<{
  request: string;
  paymentHash: string;
}> {
  const paymentHash = randomBytes(32).toString("hex");
  const request = await encodePaymentRequest({
    destination: newKeyPair(),
    paymentHash,
    paymentSecret: randomBytes(32).toString("hex"),
    mtokens: args.sats * 1000n,
    description: "sell LV",
    createdAt: args.createdAt,
    expirySeconds: args.expirySeconds,
    cltvDelta: 40,
  });
  return { request, paymentHash };
}
