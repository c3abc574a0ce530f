// The DAO node's channels, as the relay publishes them, for the propose form: pick a channel and its channel point
// (or its peer, for loop-in's last hop) is written into the payload, so a fee-policy, close or loop names a channel
// the node really has. `useNodeChannels` loads the list for this and the Liquidity page.
import { useSession } from "../session.tsx";
import type { ActionKind } from "../../../actions/index.ts";
import { useLoad, type Loaded } from "../hooks.ts";
import { formatInteger } from "../model/amounts.ts";
import {
  CHANNEL_TARGETS,
  draftTarget,
  localPercent,
  shortHex,
  targetableChannels,
  targetedChannel,
  withChannelTarget,
  type ChannelListing,
  type NodeChannel,
} from "../model/channels.ts";
import type { Draft } from "../model/payload-form.ts";
import { fetchChannelListing } from "../relay-api.ts";

/** The relay's channel list, reloaded with each burn block; null data when the app knows no relay. */
export function useNodeChannels(): Loaded<ChannelListing | null> {
  const { config, tip } = useSession();
  const relayUrl = config.relayUrl ?? null;
  return useLoad(async () => (relayUrl ? fetchChannelListing(relayUrl) : null), [relayUrl, tip?.burnHeight]);
}

export function channelLabel(channel: NodeChannel): string {
  const share = localPercent(channel);
  return (
    `${shortHex(channel.txid)}:${channel.vout} to ${shortHex(channel.peer)}, ` +
    `${formatInteger(channel.capacitySats)} sats` +
    (share === null ? "" : `, ${share}% local`) +
    (channel.active ? "" : " (inactive)")
  );
}

export function ChannelPicker({
  kind,
  draft,
  channels,
  onChange,
}: {
  kind: ActionKind;
  draft: Draft;
  channels: Loaded<ChannelListing | null>;
  onChange: (draft: Draft) => void;
}) {
  const target = CHANNEL_TARGETS[kind];
  if (!target) return null;
  if (channels.data === null)
    return (
      <p className="hint" role="note" aria-label="channel picker">
        The app knows no relay, so it cannot list the node's channels: type the {target.field} (Settings sets the
        relay).
      </p>
    );
  if (!channels.data)
    return (
      <p className="hint" role="note" aria-label="channel picker">
        {channels.error ? `The node's channels could not be read: ${channels.error}` : "Reading the node's channels…"}
      </p>
    );
  const choices = targetableChannels(kind, channels.data.channels);
  const current = targetedChannel(kind, draft, choices);
  const named = draftTarget(kind, draft);
  return (
    <div className="field channel-picker">
      <label htmlFor="channel-picker">
        {target.by === "peer" ? "Last hop: a peer the node has a channel with" : "Channel"}{" "}
        <small>(the node's open channels, from the relay; fills {target.field})</small>
      </label>
      <select
        id="channel-picker"
        value={current?.channelPoint ?? ""}
        onChange={(e) => {
          const picked = choices.find((c) => c.channelPoint === e.target.value);
          if (picked) onChange(withChannelTarget(kind, draft, picked));
        }}
      >
        <option value="" disabled>
          {choices.length === 0 ? "the node has no open channel" : "choose a channel…"}
        </option>
        {choices.map((c) => (
          <option key={c.channelPoint} value={c.channelPoint} title={`${c.channelPoint} to ${c.peer}`}>
            {channelLabel(c)}
          </option>
        ))}
      </select>
      {named !== null && current === null ? (
        <p className="error" role="alert">
          {named} is not one of the node's open channels{target.by === "peer" ? "' peers" : ""}: the relay would refuse
          it (409).
        </p>
      ) : null}
    </div>
  );
}
