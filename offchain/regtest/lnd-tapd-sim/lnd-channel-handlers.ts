// lnrpc.Lightning channel methods of the simulated lnd: open and close (streams, as lnd sends them), the three
// channel listings and the channel balance. Fees, policies and forwards are in lnd-routing-handlers.ts.
import { randomBytes } from "node:crypto";
import { localMsat, other, type SimChannel } from "./channels.ts";
import type { Message, MethodSpec } from "./grpc-server.ts";
import {
  channelMessage,
  closeSummaryMessage,
  closeType,
  closedFor,
  limboSat,
  pendingChannelMessage,
} from "./lnd-channel-views.ts";
import { encodeListChannelsResponse } from "./lnd-channel-wire.ts";
import { READ, WRITE, readChannelPoint, txidToBytes, type LndContext } from "./lnd-context.ts";
import { SimRpcError } from "./rpc-error.ts";

const num = (value: unknown) => Number(value ?? 0);
const optionalPositive = (value: unknown) => (num(value) > 0 ? num(value) : undefined);

/** Waits until `done()` holds after a block, or the client goes away. */
function untilBlock(
  context: LndContext,
  call: { on(event: "cancelled", fn: () => void): unknown },
  done: () => boolean,
): Promise<boolean> {
  return new Promise((resolve) => {
    const events = context.network.events;
    const onBlock = () => {
      if (!done()) return;
      events.off("block", onBlock);
      resolve(true);
    };
    events.on("block", onBlock);
    call.on("cancelled", () => {
      events.off("block", onBlock);
      resolve(false);
    });
  });
}

function ownChannel(context: LndContext, point: Message | undefined): SimChannel {
  const { txid, vout } = readChannelPoint(point);
  const channel = context.network.findChannel(context.node, txid, vout);
  if (!channel) throw new SimRpcError("channel not found");
  return channel;
}

function openRequest(context: LndContext, request: Message) {
  const pubkeyBytes: Buffer = request.node_pubkey;
  const partnerPubkey = pubkeyBytes?.length ? pubkeyBytes.toString("hex") : String(request.node_pubkey_string ?? "");
  if (!/^0[23][0-9a-f]{64}$/.test(partnerPubkey)) throw new SimRpcError("unable to decode node public key");
  const minConfs = request.spend_unconfirmed ? 0 : num(request.min_confs) || 1;
  return context.network.openChannel(context.node, {
    partnerPubkey,
    localSat: num(request.local_funding_amount),
    pushSat: num(request.push_sat),
    isPrivate: !!request.private,
    memo: String(request.memo ?? ""),
    feeRate: optionalPositive(request.sat_per_vbyte),
    minConfs,
    baseFeeMsat: request.use_base_fee ? BigInt(request.base_fee ?? 0) : undefined,
    feeRatePpm: request.use_fee_rate ? num(request.fee_rate) : undefined,
    minHtlcMsat: num(request.min_htlc_msat) > 0 ? BigInt(request.min_htlc_msat) : undefined,
  });
}

export function channelMethods(context: LndContext): Record<string, MethodSpec> {
  const { node, network, chain } = context;
  const isActive = (channel: SimChannel) => channel.status === "open" && node.peers.has(other(channel, node).pubkey);
  return {
    OpenChannel: {
      permissions: WRITE.channels,
      stream: async (request, send, call) => {
        const channel = openRequest(context, request);
        send({
          chan_pending: { txid: txidToBytes(channel.txid), output_index: channel.vout },
          pending_chan_id: randomBytes(32),
        });
        if (await untilBlock(context, call, () => channel.status !== "pending_open")) {
          send({
            chan_open: { channel_point: { funding_txid_bytes: txidToBytes(channel.txid), output_index: channel.vout } },
          });
        }
      },
    },
    OpenChannelSync: {
      permissions: WRITE.channels,
      unary: (request) => {
        const channel = openRequest(context, request);
        return { funding_txid_bytes: txidToBytes(channel.txid), output_index: channel.vout };
      },
    },
    CloseChannel: {
      permissions: WRITE.channels,
      stream: async (request, send, call) => {
        const channel = ownChannel(context, request.channel_point);
        const deliveryAddress = String(request.delivery_address ?? "") || undefined;
        const txid = network.closeChannel(node, channel, {
          force: !!request.force,
          feeRate: optionalPositive(request.sat_per_vbyte),
          maxFeeRate: optionalPositive(request.max_fee_per_vbyte),
          deliveryAddress,
        });
        send({ close_pending: { txid: txidToBytes(txid), output_index: 0, fee_per_vbyte: "0", local_close_tx: true } });
        if (request.no_wait) return;
        if (await untilBlock(context, call, () => channel.close?.height !== null)) {
          send({ chan_close: { closing_txid: txidToBytes(txid), success: true } });
        }
      },
    },
    ListChannels: {
      permissions: READ.offchain,
      serialize: encodeListChannelsResponse,
      unary: (request) => {
        const peer: Buffer | undefined = request.peer;
        const peerHex = peer?.length ? peer.toString("hex") : null;
        const channels = network
          .channelsOf(node)
          .filter((c) => c.status === "open")
          .filter((c) => !request.active_only || isActive(c))
          .filter((c) => !request.inactive_only || !isActive(c))
          .filter((c) => !request.public_only || !c.isPrivate)
          .filter((c) => !request.private_only || c.isPrivate)
          .filter((c) => peerHex === null || other(c, node).pubkey === peerHex);
        const now = Math.floor(Date.now() / 1000);
        return { channels: channels.map((c) => channelMessage(c, node, isActive(c), now)) };
      },
    },
    PendingChannels: {
      permissions: READ.offchain,
      unary: () => {
        const mine = network.channelsOf(node);
        const pendingOpen = mine.filter((c) => c.status === "pending_open");
        const waitingClose = mine.filter((c) => c.close && c.close.height === null);
        const forceClosing = mine.filter(
          (c) => c.close?.force && c.close.height !== null && c.close.initiator === node.name && c.status !== "closed",
        );
        const limbo = [...waitingClose, ...forceClosing].reduce((sum, c) => sum + limboSat(c, node), 0);
        return {
          total_limbo_balance: limbo.toString(),
          pending_open_channels: pendingOpen.map((c) => ({
            channel: pendingChannelMessage(c, node),
            commit_fee: c.commitFee.toString(),
            commit_weight: "1124",
            fee_per_kw: "2500",
            funding_expiry_blocks: 2016 - (chain.height - (chain.tx(c.txid)?.blockHeight ?? chain.height)),
            confirmations_until_active: Math.max(0, c.confirmationsRequired - chain.confirmations(c.txid)),
            confirmation_height: c.fundingHeight ?? 0,
          })),
          pending_closing_channels: [],
          waiting_close_channels: waitingClose.map((c) => ({
            channel: pendingChannelMessage(c, node),
            limbo_balance: limboSat(c, node).toString(),
            commitments: {
              local_txid: c.close?.force ? c.close.txid : "",
              remote_txid: "",
              remote_pending_txid: "",
              local_commit_fee_sat: String(c.commitFee),
              remote_commit_fee_sat: String(c.commitFee),
              remote_pending_commit_fee_sat: "0",
            },
            closing_txid: c.close?.txid ?? "",
            closing_tx_hex: "",
          })),
          pending_force_closing_channels: forceClosing.map((c) => ({
            channel: pendingChannelMessage(c, node),
            closing_txid: c.close?.txid ?? "",
            limbo_balance: limboSat(c, node).toString(),
            maturity_height: c.close?.maturityHeight ?? 0,
            blocks_til_maturity: Math.max(0, (c.close?.maturityHeight ?? 0) - chain.height),
            recovered_balance: "0",
            pending_htlcs: [],
            anchor: "LIMBO",
          })),
        };
      },
    },
    ClosedChannels: {
      permissions: READ.offchain,
      unary: (request) => {
        const wanted = new Set<string>();
        if (request.cooperative) wanted.add("COOPERATIVE_CLOSE");
        if (request.local_force) wanted.add("LOCAL_FORCE_CLOSE");
        if (request.remote_force) wanted.add("REMOTE_FORCE_CLOSE");
        const closed = network
          .channelsOf(node)
          .filter((c) => closedFor(c, node) && (wanted.size === 0 || wanted.has(closeType(c, node))));
        return { channels: closed.map((c) => closeSummaryMessage(c, node, chain.genesisHash)) };
      },
    },
    ChannelBalance: {
      permissions: READ.offchain,
      unary: () => {
        const mine = network.channelsOf(node);
        const total = (channels: SimChannel[], side: (c: SimChannel) => bigint) =>
          channels.reduce((sum, c) => sum + side(c), 0n);
        const open = mine.filter((c) => c.status === "open");
        const pending = mine.filter((c) => c.status === "pending_open");
        const amount = (msat: bigint) => ({ sat: (msat / 1000n).toString(), msat: msat.toString() });
        const local = total(open, (c) => localMsat(c, node));
        const pendingLocal = total(pending, (c) => localMsat(c, node));
        return {
          balance: (local / 1000n).toString(),
          pending_open_balance: (pendingLocal / 1000n).toString(),
          local_balance: amount(local),
          remote_balance: amount(total(open, (c) => localMsat(c, other(c, node)))),
          unsettled_local_balance: amount(0n),
          unsettled_remote_balance: amount(0n),
          pending_open_local_balance: amount(pendingLocal),
          pending_open_remote_balance: amount(total(pending, (c) => localMsat(c, other(c, node)))),
        };
      },
    },
  };
}
