// channel-open: connect the peer, open the channel with memo lvdao:<id>, and once lnd lists it open (its funding has
// the confirmations lnd requires) apply the proposal's forwarding policy and report the funding outpoint.
// Idempotency: lnd keeps the memo on pending and open channels, so a crash after the open call is found by memo.
import { conflict } from "../../failure.ts";
import { outpointKey } from "../../ports.ts";
import { NotFinalYet, requireDaemon, type KindHandler } from "../context.ts";
import { outpointEvidence, parseOutpoint } from "../evidence.ts";

export const channelOpen: KindHandler<"channel-open"> = {
  kind: "channel-open",
  describe: (a) =>
    `open a ${a.private ? "private " : ""}channel of ${a.localSats} sats (push ${a.pushSats}) to ${a.peer}@${a.host}, ` +
    `policy ${a.baseFeeMsat} msat + ${a.feePpm} ppm, cltv ${a.cltvDelta}`,
  onchainSpend: (a) => a.localSats,

  async reconcile(_action, { daemons, key }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const pending = (await lnd.listPendingChannels()).find((c) => c.state === "opening" && c.memo === key);
    if (pending) return outpointKey(pending.outpoint);
    const open = (await lnd.listChannels()).find((c) => c.memo === key);
    return open ? outpointKey(open.outpoint) : undefined;
  },

  async act(action, { daemons, key }) {
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
    return outpointKey(outpoint);
  },

  async settle(action, ref, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const outpoint = parseOutpoint(ref);
    const open = (await lnd.listChannels()).find((c) => outpointKey(c.outpoint) === ref);
    if (!open) {
      const closed = (await lnd.listClosedChannels()).find((c) => outpointKey(c.outpoint) === ref);
      if (closed) throw conflict(`channel ${ref} closed before it was reported (closing tx ${closed.closingTxid})`);
      throw new NotFinalYet(`channel ${ref} is waiting for its funding confirmations`);
    }
    // lnd's open request cannot carry the cltv delta, and sets fees only as defaults: apply the whole policy now,
    // merged with what lnd holds so nothing else resets.
    const current = (await lnd.listPolicies()).find((p) => outpointKey(p.outpoint) === ref);
    if (!current) throw new NotFinalYet(`channel ${ref} has no policy yet`);
    if (current.baseFeeMsat !== action.baseFeeMsat || current.feePpm !== action.feePpm || BigInt(current.cltvDelta) !== action.cltvDelta) {
      await lnd.updatePolicy({ ...current, baseFeeMsat: action.baseFeeMsat, feePpm: action.feePpm, cltvDelta: Number(action.cltvDelta) });
    }
    return outpointEvidence(outpoint);
  },
};
