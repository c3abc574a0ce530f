// channel-open: connect the peer, open the channel with memo lvdao:<id>, and once lnd lists it open (its funding has
// the confirmations lnd requires) apply the proposal's forwarding policy and report the funding outpoint.
// Idempotency: lnd keeps the memo on opening and open channels, so a crash after the open call is found by memo.
// With a vault configured the channel is funded from it (vault/funding.ts: lnd's PSBT flow, each step journaled);
// a crash before lnd lists the channel is found by the vault coins the complete PSBT spends.
import { outpointString } from "../../daemons/ports.ts";
import { conflict, PermanentFailure } from "../../failure.ts";
import { NotFinalYet, requireDaemon, type KindHandler } from "../context.ts";
import { outpointEvidence, parseOutpoint } from "../evidence.ts";
import { fundChannelFromVault, fundedOutpoint, type FundingContext } from "../../vault/funding.ts";
import type { KindContext } from "../context.ts";

function fundingContext(context: KindContext): FundingContext | undefined {
  const { vault, lnd } = context.daemons;
  if (!vault) return undefined;
  return {
    actionId: context.actionId,
    key: context.key,
    lnd: requireDaemon(lnd, "lnd"),
    vault,
    jobs: context.jobs,
    log: context.log,
    now: context.now,
  };
}

export const channelOpen: KindHandler<"channel-open"> = {
  kind: "channel-open",
  describe: ({ payload: a }) =>
    `open a ${a.private ? "private " : ""}channel of ${a.localSats} sats (push ${a.pushSats}) ` +
    `to ${a.peer}@${a.host}, policy ${a.baseFeeMsat} msat + ${a.feePpm} ppm, cltv ${a.cltvDelta}`,
  onchainSpend: ({ payload }) => payload.localSats,

  async reconcile(_action, context) {
    const lnd = requireDaemon(context.daemons.lnd, "lnd");
    const found = (await lnd.listChannels()).find(
      (c) => c.memo === context.key && (c.state === "opening" || c.state === "open"),
    );
    if (found) return outpointString(found.outpoint);
    const vault = fundingContext(context);
    return vault ? fundedOutpoint(vault) : undefined;
  },

  async act(whole, context) {
    const vault = fundingContext(context);
    if (vault) return fundChannelFromVault(whole, vault);
    const { payload: action } = whole;
    const { daemons, key } = context;
    const lnd = requireDaemon(daemons.lnd, "lnd");
    await lnd.connectPeer({ pubkey: action.peer, host: action.host });
    const outpoint = await lnd.openChannel({
      pubkey: action.peer,
      localSats: action.localSats,
      pushSats: action.pushSats,
      private: action.private,
      memo: key,
      baseFeeMsat: action.baseFeeMsat,
      feePpm: action.feePpm,
    });
    return outpointString(outpoint);
  },

  async settle({ payload: action }, ref, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const outpoint = parseOutpoint(ref);
    const states = (await lnd.listChannels()).filter((c) => outpointString(c.outpoint) === ref).map((c) => c.state);
    if (states.includes("closing") || states.includes("closed"))
      throw conflict(`channel ${ref} closed before it was reported`);
    if (!states.includes("open")) throw new NotFinalYet(`channel ${ref} is waiting for its funding confirmations`);
    // lnd's open request cannot carry the cltv delta and sets fees only as defaults: apply the whole policy now.
    // A real lnd lists the channel open a moment before it adds the channel's edge to its own graph, and reading the
    // current policy needs that edge: "edge not found" right after the open means "not yet", not a conflict.
    const { failures } = await lnd
      .applyPolicy({
        target: outpoint,
        policy: {
          baseFeeMsat: action.baseFeeMsat,
          feeRatePpm: Number(action.feePpm),
          cltvDelta: Number(action.cltvDelta),
          inboundBaseDiscountMsat: 0,
          inboundFeeRateDiscountPpm: 0,
        },
      })
      .catch((error: unknown) => {
        if (error instanceof PermanentFailure && /edge not found/i.test(error.message))
          throw new NotFinalYet(`lnd has not added channel ${ref} to its graph yet`);
        throw error;
      });
    if (failures.length > 0)
      throw new NotFinalYet(`lnd did not take the policy for ${ref} yet: ${failures[0]!.reason}`);
    return outpointEvidence(outpoint);
  },
};
