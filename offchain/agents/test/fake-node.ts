// An in-memory robot node for the agent tests: invoices are "lnfake:<sats>:<hash>" strings, paying one settles it
// when the payee is a FakeNode on the same FakeLedger, and channel balances move by the amount and the fixed fee.
import type { RobotLightning, RobotTapd } from "../ports.ts";

export class FakeLedger {
  readonly nodes = new Map<string, FakeNode>();
  /** payments to requests no node owns (the desk's) */
  readonly external: { request: string; sats: bigint }[] = [];
  nextHash = 1;
}

export class FakeNode implements RobotLightning {
  readonly invoices = new Map<string, { sats: bigint; settled: boolean }>();
  failPayments: Error | null = null;

  constructor(
    readonly ledger: FakeLedger,
    readonly name: string,
    public outboundSats: bigint,
    public inboundSats: bigint,
    readonly feeSats = 1n,
  ) {
    ledger.nodes.set(name, this);
  }

  async createInvoice(sats: bigint) {
    const paymentHash = `${this.name}-${this.ledger.nextHash++}`;
    this.invoices.set(paymentHash, { sats, settled: false });
    return { paymentHash, request: `lnfake:${sats}:${paymentHash}`, sats };
  }

  async invoiceState(paymentHash: string) {
    const invoice = this.invoices.get(paymentHash);
    if (!invoice) throw new Error(`unknown invoice ${paymentHash}`);
    return { settled: invoice.settled, receivedSats: invoice.settled ? invoice.sats : 0n };
  }

  async invoiceAmount(request: string) {
    const match = /^lnfake:(\d+):/.exec(request);
    if (!match) throw new Error(`not a fake request: ${request}`);
    return BigInt(match[1] as string);
  }

  async pay(request: string, maxFeeSats: bigint) {
    if (this.failPayments) throw this.failPayments;
    const sats = await this.invoiceAmount(request);
    if (this.feeSats > maxFeeSats) throw new Error("fee above the cap");
    if (this.outboundSats < sats + this.feeSats) throw new Error("insufficient balance");
    const hash = request.split(":")[2] as string;
    const payee = this.ledger.nodes.get(hash.split("-")[0] as string);
    const invoice = payee?.invoices.get(hash);
    if (payee && invoice) {
      if (invoice.settled) throw new Error("invoice is already paid");
      invoice.settled = true;
      payee.outboundSats += sats;
      payee.inboundSats -= sats;
    } else {
      this.ledger.external.push({ request, sats });
    }
    this.outboundSats -= sats + this.feeSats;
    this.inboundSats += sats + this.feeSats;
    return { paymentHash: hash, sats, feeSats: this.feeSats };
  }

  async liquidity() {
    return { inboundSats: this.inboundSats, outboundSats: this.outboundSats };
  }
}

export class FakeTapd implements RobotTapd {
  readonly addresses: { groupKey: string; lv: bigint }[] = [];
  balance = 0n;

  async newAddress(groupKey: string, lv: bigint) {
    this.addresses.push({ groupKey, lv });
    return `taprt1fake${this.addresses.length}`;
  }

  async lvBalance() {
    return this.balance;
  }
}
