// Pure mappers for lnd's node-level answers: identity, peers, balances, forwards, watchtowers, invoices, payments.
import type {
  CreateInvoiceResult,
  GetChannelBalanceResult,
  GetConnectedWatchTowersResult,
  GetForwardsResult,
  GetInvoiceResult,
  GetPeersResult,
  GetTowerServerInfoResult,
  GetWalletInfoResult,
  PayResult,
} from "lightning";
import { AnswerReader } from "../validation.ts";

export interface NodeInfo {
  pubkey: string;
  alias: string;
  version: string;
  blockHeight: number;
  blockHash: string;
  isSyncedToChain: boolean;
  activeChannels: number;
  pendingChannels: number;
  peers: number;
}

export interface PeerInfo {
  pubkey: string;
  socket: string;
  isInbound: boolean;
}

export interface ChainBalance {
  confirmedSats: number;
  unconfirmedSats: number;
}

export interface ChannelBalance {
  localSats: number;
  localMsat: bigint;
  remoteSats: number;
  remoteMsat: bigint;
  pendingLocalSats: number;
  pendingRemoteSats: number;
}

export interface Forward {
  at: Date;
  incomingChannelId: string;
  outgoingChannelId: string;
  outgoingMsat: bigint;
  feeMsat: bigint;
}

export interface Tower {
  pubkey: string;
  sockets: string[];
  isActive: boolean;
  sessions: number;
}

export interface TowerServer {
  pubkey: string;
  sockets: string[];
  uris: string[];
}

export interface CreatedInvoice {
  paymentHash: string;
  request: string;
  msat: bigint;
  createdAt: Date;
}

export interface InvoiceStatus {
  paymentHash: string;
  state: "open" | "held" | "settled" | "canceled";
  msat: bigint;
  receivedMsat: bigint;
  settledAt: Date | null;
  request: string | null;
}

export interface PaymentResult {
  paymentHash: string;
  preimage: string;
  msat: bigint;
  feeMsat: bigint;
  hops: number;
  settledAt: Date;
}

const read = (action: string) => new AnswerReader("lnd", action);

function date(r: AnswerReader, value: unknown, what: string): Date {
  const parsed = new Date(r.string(value, what));
  if (Number.isNaN(parsed.getTime())) r.fail(`expected ${what} to be an ISO date`);
  return parsed;
}

export function nodeInfoFromLnd(answer: GetWalletInfoResult, action = "getNodeInfo"): NodeInfo {
  const r = read(action);
  r.object(answer, "wallet info");
  return {
    pubkey: r.pubkey(answer.public_key, "public_key"),
    alias: r.string(answer.alias, "alias"),
    version: r.string(answer.version, "version"),
    blockHeight: r.count(answer.current_block_height, "current_block_height"),
    blockHash: r.string(answer.current_block_hash, "current_block_hash"),
    isSyncedToChain: r.boolean(answer.is_synced_to_chain, "is_synced_to_chain"),
    activeChannels: r.count(answer.active_channels_count, "active_channels_count"),
    pendingChannels: r.count(answer.pending_channels_count, "pending_channels_count"),
    peers: r.count(answer.peers_count, "peers_count"),
  };
}

export function peersFromLnd(answer: GetPeersResult, action = "listPeers"): PeerInfo[] {
  const r = read(action);
  return r.array(answer?.peers, "peers").map((value, index) => {
    const p = r.object(value, `peers[${index}]`);
    return {
      pubkey: r.pubkey(p.public_key, "public_key"),
      socket: r.string(p.socket, "socket"),
      isInbound: r.boolean(p.is_inbound, "is_inbound"),
    };
  });
}

/** lnd's raw WalletBalanceResponse (int64 fields as strings). */
export function chainBalanceFromLnd(answer: unknown, action = "getChainBalance"): ChainBalance {
  const r = read(action);
  const b = r.object(answer, "wallet balance");
  return {
    confirmedSats: r.count(b.confirmed_balance, "confirmed_balance"),
    unconfirmedSats: r.count(b.unconfirmed_balance, "unconfirmed_balance"),
  };
}

export function channelBalanceFromLnd(answer: GetChannelBalanceResult, action = "getChannelBalance"): ChannelBalance {
  const r = read(action);
  r.object(answer, "channel balance");
  return {
    localSats: r.count(answer.channel_balance, "channel_balance"),
    localMsat: r.amount(answer.channel_balance_mtokens, "channel_balance_mtokens"),
    remoteSats: r.count(answer.inbound, "inbound"),
    remoteMsat: r.amount(answer.inbound_mtokens, "inbound_mtokens"),
    pendingLocalSats: r.count(answer.pending_balance, "pending_balance"),
    pendingRemoteSats: r.count(answer.pending_inbound ?? 0, "pending_inbound"),
  };
}

export function forwardsFromLnd(answer: GetForwardsResult, action = "getForwards"): Forward[] {
  const r = read(action);
  return r.array(answer?.forwards, "forwards").map((value, index) => {
    const f = r.object(value, `forwards[${index}]`);
    return {
      at: date(r, f.created_at, "created_at"),
      incomingChannelId: r.string(f.incoming_channel, "incoming_channel"),
      outgoingChannelId: r.string(f.outgoing_channel, "outgoing_channel"),
      outgoingMsat: r.amount(f.mtokens, "mtokens"),
      feeMsat: r.amount(f.fee_mtokens, "fee_mtokens"),
    };
  });
}

/** Routing revenue: the sum of forwarding fees, in msat. */
export const totalFeesMsat = (forwards: Forward[]): bigint => forwards.reduce((sum, f) => sum + f.feeMsat, 0n);

export function towersFromLnd(answer: GetConnectedWatchTowersResult, action = "listTowers"): Tower[] {
  const r = read(action);
  return r.array(answer?.towers, "towers").map((value, index) => {
    const t = r.object(value, `towers[${index}]`);
    return {
      pubkey: r.pubkey(t.public_key, "public_key"),
      sockets: r.array(t.sockets, "sockets").map((s) => r.string(s, "socket")),
      isActive: r.boolean(t.is_active, "is_active"),
      sessions: r.array(t.sessions, "sessions").length,
    };
  });
}

export function towerServerFromLnd(
  answer: GetTowerServerInfoResult,
  action = "getTowerServerInfo",
): TowerServer | null {
  const r = read(action);
  r.object(answer, "tower server info");
  if (!answer.tower) return null;
  return {
    pubkey: r.pubkey(answer.tower.public_key, "public_key"),
    sockets: r.array(answer.tower.sockets, "sockets").map((s) => r.string(s, "socket")),
    uris: r.array(answer.tower.uris, "uris").map((s) => r.string(s, "uri")),
  };
}

export function createdInvoiceFromLnd(answer: CreateInvoiceResult, action = "createInvoice"): CreatedInvoice {
  const r = read(action);
  r.object(answer, "invoice");
  return {
    paymentHash: r.hexOf(answer.id, 32, "id"),
    request: r.string(answer.request, "request"),
    msat: r.amount(answer.mtokens ?? "0", "mtokens"),
    createdAt: date(r, answer.created_at, "created_at"),
  };
}

export function invoiceStatusFromLnd(answer: GetInvoiceResult, action = "lookupInvoice"): InvoiceStatus {
  const r = read(action);
  r.object(answer, "invoice");
  const state = answer.is_confirmed ? "settled" : answer.is_canceled ? "canceled" : answer.is_held ? "held" : "open";
  return {
    paymentHash: r.hexOf(answer.id, 32, "id"),
    state,
    // `mtokens` is in the answer though missing from the package's typings.
    msat: r.amount((answer as GetInvoiceResult & { mtokens?: string }).mtokens, "mtokens"),
    receivedMsat: r.amount(answer.received_mtokens, "received_mtokens"),
    settledAt: answer.confirmed_at ? date(r, answer.confirmed_at, "confirmed_at") : null,
    request: typeof answer.request === "string" ? answer.request : null,
  };
}

export function paymentFromLnd(answer: PayResult, action = "payInvoice"): PaymentResult {
  const r = read(action);
  r.object(answer, "payment");
  if (answer.is_confirmed !== true) r.fail("payment is not confirmed");
  return {
    paymentHash: r.hexOf(answer.id, 32, "id"),
    preimage: r.hexOf(answer.secret, 32, "secret"),
    msat: r.amount(answer.mtokens, "mtokens"),
    feeMsat: r.amount(answer.fee_mtokens, "fee_mtokens"),
    hops: r.array(answer.hops, "hops").length,
    settledAt: date(r, answer.confirmed_at, "confirmed_at"),
  };
}
