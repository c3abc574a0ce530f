// updateChannelPolicy: apply a fee policy to one channel or to every open channel, merged into each channel's
// current policy (lnd resets what an update omits; see requests/policy.ts). Sent as raw lnrpc UpdateChannelPolicy
// because `lightning`'s updateRoutingFees sends the rate as a float and fills omitted fields with its own defaults.
// Returns the full policy applied to each channel and lnd's per-channel failures.
// Requires `offchain:write`, `offchain:read` and `info:read`.
import type { AuthenticatedLnd } from "lightning";
import {
  appliedFromLive,
  checkDesiredPolicy,
  mergePolicy,
  policyUpdateRequest,
  type AppliedPolicy,
  type DesiredPolicy,
} from "../requests/policy.ts";
import { AnswerReader, Checker, type Outpoint } from "../validation.ts";
import { viaGrpc, type LndCallOptions } from "./call.ts";
import { getChannelPolicy, getChannelPolicyRpc } from "./get-channel-policy.ts";
import { getNodeInfo, getNodeInfoRpc } from "./get-node-info.ts";
import { listChannels, listChannelsRpc } from "./list-channels.ts";
import { LightningError } from "../errors.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const updateChannelPolicyRpc: readonly string[] = [
  ...getNodeInfoRpc,
  ...listChannelsRpc,
  ...getChannelPolicyRpc,
  "/lnrpc.Lightning/UpdateChannelPolicy",
];

export interface PolicyFailure {
  channel: Outpoint;
  reason: string;
  error: string;
}

export interface UpdateChannelPolicyResult {
  applied: AppliedPolicy[];
  /** The policy each channel in `applied` had just before the update (same order), so a caller can put it back. */
  replaced: AppliedPolicy[];
  failures: PolicyFailure[];
}

const CONCURRENCY = 8;

async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY)
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  return results;
}

export async function updateChannelPolicy(
  args: { lnd: AuthenticatedLnd; target: Outpoint | "all"; policy: DesiredPolicy } & LndCallOptions,
): Promise<UpdateChannelPolicyResult> {
  const check = new Checker("lnd", "updateChannelPolicy");
  const desired = checkDesiredPolicy(check, args.policy);
  const target = args.target === "all" ? "all" : check.outpoint("target", args.target);
  const ownPubkey = (await getNodeInfo(args)).pubkey;
  const open = (await listChannels(args)).filter((c) => c.state === "open");
  const channels =
    target === "all"
      ? open.map((c) => c.channel)
      : open.filter((c) => c.channel.txid === target.txid && c.channel.vout === target.vout).map((c) => c.channel);
  if (target !== "all" && channels.length === 0) {
    throw new LightningError(
      "NOT_FOUND",
      `no open channel with funding outpoint ${target.txid}:${target.vout}`,
      "lnd",
      "updateChannelPolicy",
    );
  }
  const read = new AnswerReader("lnd", "updateChannelPolicy");
  const outcomes = await inBatches(channels, async (channel) => {
    const current = await getChannelPolicy({ ...args, channel, ownPubkey });
    const merged = mergePolicy(current, desired);
    const answer = await viaGrpc(
      args.lnd,
      "default",
      "updateChannelPolicy",
      policyUpdateRequest(merged),
      "updateChannelPolicy",
      args,
    );
    const failed = read.array(answer.failed_updates, "failed_updates").map((value) => {
      const failure = read.object(value, "failed update");
      return {
        channel,
        reason: read.string(failure.reason, "reason"),
        error: read.string(failure.update_error, "update_error"),
      };
    });
    return { current, merged, failed };
  });
  const done = outcomes.filter((o) => o.failed.length === 0);
  return {
    applied: done.map((o) => o.merged),
    replaced: done.map((o) => appliedFromLive(o.current)),
    failures: outcomes.flatMap((o) => o.failed),
  };
}
