// openChannel: fund a channel to a peer, tagged with a memo (the relay's `lvdao:<id>` idempotency key) that lnd
// keeps with the channel. Resolves once lnd has broadcast the funding transaction (channel pending).
// Requires `onchain:write` and `offchain:write` (and `peers:write` when `peerSocket` is given).
import { openChannel as lndOpenChannel, type AuthenticatedLnd } from "lightning";
import { unexpectedResponse } from "../errors.ts";
import { Checker, type Outpoint } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";
import { connectPeerRpc } from "./connect-peer.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const openChannelRpc: readonly string[] = [...connectPeerRpc, "/lnrpc.Lightning/OpenChannel"];

export interface OpenChannelArgs extends LndCallOptions {
  lnd: AuthenticatedLnd;
  peerPubkey: string;
  /** Connect first when given (host:port). */
  peerSocket?: string;
  localSats: number;
  pushSats: number;
  isPrivate: boolean;
  /** Kept by lnd on the channel; at most 500 characters. */
  memo: string;
  /** The opener's initial forwarding fees; lnd's defaults when omitted. The CLTV delta is set later by a policy update. */
  baseFeeMsat?: bigint;
  feeRatePpm?: number;
  /** Funding transaction fee rate, sat/vB; lnd's estimate when omitted. */
  chainFeeRate?: number;
}

export async function openChannel(args: OpenChannelArgs): Promise<Outpoint> {
  const check = new Checker("lnd", "openChannel");
  const peer = check.pubkey("peerPubkey", args.peerPubkey);
  const socket = args.peerSocket === undefined ? undefined : check.socket("peerSocket", args.peerSocket);
  const localSats = check.integer("localSats", args.localSats, 20_000, 2_100_000_000_000_000);
  const pushSats = check.integer("pushSats", args.pushSats, 0, localSats);
  if (pushSats === localSats && localSats > 0) check.fail("pushSats must be below localSats");
  const memo = check.text("memo", args.memo, 500, { allowEmpty: true });
  if (memo.length > 500) check.fail("memo is longer than 500 characters");
  const baseFee =
    args.baseFeeMsat === undefined ? undefined : check.bigint("baseFeeMsat", args.baseFeeMsat, 0n, 1_000_000_000n);
  const feeRate =
    args.feeRatePpm === undefined ? undefined : check.integer("feeRatePpm", args.feeRatePpm, 0, 1_000_000);
  const chainFeeRate =
    args.chainFeeRate === undefined ? undefined : check.integer("chainFeeRate", args.chainFeeRate, 1, 10_000);
  const opened = await viaLightning(
    "openChannel",
    () =>
      lndOpenChannel({
        lnd: args.lnd,
        partner_public_key: peer,
        ...(socket ? { partner_socket: socket } : {}),
        local_tokens: localSats,
        ...(pushSats > 0 ? { give_tokens: pushSats } : {}),
        is_private: args.isPrivate,
        ...(memo ? { description: memo } : {}),
        ...(baseFee !== undefined ? { base_fee_mtokens: baseFee.toString() } : {}),
        ...(feeRate !== undefined ? { fee_rate: feeRate } : {}),
        ...(chainFeeRate !== undefined ? { chain_fee_tokens_per_vbyte: chainFeeRate } : {}),
      }),
    args,
  );
  if (!/^[0-9a-f]{64}$/.test(opened.transaction_id) || !Number.isInteger(opened.transaction_vout)) {
    throw unexpectedResponse("lnd", "openChannel", "funding outpoint missing from the answer");
  }
  return { txid: opened.transaction_id, vout: opened.transaction_vout };
}
