// lnd as the executor's LndPort, over the `lightning` package (DESIGN.md section 4) with the connection and error
// classification of offchain/lightning: lnd unreachable or busy is retryable; lnd refusing a request because of its
// state (unknown channel, not enough funds) is failure 409. Macaroon permissions: offchain:read/write (channels, policies), onchain:write (open,
// close), peers:write (connect), info:read (policy details), offchain:write (watchtower client).
import {
  addPeer,
  closeChannel,
  connectWatchtower,
  disconnectWatchtower,
  getChannel,
  getChannels,
  getClosedChannels,
  getConnectedWatchtowers,
  getFeeRates,
  getIdentity,
  getPendingChannels,
  openChannel,
  updateRoutingFees,
  type AuthenticatedLnd,
} from "lightning";
import { connectLnd } from "../../lightning/connection/lnd.ts";
import { fromLightningPackageError } from "../../lightning/errors.ts";
import type { DaemonConnection } from "../config.ts";
import { conflict } from "../failure.ts";
import type { ChannelPolicy, LndPort, OpenChannel, PendingChannel } from "../ports.ts";
import { relayCall } from "./classify.ts";

const call = <T>(what: string, body: () => Promise<T>): Promise<T> => relayCall(body, (error) => fromLightningPackageError(error, what));

const outpoint = (c: { transaction_id: string; transaction_vout: number }) => ({ txid: c.transaction_id, vout: c.transaction_vout });

export class LightningLnd implements LndPort {
  constructor(private readonly lnd: AuthenticatedLnd) {}

  static connect(connection: DaemonConnection): LightningLnd {
    return new LightningLnd(connectLnd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }));
  }

  async connectPeer(request: { pubkey: string; host: string }): Promise<void> {
    await call("connect peer", () => addPeer({ lnd: this.lnd, public_key: request.pubkey, socket: request.host, retry_count: 3, timeout: 10_000 }));
  }

  async openChannel(request: Parameters<LndPort["openChannel"]>[0]) {
    const opened = await call("open channel", () =>
      openChannel({
        lnd: this.lnd,
        partner_public_key: request.pubkey,
        local_tokens: Number(request.localSats),
        give_tokens: request.pushSats > 0n ? Number(request.pushSats) : undefined,
        is_private: request.private,
        description: request.memo,
        base_fee_mtokens: request.baseFeeMsat.toString(),
        fee_rate: Number(request.feePpm),
      }),
    );
    return outpoint(opened);
  }

  async listChannels(): Promise<OpenChannel[]> {
    const { channels } = await call("list channels", () => getChannels({ lnd: this.lnd }));
    return channels.map((c) => ({
      outpoint: outpoint(c),
      chanId: c.id,
      pubkey: c.partner_public_key,
      capacitySats: BigInt(c.capacity),
      localSats: BigInt(c.local_balance),
      remoteSats: BigInt(c.remote_balance),
      active: c.is_active,
      memo: (c as { description?: string }).description,
    }));
  }

  async listPendingChannels(): Promise<PendingChannel[]> {
    const { pending_channels } = await call("list pending channels", () => getPendingChannels({ lnd: this.lnd }));
    return pending_channels.map((c) => ({
      outpoint: outpoint(c),
      pubkey: c.partner_public_key,
      capacitySats: BigInt(c.capacity),
      memo: c.description,
      state: c.is_opening ? "opening" : "closing",
      closingTxid: c.close_transaction_id,
    }));
  }

  async listClosedChannels() {
    const { channels } = await call("list closed channels", () => getClosedChannels({ lnd: this.lnd }));
    return channels
      .filter((c) => c.transaction_id && c.close_transaction_id)
      .map((c) => ({ outpoint: { txid: c.transaction_id!, vout: c.transaction_vout! }, pubkey: c.partner_public_key, capacitySats: BigInt(c.capacity), closingTxid: c.close_transaction_id! }));
  }

  async closeChannel(request: Parameters<LndPort["closeChannel"]>[0]) {
    const base = { lnd: this.lnd, transaction_id: request.outpoint.txid, transaction_vout: request.outpoint.vout };
    const closed = await call("close channel", () =>
      request.force ? closeChannel({ ...base, is_force_close: true }) : closeChannel({ ...base, max_tokens_per_vbyte: Number(request.maxFeeRate), tokens_per_vbyte: Number(request.maxFeeRate) }),
    );
    return { closingTxid: closed.transaction_id };
  }

  async listPolicies(): Promise<ChannelPolicy[]> {
    const { channels } = await call("get fee rates", () => getFeeRates({ lnd: this.lnd }));
    const { public_key: self } = await call("get identity", () => getIdentity({ lnd: this.lnd }));
    const policies: ChannelPolicy[] = [];
    for (const rate of channels) {
      const graph = await call("get channel", () => getChannel({ lnd: this.lnd, id: rate.id }));
      const mine = graph.policies.find((p) => p.public_key === self);
      policies.push({
        outpoint: outpoint(rate),
        baseFeeMsat: BigInt(rate.base_fee_mtokens),
        feePpm: BigInt(rate.fee_rate),
        cltvDelta: mine?.cltv_delta ?? 80,
        inboundBaseFeeMsat: -BigInt(rate.inbound_base_discount_mtokens ?? "0"),
        inboundFeePpm: -BigInt(rate.inbound_rate_discount ?? 0),
        minHtlcMsat: BigInt(mine?.min_htlc_mtokens ?? "1000"),
        maxHtlcMsat: BigInt(mine?.max_htlc_mtokens ?? String(graph.capacity * 1000)),
      });
    }
    return policies;
  }

  async updatePolicy(policy: ChannelPolicy): Promise<void> {
    const result = await call("update routing fees", () =>
      updateRoutingFees({
        lnd: this.lnd,
        transaction_id: policy.outpoint.txid,
        transaction_vout: policy.outpoint.vout,
        base_fee_mtokens: policy.baseFeeMsat.toString(),
        fee_rate: Number(policy.feePpm),
        cltv_delta: policy.cltvDelta,
        min_htlc_mtokens: policy.minHtlcMsat.toString(),
        max_htlc_mtokens: policy.maxHtlcMsat.toString(),
        inbound_base_discount_mtokens: (-policy.inboundBaseFeeMsat).toString(),
        inbound_rate_discount: Number(-policy.inboundFeePpm),
      }),
    );
    const failure = result.failures?.[0];
    if (failure) throw conflict(`lnd refused the policy for ${failure.transaction_id}:${failure.transaction_vout}: ${failure.failure}`);
  }

  async listTowers() {
    const { towers } = await call("list watchtowers", () => getConnectedWatchtowers({ lnd: this.lnd }));
    return towers.map((t) => ({ pubkey: t.public_key, addresses: t.sockets, active: t.is_active }));
  }

  async addTower(request: { pubkey: string; host: string }): Promise<void> {
    await call("add watchtower", () => connectWatchtower({ lnd: this.lnd, public_key: request.pubkey, socket: request.host }));
  }

  async removeTower(pubkey: string): Promise<void> {
    await call("remove watchtower", () => disconnectWatchtower({ lnd: this.lnd, public_key: pubkey }));
  }
}
