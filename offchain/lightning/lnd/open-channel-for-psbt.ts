// openChannelForPsbt: start a channel whose funding transaction someone else builds (lnd's PSBT funding flow). lnd
// negotiates with the peer and answers with the funding output it expects (address and exact amount) under a pending
// channel id; the channel exists only once `fundPendingChannel` hands lnd a transaction paying that output, and lnd
// forgets it if that does not happen within its funding timeout (10 minutes by default) or `cancelPendingChannel`.
// lnd publishes the funding transaction itself when funded. Requires `onchain:write` and `offchain:write`.
import { openChannels, type AuthenticatedLnd } from "lightning";
import { unexpectedResponse } from "../errors.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

export interface OpenChannelForPsbtArgs extends LndCallOptions {
  lnd: AuthenticatedLnd;
  peerPubkey: string;
  localSats: number;
  pushSats: number;
  isPrivate: boolean;
  /** Kept by lnd on the channel once funded; at most 500 characters. */
  memo: string;
  baseFeeMsat?: bigint;
  feeRatePpm?: number;
  /** The upfront shutdown address: a cooperative close can only pay here (both peers enforce it). */
  closeAddress?: string;
}

export interface PendingChannel {
  /** lnd's pending channel id, 32 bytes hex: what `fundPendingChannel` and `cancelPendingChannel` take */
  pendingChannelId: string;
  /** the channel's funding output: the funding transaction must pay exactly `fundingSats` to this address */
  fundingAddress: string;
  fundingSats: number;
}

const SEGWIT_ADDRESS = /^(bc|tb|bcrt)1[02-9ac-hj-np-z]{8,87}$/i;

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const openChannelForPsbtRpc: readonly string[] = [
  "/lnrpc.Lightning/OpenChannel",
  "/lnrpc.Lightning/FundingStateStep",
];

export async function openChannelForPsbt(args: OpenChannelForPsbtArgs): Promise<PendingChannel> {
  const check = new Checker("lnd", "openChannelForPsbt");
  const peer = check.pubkey("peerPubkey", args.peerPubkey);
  const localSats = check.integer("localSats", args.localSats, 20_000, 2_100_000_000_000_000);
  const pushSats = check.integer("pushSats", args.pushSats, 0, localSats);
  if (pushSats === localSats) check.fail("pushSats must be below localSats");
  if (typeof args.isPrivate !== "boolean") check.fail("isPrivate must be a boolean");
  const memo = check.text("memo", args.memo, 500, { allowEmpty: true });
  const baseFee =
    args.baseFeeMsat === undefined ? undefined : check.bigint("baseFeeMsat", args.baseFeeMsat, 0n, 1_000_000_000n);
  const feeRate =
    args.feeRatePpm === undefined ? undefined : check.integer("feeRatePpm", args.feeRatePpm, 0, 1_000_000);
  const closeAddress = args.closeAddress === undefined ? undefined : check.text("closeAddress", args.closeAddress, 90);
  if (closeAddress !== undefined && !SEGWIT_ADDRESS.test(closeAddress))
    check.fail("closeAddress must be a segwit (bech32/bech32m) address");
  const opened = await viaLightning(
    "openChannelForPsbt",
    () =>
      openChannels({
        lnd: args.lnd,
        channels: [
          {
            partner_public_key: peer,
            capacity: localSats,
            ...(pushSats > 0 ? { give_tokens: pushSats } : {}),
            is_private: args.isPrivate,
            ...(memo ? { description: memo } : {}),
            ...(baseFee !== undefined ? { base_fee_mtokens: baseFee.toString() } : {}),
            ...(feeRate !== undefined ? { fee_rate: feeRate } : {}),
            ...(closeAddress ? { cooperative_close_address: closeAddress } : {}),
          },
        ],
      }),
    args,
  );
  const pending = opened.pending[0];
  if (opened.pending.length !== 1 || !pending)
    throw unexpectedResponse("lnd", "openChannelForPsbt", "no pending channel");
  if (!/^[0-9a-f]{64}$/.test(pending.id))
    throw unexpectedResponse("lnd", "openChannelForPsbt", "pending channel id is not 32 bytes hex");
  if (!SEGWIT_ADDRESS.test(pending.address))
    throw unexpectedResponse("lnd", "openChannelForPsbt", `funding address ${pending.address} is not segwit`);
  if (pending.tokens !== localSats)
    throw unexpectedResponse("lnd", "openChannelForPsbt", `funding amount ${pending.tokens} is not ${localSats}`);
  return { pendingChannelId: pending.id, fundingAddress: pending.address, fundingSats: pending.tokens };
}
