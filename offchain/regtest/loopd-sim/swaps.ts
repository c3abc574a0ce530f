// The simulated swap server and the client's swap execution, moving real money between two lnd nodes: the client
// (`dao`, whose loopd this stands in for) and the server (`peer`, standing in for Lightning Labs' swap server).
//
// Loop Out: the client pays the server's prepay and swap invoices (amount + swap fee, under its routing-fee caps);
// the server then pays the amount less the quoted sweep fee on chain to the destination (HTLC_PUBLISHED); once that
// transaction has the required confirmations the swap is SUCCESS. Loop In: the client pays the amount on chain to a
// server address (HTLC_PUBLISHED); once confirmed, the server pays the client's invoice for the amount less the swap
// fee (SUCCESS). A step that fails undoes what the server received (cancelled invoices, refund payments, an on-chain
// refund) and the swap is FAILED with loopd's failure reason. The HTLC and its sweep are collapsed into the one
// on-chain payment: there is no hash-locked script on chain, which is the simulator's main simplification.
import type { AuthenticatedLnd } from "lightning";
import {
  cancelInvoice,
  estimateSend,
  newAddress,
  newInvoice,
  payRequest,
  send,
  walletTransaction,
  type Invoice,
} from "./lnd-ops.ts";
import {
  checkLabel,
  checkLoopInCaps,
  checkLoopOutCaps,
  loopInPrice,
  loopOutPrice,
  type LoopOutCaps,
  type SwapPricing,
} from "./pricing.ts";
import { invalid, LoopRpcError, type FailureReason, type SwapRecord, type SwapState, type SwapType } from "./wire.ts";

export interface LoopOutRequest extends LoopOutCaps {
  amountSats: number;
  dest: string;
  maxSwapRoutingFeeSats: number;
  maxPrepayRoutingFeeSats: number;
  /** lnd's "123x4x0" form. */
  outgoingChanSet: string[];
  sweepConfTarget: number;
  label: string;
}

export interface LoopInRequest {
  amountSats: number;
  maxSwapFeeSats: number;
  maxMinerFeeSats: number;
  /** Hex pubkey, or "" for any. */
  lastHop: string;
  htlcConfTarget: number;
  label: string;
}

export interface SwapFilter {
  type?: SwapType;
  pendingOnly?: boolean;
  label?: string;
  outgoingChanSet?: string[];
  lastHop?: string;
  startTimestampMs?: number;
  max?: number;
}

export interface SwapEngineOptions {
  /** The client's lnd (the DAO's node). */
  client: AuthenticatedLnd;
  /** The server's lnd (the routing peer). */
  server: AuthenticatedLnd;
  pricing: SwapPricing;
  /** Confirmations of the on-chain payment before a swap completes. */
  confirmations: number;
  pollMs: number;
  log: (line: string) => void;
}

const REGTEST_SEGWIT = /^bcrt1[02-9ac-hj-np-z]{8,87}$/;

export class SwapEngine {
  readonly swaps = new Map<string, SwapRecord>();
  private readonly workers = new Set<Promise<void>>();
  private quoteAddress: Promise<string> | null = null;
  private stopped = false;
  private lastUpdate = 0;

  constructor(private readonly options: SwapEngineOptions) {}

  /** The server's own address, used only to ask its wallet for a fee rate. */
  private serverQuoteAddress(): Promise<string> {
    this.quoteAddress ??= newAddress(this.options.server).catch((error) => {
      this.quoteAddress = null;
      throw error;
    });
    return this.quoteAddress;
  }

  private async sweepFeeRate(amountSats: number, confTarget: number): Promise<number> {
    try {
      return (await estimateSend(this.options.server, await this.serverQuoteAddress(), amountSats, confTarget))
        .satPerVbyte;
    } catch (error) {
      throw new LoopRpcError(`swap server cannot estimate on-chain fees: ${(error as Error).message}`);
    }
  }

  async loopOutQuote(amountSats: number, confTarget: number) {
    const rate = await this.sweepFeeRate(amountSats, confTarget);
    return loopOutPrice(this.options.pricing, amountSats, rate);
  }

  /** The Loop In price and the client's HTLC fee estimate; -1 when its wallet cannot fund the HTLC (loopd's signal). */
  async loopInQuote(amountSats: number, confTarget: number): Promise<{ swapFeeSats: number; publishFeeSats: number }> {
    const price = loopInPrice(this.options.pricing, amountSats);
    try {
      const estimate = await estimateSend(this.options.client, await this.serverQuoteAddress(), amountSats, confTarget);
      return { swapFeeSats: price.swapFeeSats, publishFeeSats: estimate.feeSats };
    } catch (error) {
      if (/insufficient|not enough/i.test((error as Error).message))
        return { swapFeeSats: price.swapFeeSats, publishFeeSats: -1 };
      throw new LoopRpcError(`cannot estimate the htlc publication fee: ${(error as Error).message}`);
    }
  }

  async startLoopOut(request: LoopOutRequest): Promise<SwapRecord> {
    this.refuseWhenStopped();
    checkLabel(request.label);
    if (!REGTEST_SEGWIT.test(request.dest))
      throw invalid(`dest address ${request.dest} is not a segwit address on regtest`);
    const rate = await this.sweepFeeRate(request.amountSats, request.sweepConfTarget);
    const price = loopOutPrice(this.options.pricing, request.amountSats, rate);
    checkLoopOutCaps(price, request);
    const server = this.options.server;
    const swapInvoice = await newInvoice(
      server,
      price.swapInvoiceSats,
      `loop out ${request.amountSats} sat (lvdao loop simulator)`,
    );
    const prepayInvoice = await newInvoice(
      server,
      price.prepaySats,
      `loop out prepay ${swapInvoice.id.slice(0, 16)} (lvdao loop simulator)`,
    );
    const swap = this.record(swapInvoice.id, "LOOP_OUT", request.amountSats, request.dest, request.label, {
      outgoingChanSet: request.outgoingChanSet,
    });
    this.run(swap, () => this.executeLoopOut(swap, request, price, rate, swapInvoice, prepayInvoice));
    return swap;
  }

  private async executeLoopOut(
    swap: SwapRecord,
    request: LoopOutRequest,
    price: ReturnType<typeof loopOutPrice>,
    rate: number,
    swapInvoice: Invoice,
    prepayInvoice: Invoice,
  ) {
    const { client, server } = this.options;
    const channels = request.outgoingChanSet;
    try {
      const prepay = await payRequest(client, prepayInvoice.request, {
        maxFeeSats: request.maxPrepayRoutingFeeSats,
        outgoingChannels: channels,
      });
      swap.costOffchainMsat += prepay.feeMsat;
    } catch (error) {
      await this.quietly(() => cancelInvoice(server, swapInvoice.id), swap, "cancel the swap invoice");
      await this.quietly(() => cancelInvoice(server, prepayInvoice.id), swap, "cancel the prepay invoice");
      return this.fail(swap, "FAILURE_REASON_OFFCHAIN", `prepay payment failed: ${(error as Error).message}`);
    }
    try {
      const paid = await payRequest(client, swapInvoice.request, {
        maxFeeSats: request.maxSwapRoutingFeeSats,
        outgoingChannels: channels,
      });
      swap.costOffchainMsat += paid.feeMsat;
    } catch (error) {
      await this.quietly(() => cancelInvoice(server, swapInvoice.id), swap, "cancel the swap invoice");
      await this.refundOffchain(swap, price.prepaySats);
      return this.fail(swap, "FAILURE_REASON_OFFCHAIN", `swap payment failed: ${(error as Error).message}`);
    }
    let txid: string;
    try {
      txid = await send(
        server,
        request.dest,
        request.amountSats - price.sweepFeeSats,
        rate,
        `lvdao loop simulator: loop out ${swap.id.slice(0, 16)}`,
      );
    } catch (error) {
      await this.refundOffchain(swap, price.swapInvoiceSats + price.prepaySats);
      return this.fail(
        swap,
        "FAILURE_REASON_TEMPORARY",
        `server could not publish on chain: ${(error as Error).message}`,
      );
    }
    swap.htlcTxid = txid;
    this.advance(swap, "HTLC_PUBLISHED");
    if (!(await this.confirmed(server, txid))) return;
    swap.costServerSats = price.swapFeeSats;
    swap.costOnchainSats = price.sweepFeeSats;
    this.advance(swap, "SUCCESS");
  }

  async startLoopIn(request: LoopInRequest): Promise<SwapRecord> {
    this.refuseWhenStopped();
    checkLabel(request.label);
    const price = loopInPrice(this.options.pricing, request.amountSats);
    const { client, server } = this.options;
    const htlcAddress = await newAddress(server);
    let estimate: Awaited<ReturnType<typeof estimateSend>>;
    try {
      estimate = await estimateSend(client, htlcAddress, request.amountSats, request.htlcConfTarget);
    } catch (error) {
      throw new LoopRpcError(`cannot fund the htlc: ${(error as Error).message}`);
    }
    checkLoopInCaps(price, estimate.feeSats, request);
    const invoice = await newInvoice(
      client,
      price.invoiceSats,
      `loop in ${request.amountSats} sat (lvdao loop simulator)`,
    );
    const swap = this.record(invoice.id, "LOOP_IN", request.amountSats, htlcAddress, request.label, {
      lastHop: request.lastHop,
    });
    this.run(swap, () => this.executeLoopIn(swap, request, price, estimate.satPerVbyte, invoice));
    return swap;
  }

  private async executeLoopIn(
    swap: SwapRecord,
    request: LoopInRequest,
    price: ReturnType<typeof loopInPrice>,
    rate: number,
    invoice: Invoice,
  ) {
    const { client, server } = this.options;
    let txid: string;
    try {
      txid = await send(
        client,
        swap.htlcAddress,
        request.amountSats,
        rate,
        `lvdao loop simulator: loop in htlc ${swap.id.slice(0, 16)}`,
      );
    } catch (error) {
      await this.quietly(() => cancelInvoice(client, invoice.id), swap, "cancel the swap invoice");
      const reason = /insufficient|not enough/i.test((error as Error).message)
        ? "FAILURE_REASON_INSUFFICIENT_CONFIRMED_BALANCE"
        : "FAILURE_REASON_TEMPORARY";
      return this.fail(swap, reason, `htlc publication failed: ${(error as Error).message}`);
    }
    swap.htlcTxid = txid;
    this.advance(swap, "HTLC_PUBLISHED");
    if (!(await this.confirmed(client, txid))) return;
    swap.costOnchainSats = (await walletTransaction(client, txid))?.feeSats ?? 0;
    try {
      await payRequest(server, invoice.request, {
        maxFeeSats: Math.ceil(price.invoiceSats / 100) + 10,
        ...(request.lastHop ? { lastHop: request.lastHop } : {}),
      });
    } catch (error) {
      // The HTLC would time out and the client sweep it back; here the server returns the amount on chain.
      await this.quietly(
        async () =>
          send(
            server,
            await newAddress(client),
            request.amountSats,
            rate,
            `lvdao loop simulator: loop in refund ${swap.id.slice(0, 16)}`,
          ),
        swap,
        "refund on chain",
      );
      await this.quietly(() => cancelInvoice(client, invoice.id), swap, "cancel the swap invoice");
      return this.fail(
        swap,
        "FAILURE_REASON_TIMEOUT",
        `server could not pay the swap invoice: ${(error as Error).message}`,
      );
    }
    swap.costServerSats = price.swapFeeSats;
    this.advance(swap, "SUCCESS");
  }

  list(filter: SwapFilter = {}): SwapRecord[] {
    const matches = [...this.swaps.values()]
      .filter((swap) => filter.type === undefined || swap.type === filter.type)
      .filter((swap) => !filter.pendingOnly || (swap.state !== "SUCCESS" && swap.state !== "FAILED"))
      .filter((swap) => !filter.label || swap.label === filter.label)
      .filter((swap) => !filter.lastHop || swap.lastHop === filter.lastHop)
      .filter(
        (swap) =>
          !filter.outgoingChanSet?.length || filter.outgoingChanSet.every((id) => swap.outgoingChanSet.includes(id)),
      )
      .filter((swap) => !filter.startTimestampMs || swap.initiatedAtMs >= filter.startTimestampMs)
      .sort((a, b) => a.initiatedAtMs - b.initiatedAtMs);
    return filter.max ? matches.slice(0, filter.max) : matches;
  }

  get(id: string): SwapRecord {
    const swap = this.swaps.get(id);
    if (!swap) throw new LoopRpcError(`swap with hash ${id} not found`, 5);
    return swap;
  }

  /** Stops the workers at their next step; swaps in flight stay in the state they reached. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.workers]);
  }

  private refuseWhenStopped() {
    if (this.stopped) throw new LoopRpcError("loop simulator is shutting down", 14);
  }

  private now(): number {
    this.lastUpdate = Math.max(Date.now(), this.lastUpdate + 1);
    return this.lastUpdate;
  }

  private record(
    id: string,
    type: SwapType,
    amountSats: number,
    htlcAddress: string,
    label: string,
    extra: { outgoingChanSet?: string[]; lastHop?: string },
  ): SwapRecord {
    const at = this.now();
    const swap: SwapRecord = {
      id,
      type,
      state: "INITIATED",
      failureReason: "FAILURE_REASON_NONE",
      amountSats,
      initiatedAtMs: at,
      updatedAtMs: at,
      htlcAddress,
      htlcTxid: null,
      costServerSats: 0,
      costOnchainSats: 0,
      costOffchainMsat: 0n,
      lastHop: extra.lastHop ?? "",
      outgoingChanSet: extra.outgoingChanSet ?? [],
      label,
    };
    this.swaps.set(id, swap);
    this.options.log(`${type} ${id.slice(0, 16)} ${amountSats} sat INITIATED${label ? ` (${label})` : ""}`);
    return swap;
  }

  private run(swap: SwapRecord, work: () => Promise<void>) {
    const worker = work().catch((error) => this.fail(swap, "FAILURE_REASON_TEMPORARY", (error as Error).message));
    this.workers.add(worker);
    void worker.finally(() => this.workers.delete(worker));
  }

  private advance(swap: SwapRecord, state: SwapState) {
    swap.state = state;
    swap.updatedAtMs = this.now();
    this.options.log(`${swap.type} ${swap.id.slice(0, 16)} ${state}${swap.htlcTxid ? ` (tx ${swap.htlcTxid})` : ""}`);
  }

  private fail(swap: SwapRecord, reason: FailureReason, message: string) {
    swap.failureReason = reason;
    this.advance(swap, "FAILED");
    this.options.log(`${swap.type} ${swap.id.slice(0, 16)} failed: ${message}`);
  }

  /** Waits for `txid` to reach the required confirmations in `lnd`'s wallet; false if the engine stopped first. */
  private async confirmed(lnd: AuthenticatedLnd, txid: string): Promise<boolean> {
    while (!this.stopped) {
      const tx = await walletTransaction(lnd, txid).catch(() => null);
      if (tx && tx.confirmations >= this.options.confirmations) return true;
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
    return false;
  }

  /** The server pays back `sats` it received off chain, through a fresh invoice on the client. */
  private async refundOffchain(swap: SwapRecord, sats: number) {
    await this.quietly(
      async () => {
        const invoice = await newInvoice(this.options.client, sats, `loop simulator refund ${swap.id.slice(0, 16)}`);
        await payRequest(this.options.server, invoice.request, { maxFeeSats: Math.ceil(sats / 100) + 10 });
      },
      swap,
      `refund ${sats} sat off chain`,
    );
  }

  private async quietly(work: () => Promise<unknown>, swap: SwapRecord, what: string) {
    try {
      await work();
    } catch (error) {
      this.options.log(`${swap.type} ${swap.id.slice(0, 16)}: could not ${what}: ${(error as Error).message}`);
    }
  }
}
