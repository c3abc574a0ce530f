// findChannelsByMemo: the relay's crash reconciliation for channel-open. Finds every channel carrying `memo` among
// opening, open and closing channels. lnd drops the memo once a channel is fully closed, so closed channels are
// matched by the funding outpoints the caller already knows (its journal). Requires `offchain:read`.
import type { AuthenticatedLnd } from "lightning";
import type { ChannelRecord } from "../responses/lnd-channels.ts";
import { Checker, outpointString, type Outpoint } from "../validation.ts";
import type { LndCallOptions } from "./call.ts";
import { listChannels, listChannelsRpc } from "./list-channels.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const findChannelsRpc: readonly string[] = [...listChannelsRpc];

export async function findChannelsByMemo(
  args: { lnd: AuthenticatedLnd; memo: string; fundingOutpoints?: Outpoint[] } & LndCallOptions,
): Promise<ChannelRecord[]> {
  const check = new Checker("lnd", "findChannelsByMemo");
  const memo = check.text("memo", args.memo, 500);
  const known = new Set(
    (args.fundingOutpoints ?? []).map((point, index) =>
      outpointString(check.outpoint(`fundingOutpoints[${index}]`, point)),
    ),
  );
  const channels = await listChannels(args);
  return channels.filter((channel) => channel.memo === memo || known.has(outpointString(channel.channel)));
}

/** The channel with this funding outpoint, in whatever state, or null. */
export async function findChannel(
  args: { lnd: AuthenticatedLnd; channel: Outpoint } & LndCallOptions,
): Promise<ChannelRecord | null> {
  const wanted = outpointString(new Checker("lnd", "findChannel").outpoint("channel", args.channel));
  const channels = await listChannels(args);
  // A channel can be listed as closing and closed at once while its force close resolves; the most final state wins.
  const rank = { opening: 0, open: 1, closing: 2, closed: 3 } as const;
  return (
    channels.filter((c) => outpointString(c.channel) === wanted).sort((a, b) => rank[b.state] - rank[a.state])[0] ??
    null
  );
}
