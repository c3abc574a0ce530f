// The relay's channel list in the app: the JSON checked field by field, the rows' numbers, and a picked channel
// written into each kind's target field in the codec's JSON form (which the codec then accepts).
import { describe, expect, it } from "vitest";
import { actionFromJson, type ActionKind } from "../../actions/index.ts";
import {
  ChannelListError,
  describePolicy,
  draftTarget,
  exampleOnNode,
  localPercent,
  parseChannelListing,
  targetableChannels,
  targetedChannel,
  withChannelTarget,
  type NodeChannel,
} from "../src/model/channels.ts";
import { exampleDraft } from "../src/model/payload-form.ts";

const TX = "cd".repeat(32);
const PEER = `02${"ef".repeat(32)}`;
const wire = (over: Record<string, unknown> = {}) => ({
  channelPoint: `${TX}:1`,
  chanId: "101x1x1",
  state: "open",
  peer: PEER,
  capacitySats: "10000000",
  localSats: "5000000",
  remoteSats: "4990000",
  active: true,
  policy: { baseFeeMsat: "500", feePpm: 250, cltvDelta: 80, inboundBaseFeeMsat: 0, inboundFeePpm: -25 },
  setBy: { actionId: "4", kind: "fee-policy", reportedAt: "2026-01-02T12:00:00.000Z" },
  ...over,
});
const listing = (...channels: unknown[]) => ({ updatedAt: "2026-01-02T12:00:01.000Z", channels });

describe("parseChannelListing", () => {
  it("maps the relay's JSON to typed channels: sats as bigint, the channel point split", () => {
    expect(parseChannelListing(listing(wire()))).toEqual({
      updatedAt: "2026-01-02T12:00:01.000Z",
      channels: [
        {
          channelPoint: `${TX}:1`,
          txid: TX,
          vout: 1,
          chanId: "101x1x1",
          state: "open",
          peer: PEER,
          capacitySats: 10_000_000n,
          localSats: 5_000_000n,
          remoteSats: 4_990_000n,
          active: true,
          policy: { baseFeeMsat: 500n, feePpm: 250, cltvDelta: 80, inboundBaseFeeMsat: 0, inboundFeePpm: -25 },
          setBy: { actionId: 4n, kind: "fee-policy", reportedAt: "2026-01-02T12:00:00.000Z" },
        },
      ],
    });
  });

  it("keeps an opening channel's nulls", () => {
    const [c] = parseChannelListing(
      listing(wire({ state: "opening", chanId: null, localSats: null, remoteSats: null, policy: null, setBy: null })),
    ).channels;
    expect(c).toMatchObject({ state: "opening", chanId: null, localSats: null, policy: null, setBy: null });
  });

  it.each([
    [{ channels: "x", updatedAt: "t" }, "channels is not a list"],
    [listing(wire({ channelPoint: "abc:0" })), "channels[0].channelPoint is not a valid string"],
    [listing(wire({ state: "closed" })), 'channels[0].state is "closed", not open or opening'],
    [listing(wire({ capacitySats: 10 })), "channels[0].capacitySats is not a valid string"],
    [listing(wire({ peer: "02ab" })), "channels[0].peer is not a valid string"],
    [listing(wire({ policy: { ...wire().policy, feePpm: "250" } })), "channels[0].policy.feePpm is not an integer"],
    [listing(wire({ active: "yes" })), "channels[0].active is not true or false"],
  ])("refuses %j: %s", (json, message) => {
    expect(() => parseChannelListing(json)).toThrow(ChannelListError);
    expect(() => parseChannelListing(json)).toThrow(`the relay's channel list: ${message}`);
  });
});

const open = parseChannelListing(listing(wire())).channels[0]!;
const opening = parseChannelListing(
  listing(
    wire({ channelPoint: `${"aa".repeat(32)}:0`, state: "opening", localSats: null, remoteSats: null, policy: null }),
  ),
).channels[0]!;

describe("a picked channel in each kind's payload", () => {
  const cases: { kind: ActionKind; written: Record<string, unknown> }[] = [
    { kind: "fee-policy", written: { target: { txid: TX, vout: 1 } } },
    { kind: "channel-close", written: { txid: TX, vout: 1 } },
    { kind: "loop-out", written: { channel: { txid: TX, vout: 1 } } },
    { kind: "loop-in", written: { "last-hop": PEER } },
  ];
  it.each(cases)(
    "$kind: writes $written, which the codec accepts, and reads it back as targeted",
    ({ kind, written }) => {
      const draft = withChannelTarget(kind, exampleDraft(kind), open);
      expect(draft).toMatchObject(written);
      expect(() => actionFromJson(kind, draft)).not.toThrow();
      expect(targetedChannel(kind, draft, [opening, open])).toBe(open);
      expect(draftTarget(kind, draft)).toBe(kind === "loop-in" ? PEER : `${TX}:1`);
    },
  );

  it("only open channels are targets, and only for the four kinds that name one", () => {
    expect(targetableChannels("fee-policy", [opening, open])).toEqual([open]);
    expect(targetableChannels("channel-open", [opening, open])).toEqual([]);
    expect(withChannelTarget("setting", { key: "x" }, open)).toEqual({ key: "x" });
  });

  it("the example's made-up channel is replaced by the node's first open channel, when the list is known", () => {
    const example = exampleDraft("fee-policy");
    expect(draftTarget("fee-policy", example)).toBe(`${"ab".repeat(32)}:0`);
    expect(draftTarget("fee-policy", exampleOnNode("fee-policy", example, [opening, open]))).toBe(`${TX}:1`);
    expect(exampleOnNode("fee-policy", example, null)).toBe(example);
    expect(exampleOnNode("fee-policy", example, [opening])).toBe(example);
  });

  it("a draft naming a channel the node does not have is not targeted", () => {
    const draft = exampleDraft("channel-close");
    expect(draftTarget("channel-close", draft)).toBe(`${"ab".repeat(32)}:1`);
    expect(targetedChannel("channel-close", draft, [open])).toBeNull();
    expect(draftTarget("loop-out", exampleDraft("loop-out"))).toBeNull();
  });
});

describe("channel rows", () => {
  const channel = (local: bigint | null, capacity: bigint): NodeChannel => ({
    ...open,
    localSats: local,
    capacitySats: capacity,
  });
  it.each([
    [5_000_000n, 10_000_000n, 50],
    [1n, 3n, 33],
    [2n, 3n, 67],
    [0n, 1_000n, 0],
    [null, 1_000n, null],
    [0n, 0n, null],
  ])("local %s of %s is %s%", (local, capacity, percent) => {
    expect(localPercent(channel(local, capacity))).toBe(percent);
  });

  it.each([
    [
      { baseFeeMsat: 500n, feePpm: 250, cltvDelta: 80, inboundBaseFeeMsat: 0, inboundFeePpm: -25 },
      "500 msat + 250 ppm, cltv 80, inbound −25 ppm",
    ],
    [{ baseFeeMsat: 1000n, feePpm: 1, cltvDelta: null, inboundBaseFeeMsat: 0, inboundFeePpm: 0 }, "1,000 msat + 1 ppm"],
    [
      { baseFeeMsat: 0n, feePpm: 5000, cltvDelta: 40, inboundBaseFeeMsat: -1500, inboundFeePpm: -10 },
      "0 msat + 5,000 ppm, cltv 40, inbound −1,500 msat + −10 ppm",
    ],
  ])("policy %# reads %s", (policy, text) => {
    expect(describePolicy(policy)).toBe(text);
  });
});
