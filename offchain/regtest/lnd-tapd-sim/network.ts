// The simulated Lightning network: the lnd nodes, the peer connections and channels between them, and how the
// shared chain moves channels along (pending -> open after confirmations; closing -> closed; force-close outputs
// maturing into the wallet).
import { EventEmitter } from "node:events";
import type { Block, SimChain } from "./bitcoin-chain.ts";
import {
  ANCHORS_SAT,
  COMMIT_FEE_SAT,
  MAX_CHANNEL_SAT,
  MIN_CHANNEL_SAT,
  channelPoint,
  initialPolicy,
  isMember,
  other,
  reserveSat,
  shortChannelId,
  type SimChannel,
} from "./channels.ts";
import { DUST_LIMIT } from "./bitcoin-chain.ts";
import { chainAddressError } from "./keys.ts";
import { DEFAULT_POLICY, type SimLnd } from "./lnd-node.ts";
import { SimRpcError } from "./rpc-error.ts";

export interface OpenRequest {
  partnerPubkey: string;
  localSat: number;
  pushSat: number;
  isPrivate: boolean;
  memo: string;
  feeRate?: number;
  minConfs: number;
  baseFeeMsat?: bigint;
  feeRatePpm?: number;
  minHtlcMsat?: bigint;
}

export interface CloseRequest {
  force: boolean;
  feeRate?: number;
  maxFeeRate?: number;
  deliveryAddress?: string;
}

/** Approximate vsize of a cooperative close (one input, two P2TR outputs). */
const COOP_CLOSE_VSIZE = 154;
/** lnd's to_self_delay for small channels on regtest. */
const CSV_DELAY = 144;

export class SimNetwork {
  readonly nodes = new Map<string, SimLnd>();
  readonly channels: SimChannel[] = [];
  /** Emits "open", "closed-remote" and "closed" with (channel) as channels move on chain, then "block" (block). */
  readonly events = new EventEmitter();

  constructor(
    readonly chain: SimChain,
    readonly confirmationsRequired = 3,
  ) {
    this.events.setMaxListeners(0);
    chain.onBlock((block) => this.onBlock(block));
  }

  add(node: SimLnd): void {
    this.nodes.set(node.name, node);
  }

  byPubkey(pubkey: string): SimLnd | undefined {
    for (const node of this.nodes.values()) if (node.pubkey === pubkey) return node;
    return undefined;
  }

  byP2pHost(host: string): SimLnd | undefined {
    for (const node of this.nodes.values()) if (node.p2pHost === host) return node;
    return undefined;
  }

  /** lnd's ConnectPeer: the host must answer as the node with that key. */
  connect(from: SimLnd, pubkey: string, host: string): void {
    if (pubkey === from.pubkey) throw new SimRpcError("cannot make connection to self");
    if (from.peers.has(pubkey))
      throw new SimRpcError(`already connected to peer: ${pubkey}@${from.peers.get(pubkey)?.address}`);
    const target = this.byP2pHost(host);
    if (!target) throw new SimRpcError(`dial tcp ${host}: connect: connection refused`);
    if (target.pubkey !== pubkey)
      throw new SimRpcError(`unable to connect to ${pubkey}@${host}: handshake failed: remote key mismatch`);
    const since = Math.floor(Date.now() / 1000);
    from.peers.set(pubkey, { address: host, inbound: false, since });
    target.peers.set(from.pubkey, { address: from.p2pHost, inbound: true, since });
  }

  disconnect(from: SimLnd, pubkey: string): void {
    if (!from.peers.has(pubkey)) throw new SimRpcError(`peer ${pubkey} is not connected`);
    if (this.channels.some((c) => isMember(c, from) && other(c, from).pubkey === pubkey && c.status === "open")) {
      throw new SimRpcError("cannot disconnect from peer(s) with active channels, use --force to override");
    }
    from.peers.delete(pubkey);
    this.byPubkey(pubkey)?.peers.delete(from.pubkey);
  }

  channelsOf(node: SimLnd): SimChannel[] {
    return this.channels.filter((channel) => isMember(channel, node));
  }

  findChannel(node: SimLnd, txid: string, vout: number): SimChannel | undefined {
    return this.channels.find((c) => c.txid === txid && c.vout === vout && isMember(c, node));
  }

  findByChanId(chanId: string): SimChannel | undefined {
    return this.channels.find((c) => c.chanId === chanId && c.chanId !== "0");
  }

  /** lnd's OpenChannel checks, then the funding transaction from the opener's wallet. */
  openChannel(from: SimLnd, request: OpenRequest): SimChannel {
    const partner = this.byPubkey(request.partnerPubkey);
    if (!partner || !from.peers.has(request.partnerPubkey))
      throw new SimRpcError(`peer ${request.partnerPubkey} is not online`);
    if (request.localSat <= 0) throw new SimRpcError("local funding amount must be non-zero");
    if (request.pushSat >= request.localSat) {
      throw new SimRpcError("amount pushed to remote peer for initial state must be below the local funding amount");
    }
    if (request.localSat > MAX_CHANNEL_SAT)
      throw new SimRpcError("funding amount is too large, the max channel size is: 0.16777215 BTC");
    if (request.localSat < MIN_CHANNEL_SAT)
      throw new SimRpcError(`channel is too small, the minimum channel size is: ${MIN_CHANNEL_SAT} SAT`);
    if (request.memo.length > 500)
      throw new SimRpcError(`provided memo (${request.memo}) is of length ${request.memo.length}, exceeds 500`);
    const fundingAddress = this.chain.newWalletAddress("channel-funding", "p2wsh");
    const tx = this.chain.send(from.wallet, [{ address: fundingAddress, value: request.localSat }], {
      feeRate: request.feeRate,
      minConfs: request.minConfs,
    });
    const now = Math.floor(Date.now() / 1000);
    const openerSat = request.localSat - request.pushSat - COMMIT_FEE_SAT - ANCHORS_SAT;
    const overrides = {
      baseFeeMsat: request.baseFeeMsat,
      feeRatePpm: request.feeRatePpm,
      minHtlcMsat: request.minHtlcMsat,
    };
    const channel: SimChannel = {
      txid: tx.txid,
      vout: 0,
      capacity: request.localSat,
      opener: from,
      partner,
      balanceMsat: new Map([
        [from.name, BigInt(openerSat) * 1000n],
        [partner.name, BigInt(request.pushSat) * 1000n],
      ]),
      pushSat: request.pushSat,
      commitFee: COMMIT_FEE_SAT,
      isPrivate: request.isPrivate,
      memo: request.memo,
      status: "pending_open",
      fundingHeight: null,
      confirmationsRequired: this.confirmationsRequired,
      chanId: "0",
      policies: new Map([
        [from.name, initialPolicy(request.localSat, now, withoutUndefined(overrides), DEFAULT_POLICY)],
        [partner.name, initialPolicy(request.localSat, now, {}, DEFAULT_POLICY)],
      ]),
      close: null,
      numUpdates: 0,
      sentMsat: new Map([
        [from.name, 0n],
        [partner.name, 0n],
      ]),
      receivedMsat: new Map([
        [from.name, 0n],
        [partner.name, 0n],
      ]),
      csvDelay: CSV_DELAY,
      openedAt: now,
    };
    this.channels.push(channel);
    return channel;
  }

  /** Cooperative or force close from `from`'s side; returns the closing transaction id. */
  closeChannel(from: SimLnd, channel: SimChannel, request: CloseRequest): string {
    if (channel.status === "pending_open") throw new SimRpcError("cannot close pending channel");
    if (channel.status !== "open") throw new SimRpcError(`channel ${channelPoint(channel)} is already being closed`);
    const counterparty = other(channel, from);
    const balances = new Map([...channel.balanceMsat].map(([name, msat]) => [name, Number(msat / 1000n)]));
    // Both commitment reserves (fee + anchors) come back to the opener, who pays the closing fee.
    balances.set(channel.opener.name, (balances.get(channel.opener.name) ?? 0) + channel.commitFee + ANCHORS_SAT);
    if (request.force) {
      // lnd refuses a fee rate with a force close: the commitment transaction's fee was fixed when it was signed.
      if (request.feeRate !== undefined) throw new SimRpcError("force closing a channel uses a pre-defined fee");
      return this.forceClose(from, counterparty, channel, balances);
    }
    if (!from.peers.has(counterparty.pubkey)) throw new SimRpcError(`peer ${counterparty.pubkey} is not online`);
    if (request.deliveryAddress !== undefined) {
      const problem = chainAddressError(request.deliveryAddress);
      if (problem) throw new SimRpcError(problem);
    }
    const idealRate = request.feeRate ?? this.chain.defaultFeeRate;
    const rate =
      request.maxFeeRate !== undefined && request.maxFeeRate > 0 ? Math.min(idealRate, request.maxFeeRate) : idealRate;
    const fee = Math.ceil(COOP_CLOSE_VSIZE * rate);
    balances.set(channel.opener.name, (balances.get(channel.opener.name) ?? 0) - fee);
    const outputs = [];
    const settled = new Map<string, number>();
    for (const node of [channel.opener, channel.partner]) {
      const value = balances.get(node.name) ?? 0;
      if (value < DUST_LIMIT) continue;
      const address =
        node === from && request.deliveryAddress
          ? request.deliveryAddress
          : this.chain.newWalletAddress(node.wallet, "p2tr");
      outputs.push({ address, value });
      settled.set(node.name, value);
    }
    const tx = this.chain.spendOutpoint(channelPoint(channel), outputs, fee, "coop close");
    channel.status = "waiting_close";
    channel.close = {
      txid: tx.txid,
      initiator: from.name,
      force: false,
      height: null,
      settled,
      timeLocked: 0,
      maturityHeight: null,
      sweepTxid: null,
    };
    return tx.txid;
  }

  private forceClose(from: SimLnd, counterparty: SimLnd, channel: SimChannel, balances: Map<string, number>): string {
    // The commitment was signed at open time with its fee already reserved: nothing more is paid now.
    const own = (balances.get(from.name) ?? 0) - (from === channel.opener ? channel.commitFee + ANCHORS_SAT : 0);
    const theirs =
      (balances.get(counterparty.name) ?? 0) - (counterparty === channel.opener ? channel.commitFee + ANCHORS_SAT : 0);
    const outputs = [];
    if (own >= DUST_LIMIT)
      outputs.push({ address: this.chain.newWalletAddress(`timelock:${from.name}`, "p2wsh"), value: own });
    if (theirs >= DUST_LIMIT)
      outputs.push({ address: this.chain.newWalletAddress(counterparty.wallet, "p2wsh"), value: theirs });
    const tx = this.chain.spendOutpoint(channelPoint(channel), outputs, channel.commitFee, "force close");
    channel.status = "pending_force_close";
    channel.close = {
      txid: tx.txid,
      initiator: from.name,
      force: true,
      height: null,
      settled: new Map(theirs >= DUST_LIMIT ? [[counterparty.name, theirs]] : []),
      timeLocked: own >= DUST_LIMIT ? own : 0,
      maturityHeight: null,
      sweepTxid: null,
    };
    return tx.txid;
  }

  private onBlock(block: Block): void {
    for (const channel of this.channels) {
      if (channel.status === "pending_open") this.advanceOpening(channel, block);
      else if (channel.close && channel.status !== "closed") this.advanceClosing(channel, block);
    }
    this.events.emit("block", block);
  }

  private advanceOpening(channel: SimChannel, block: Block): void {
    if (channel.fundingHeight === null) {
      const index = block.txids.indexOf(channel.txid);
      if (index < 0) return;
      channel.fundingHeight = block.height;
      // Index 0 of a real block is the coinbase.
      channel.chanId = shortChannelId(block.height, index + 1, channel.vout);
    }
    if (block.height - channel.fundingHeight + 1 < channel.confirmationsRequired) return;
    channel.status = "open";
    for (const policy of channel.policies.values()) policy.lastUpdate = block.time;
    this.events.emit("open", channel);
  }

  private advanceClosing(channel: SimChannel, block: Block): void {
    const close = channel.close;
    if (!close) return;
    if (close.height === null) {
      if (!block.txids.includes(close.txid)) return;
      close.height = block.height;
      if (!close.force || close.timeLocked === 0) {
        channel.status = "closed";
        this.events.emit("closed", channel);
        return;
      }
      close.maturityHeight = block.height + channel.csvDelay;
      // The counterparty sees the channel closed as soon as the commitment confirms.
      this.events.emit("closed-remote", channel);
      return;
    }
    if (close.maturityHeight !== null && close.sweepTxid === null && block.height >= close.maturityHeight) {
      const closer = this.nodes.get(close.initiator) as SimLnd;
      const lockedOutpoint = `${close.txid}:0`;
      const sweepFee = Math.ceil(120 * this.chain.defaultFeeRate);
      const sweep = this.chain.spendOutpoint(
        lockedOutpoint,
        [{ address: this.chain.newWalletAddress(closer.wallet, "p2tr"), value: close.timeLocked - sweepFee }],
        sweepFee,
        "sweep",
      );
      close.sweepTxid = sweep.txid;
      return;
    }
    if (close.sweepTxid !== null && block.txids.includes(close.sweepTxid)) {
      channel.status = "closed";
      this.events.emit("closed", channel);
    }
  }

  /** The reserve the simulator holds back on each side, exposed for listings. */
  reserveOf(channel: SimChannel): number {
    return reserveSat(channel.capacity);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
