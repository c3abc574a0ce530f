// listChannels: every channel lnd knows of, in one list: opening, open, closing and closed, each with its funding
// outpoint and (while lnd keeps it) its memo. Requires `offchain:read`.
import { getChannels, getClosedChannels, getPendingChannels, type AuthenticatedLnd } from "lightning";
import {
  closedChannelsFromLnd,
  openChannelsFromLnd,
  pendingChannelsFromLnd,
  type ChannelRecord,
} from "../responses/lnd-channels.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listChannelsRpc: readonly string[] = [
  "/lnrpc.Lightning/ListChannels",
  "/lnrpc.Lightning/PendingChannels",
  "/lnrpc.Lightning/ClosedChannels",
];

export async function listChannels(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<ChannelRecord[]> {
  const [open, pending, closed] = await Promise.all([
    viaLightning("listChannels", () => getChannels({ lnd: args.lnd }), args),
    viaLightning("listChannels", () => getPendingChannels({ lnd: args.lnd }), args),
    viaLightning("listChannels", () => getClosedChannels({ lnd: args.lnd }), args),
  ]);
  return [
    ...pendingChannelsFromLnd(pending, "listChannels"),
    ...openChannelsFromLnd(open, "listChannels"),
    ...closedChannelsFromLnd(closed, "listChannels"),
  ];
}
