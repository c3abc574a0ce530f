// lnd as the relay's LndPort, over offchain/lightning's lnd actions. This adapter only converts units and shapes,
// and maps the client layer's errors onto the relay's failures (classify.ts). Macaroon permissions: offchain:read,
// offchain:write, onchain:read, address:write, peers:write, info:read, invoices:read and invoices:write (the desk's
// hold invoices).
import type { AuthenticatedLnd } from "lightning";
import {
  addTower,
  cancelHodlInvoice,
  canonicalPolicySet,
  closeChannel,
  connectLnd,
  connectPeer,
  createAddress,
  createHodlInvoice,
  getChainBalance,
  getChannelPolicy,
  getFeeRates,
  getForwards,
  getNodeInfo,
  getPayment,
  listChannels,
  listTowers,
  lookupInvoice,
  openChannel,
  payInvoice,
  removeTower,
  scanLiquidity,
  settleHodlInvoice,
  updateChannelPolicy,
} from "../../lightning/index.ts";
import type { DaemonConnection } from "../config.ts";
import { relayCall } from "./classify.ts";
import type {
  ChannelInfo,
  ChannelPolicy,
  DeskLndPort,
  HoldInvoiceView,
  ForwardRecord,
  LndPort,
  Outpoint,
  PaymentView,
  PolicyResult,
  ScannedChannel,
  Tower,
} from "./ports.ts";

export class LightningLnd implements LndPort, DeskLndPort {
  constructor(
    private readonly lnd: AuthenticatedLnd,
    private readonly timeoutMs?: number,
  ) {}

  static connect(connection: DaemonConnection, timeoutMs?: number): LightningLnd {
    return new LightningLnd(
      connectLnd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }),
      timeoutMs,
    );
  }

  private get base() {
    return { lnd: this.lnd, ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}) };
  }

  async connectPeer(request: { pubkey: string; host: string }): Promise<void> {
    await relayCall(() => connectPeer({ ...this.base, pubkey: request.pubkey, socket: request.host }));
  }

  openChannel(request: Parameters<LndPort["openChannel"]>[0]): Promise<Outpoint> {
    return relayCall(() =>
      openChannel({
        ...this.base,
        peerPubkey: request.pubkey,
        localSats: Number(request.localSats),
        pushSats: Number(request.pushSats),
        isPrivate: request.private,
        memo: request.memo,
        baseFeeMsat: request.baseFeeMsat,
        feeRatePpm: Number(request.feePpm),
      }),
    );
  }

  async listChannels(): Promise<ChannelInfo[]> {
    const channels = await relayCall(() => listChannels(this.base));
    return channels.map((c) => ({
      state: c.state,
      outpoint: c.channel,
      chanId: c.id,
      pubkey: c.peerPubkey,
      capacitySats: BigInt(c.capacitySats),
      active: c.isActive,
      isOpener: c.isOpener,
      memo: c.memo ?? undefined,
      closingTxid: c.closingTxid ?? undefined,
    }));
  }

  async closeChannel(request: {
    outpoint: Outpoint;
    force: boolean;
    maxFeeRate: bigint;
  }): Promise<{ closingTxid: string }> {
    const closed = await relayCall(() =>
      closeChannel({
        ...this.base,
        channel: request.outpoint,
        force: request.force,
        maxFeeRate: Number(request.maxFeeRate),
      }),
    );
    return { closingTxid: closed.closingTxid };
  }

  async applyPolicy(request: Parameters<LndPort["applyPolicy"]>[0]): Promise<PolicyResult> {
    const result = await relayCall(() =>
      updateChannelPolicy({ ...this.base, target: request.target, policy: request.policy }),
    );
    return {
      applied: result.applied,
      replaced: result.replaced,
      failures: result.failures.map((f) => ({ channel: f.channel, reason: `${f.reason} ${f.error}`.trim() })),
      canonical: canonicalPolicySet(result.applied),
    };
  }

  async channelPolicies(): Promise<ChannelPolicy[]> {
    const [self, rates] = await Promise.all([
      relayCall(() => getNodeInfo(this.base)),
      relayCall(() => getFeeRates(this.base)),
    ]);
    const policies: ChannelPolicy[] = [];
    for (const rate of rates) {
      // The fee report has no CLTV delta; the channel's graph edge does (a private channel may have none yet).
      const cltvDelta = await getChannelPolicy({ ...this.base, channel: rate.channel, ownPubkey: self.pubkey }).then(
        (p) => p.cltvDelta,
        () => null,
      );
      policies.push({
        channel: rate.channel,
        baseFeeMsat: rate.baseFeeMsat,
        feeRatePpm: rate.feeRatePpm,
        cltvDelta,
        inboundBaseFeeMsat: rate.inboundBaseFeeMsat,
        inboundFeeRatePpm: rate.inboundFeeRatePpm,
      });
    }
    return policies;
  }

  async listTowers(): Promise<Tower[]> {
    return (await relayCall(() => listTowers(this.base))).map((t) => ({
      pubkey: t.pubkey,
      addresses: t.sockets,
      active: t.isActive,
    }));
  }

  async addTower(request: { pubkey: string; host: string }): Promise<void> {
    await relayCall(() => addTower({ ...this.base, pubkey: request.pubkey, socket: request.host }));
  }

  async removeTower(pubkey: string): Promise<void> {
    await relayCall(() => removeTower({ ...this.base, pubkey }));
  }

  async scanChannels(): Promise<ScannedChannel[]> {
    const scan = await relayCall(() => scanLiquidity(this.base));
    return scan.channels.map((c) => ({
      chanId: c.id,
      outpoint: c.channel,
      pubkey: c.peerPubkey,
      localSats: BigInt(c.localSats),
      remoteSats: BigInt(c.remoteSats),
      active: c.isActive,
    }));
  }

  async chainBalanceSats(): Promise<bigint> {
    return BigInt((await relayCall(() => getChainBalance(this.base))).confirmedSats);
  }

  async forwards(after: Date, before: Date): Promise<ForwardRecord[]> {
    const forwards = await relayCall(() => getForwards({ ...this.base, after, before }));
    return forwards.map((f) => ({
      at: f.at,
      incomingChannel: f.incomingChannelId,
      outgoingChannel: f.outgoingChannelId,
      feeMsat: f.feeMsat,
    }));
  }

  newAddress(): Promise<string> {
    return relayCall(() => createAddress({ ...this.base, format: "p2wpkh" }));
  }

  async createHoldInvoice(request: Parameters<DeskLndPort["createHoldInvoice"]>[0]): Promise<{ request: string }> {
    const created = await relayCall(() =>
      createHodlInvoice({
        ...this.base,
        paymentHash: request.paymentHash,
        msat: request.sats * 1000n,
        description: request.description,
        expirySeconds: request.expirySeconds,
      }),
    );
    return { request: created.request };
  }

  async holdInvoice(paymentHash: string): Promise<HoldInvoiceView> {
    const invoice = await relayCall(() => lookupInvoice({ ...this.base, paymentHash }));
    return { state: invoice.state, receivedMsat: invoice.receivedMsat };
  }

  async settleHoldInvoice(preimage: string): Promise<void> {
    await relayCall(() => settleHodlInvoice({ ...this.base, preimage }));
  }

  async cancelHoldInvoice(paymentHash: string): Promise<void> {
    await relayCall(() => cancelHodlInvoice({ ...this.base, paymentHash }));
  }

  async pay(request: { request: string; maxFeeSats: bigint }): Promise<{ preimage: string; feeMsat: bigint }> {
    const paid = await relayCall(() =>
      payInvoice({ lnd: this.lnd, request: request.request, maxFeeSats: Number(request.maxFeeSats) }),
    );
    return { preimage: paid.preimage, feeMsat: paid.feeMsat };
  }

  payment(paymentHash: string): Promise<PaymentView> {
    return relayCall(() => getPayment({ ...this.base, paymentHash }));
  }

  /** Closes the gRPC clients. */
  close(): void {
    for (const client of Object.values(this.lnd)) (client as { close?: () => void }).close?.();
  }
}
