// The DAO node's channels as the relay publishes them (GET /channels, docs/relay.md "Channels"), checked field by
// field, and what the app does with them: the rows of the channel list, and a picked channel written into a
// proposal's payload (fee-policy and loop-out take its channel point, channel-close its txid and vout, loop-in its
// peer as the last hop). Pure: the fetch is in relay-api.ts.
import type { ActionKind } from "../../../actions/index.ts";
import type { Draft } from "./payload-form.ts";

export interface ChannelPolicyView {
  baseFeeMsat: bigint;
  feePpm: number;
  cltvDelta: number | null;
  /** lnd's sign: a discount is negative */
  inboundBaseFeeMsat: number;
  inboundFeePpm: number;
}

export interface NodeChannel {
  channelPoint: string;
  txid: string;
  vout: number;
  chanId: string | null;
  state: "open" | "opening";
  peer: string;
  capacitySats: bigint;
  localSats: bigint | null;
  remoteSats: bigint | null;
  active: boolean;
  policy: ChannelPolicyView | null;
  setBy: { actionId: bigint; kind: string; reportedAt: string } | null;
}

export interface ChannelListing {
  updatedAt: string;
  channels: NodeChannel[];
}

export class ChannelListError extends Error {
  override name = "ChannelListError";
}

const fail = (field: string, problem: string): never => {
  throw new ChannelListError(`the relay's channel list: ${field} ${problem}`);
};
const object = (value: unknown, field: string): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail(field, "is not an object");
const text = (value: unknown, field: string, pattern?: RegExp): string =>
  typeof value === "string" && (!pattern || pattern.test(value)) ? value : fail(field, `is not a valid string`);
const sats = (value: unknown, field: string): bigint => BigInt(text(value, field, /^\d+$/));
const int = (value: unknown, field: string): number =>
  typeof value === "number" && Number.isSafeInteger(value) ? value : fail(field, "is not an integer");
const orNull = <T>(value: unknown, read: (v: unknown) => T): T | null => (value === null ? null : read(value));

/** The relay's JSON as typed channels; anything out of shape is a ChannelListError naming the field. */
export function parseChannelListing(json: unknown): ChannelListing {
  const root = object(json, "(root)");
  if (!Array.isArray(root.channels)) fail("channels", "is not a list");
  const channels = (root.channels as unknown[]).map((entry, i): NodeChannel => {
    const at = (name: string) => `channels[${i}].${name}`;
    const c = object(entry, `channels[${i}]`);
    const point = text(c.channelPoint, at("channelPoint"), /^[0-9a-f]{64}:\d+$/);
    const [txid, vout] = point.split(":") as [string, string];
    const state = text(c.state, at("state"));
    if (state !== "open" && state !== "opening") fail(at("state"), `is "${state}", not open or opening`);
    if (typeof c.active !== "boolean") fail(at("active"), "is not true or false");
    return {
      channelPoint: point,
      txid,
      vout: Number(vout),
      chanId: orNull(c.chanId, (v) => text(v, at("chanId"))),
      state: state as NodeChannel["state"],
      peer: text(c.peer, at("peer"), /^0[23][0-9a-f]{64}$/),
      capacitySats: sats(c.capacitySats, at("capacitySats")),
      localSats: orNull(c.localSats, (v) => sats(v, at("localSats"))),
      remoteSats: orNull(c.remoteSats, (v) => sats(v, at("remoteSats"))),
      active: c.active as boolean,
      policy: orNull(c.policy, (v) => {
        const p = object(v, at("policy"));
        return {
          baseFeeMsat: sats(p.baseFeeMsat, at("policy.baseFeeMsat")),
          feePpm: int(p.feePpm, at("policy.feePpm")),
          cltvDelta: orNull(p.cltvDelta, (d) => int(d, at("policy.cltvDelta"))),
          inboundBaseFeeMsat: int(p.inboundBaseFeeMsat, at("policy.inboundBaseFeeMsat")),
          inboundFeePpm: int(p.inboundFeePpm, at("policy.inboundFeePpm")),
        };
      }),
      setBy: orNull(c.setBy, (v) => {
        const s = object(v, at("setBy"));
        return {
          actionId: BigInt(text(s.actionId, at("setBy.actionId"), /^\d+$/)),
          kind: text(s.kind, at("setBy.kind")),
          reportedAt: text(s.reportedAt, at("setBy.reportedAt")),
        };
      }),
    };
  });
  return { updatedAt: text(root.updatedAt, "updatedAt"), channels };
}

/** How a kind names a channel: by channel point, or by the channel's peer. */
export const CHANNEL_TARGETS: Partial<Record<ActionKind, { field: string; by: "channel" | "peer" }>> = {
  "fee-policy": { field: "target", by: "channel" },
  "channel-close": { field: "txid and vout", by: "channel" },
  "loop-out": { field: "channel", by: "channel" },
  "loop-in": { field: "last-hop", by: "peer" },
};

/** The channels a kind can target: open ones (an opening channel has no policy, cannot close or route yet). */
export function targetableChannels(kind: ActionKind, channels: NodeChannel[]): NodeChannel[] {
  if (!CHANNEL_TARGETS[kind]) return [];
  return channels.filter((c) => c.state === "open");
}

/** The draft with the channel written into the kind's target field(s), in the codec's JSON form. */
export function withChannelTarget(kind: ActionKind, draft: Draft, channel: NodeChannel): Draft {
  const outpoint = { txid: channel.txid, vout: channel.vout };
  switch (kind) {
    case "fee-policy":
      return { ...draft, target: outpoint };
    case "loop-out":
      return { ...draft, channel: outpoint };
    case "channel-close":
      return { ...draft, ...outpoint };
    case "loop-in":
      return { ...draft, "last-hop": channel.peer };
    default:
      return draft;
  }
}

/** The channel point (or, for loop-in, the peer) the draft names now; null when it names none. */
export function draftTarget(kind: ActionKind, draft: Draft): string | null {
  const point = (value: unknown): string | null => {
    const o = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
    return o && typeof o.txid === "string" && o.txid !== "" ? `${o.txid}:${String(o.vout)}` : null;
  };
  if (kind === "fee-policy") return point(draft.target);
  if (kind === "loop-out") return point(draft.channel);
  if (kind === "channel-close") return point(draft);
  if (kind === "loop-in") return typeof draft["last-hop"] === "string" && draft["last-hop"] ? draft["last-hop"] : null;
  return null;
}

/** Which of `channels` the draft targets now (by channel point, or by peer for loop-in), if any. */
export function targetedChannel(kind: ActionKind, draft: Draft, channels: NodeChannel[]): NodeChannel | null {
  const wanted = draftTarget(kind, draft);
  if (wanted === null) return null;
  // loop-in names a peer: any open channel with it can be the last hop
  return (
    channels.find((c) => (kind === "loop-in" ? c.state === "open" && c.peer === wanted : c.channelPoint === wanted)) ??
    null
  );
}

/** The kind's example with its made-up channel replaced by the node's first open one, when the list is known. */
export function exampleOnNode(kind: ActionKind, example: Draft, channels: NodeChannel[] | null): Draft {
  const first = channels ? targetableChannels(kind, channels)[0] : undefined;
  return first ? withChannelTarget(kind, example, first) : example;
}

/** The local side's share of the capacity, in whole percent, or null while the balances are unknown. */
export function localPercent(channel: NodeChannel): number | null {
  if (channel.localSats === null || channel.capacitySats === 0n) return null;
  return Number((channel.localSats * 100n + channel.capacitySats / 2n) / channel.capacitySats);
}

const grouped = (n: bigint | number): string => n.toLocaleString("en-US");

/** "500 msat + 250 ppm, cltv 80, inbound −25 ppm": the policy in words, with units. */
export function describePolicy(policy: ChannelPolicyView): string {
  const inbound: string[] = [];
  if (policy.inboundBaseFeeMsat !== 0) inbound.push(`${grouped(policy.inboundBaseFeeMsat)} msat`);
  if (policy.inboundFeePpm !== 0) inbound.push(`${grouped(policy.inboundFeePpm)} ppm`);
  return (
    `${grouped(policy.baseFeeMsat)} msat + ${grouped(policy.feePpm)} ppm` +
    (policy.cltvDelta === null ? "" : `, cltv ${policy.cltvDelta}`) +
    (inbound.length ? `, inbound ${inbound.join(" + ")}` : "")
  ).replaceAll("-", "−");
}

/** "02ab12…9f3c": a pubkey or txid short enough for a narrow screen; the full value goes in a title. */
export function shortHex(hex: string): string {
  return hex.length <= 14 ? hex : `${hex.slice(0, 6)}…${hex.slice(-4)}`;
}
