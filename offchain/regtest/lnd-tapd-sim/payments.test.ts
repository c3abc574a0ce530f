// Routing fees as lnd charges them: outbound fee on the outgoing channel plus the inbound fee of the incoming
// channel (negative for a discount), computed on the amount including the outbound fee, never below zero.
import { describe, expect, it } from "vitest";
import { forwardingFeeMsat } from "./payments.ts";
import { initialPolicy, type SimChannel } from "./channels.ts";
import { SimLnd } from "./lnd-node.ts";

const node = new SimLnd({ name: "dao", towerClient: false, towerServer: false });

function channelWith(policy: Partial<ReturnType<typeof initialPolicy>>): SimChannel {
  return { policies: new Map([[node.name, { ...initialPolicy(1_000_000, 0), ...policy }]]) } as unknown as SimChannel;
}

describe("forwardingFeeMsat", () => {
  const cases: Array<
    [string, Partial<ReturnType<typeof initialPolicy>>, Partial<ReturnType<typeof initialPolicy>>, bigint, bigint]
  > = [
    ["outbound only", {}, { baseFeeMsat: 1000n, feeRatePpm: 100 }, 1_000_000n, 1100n],
    [
      "an inbound discount lowers the fee",
      { inboundBaseMsat: -300, inboundFeeRatePpm: -50 },
      { baseFeeMsat: 1000n, feeRatePpm: 100 },
      1_000_000n,
      1100n - 300n - 50n,
    ],
    [
      "the inbound rate applies to the amount plus the outbound fee",
      { inboundFeeRatePpm: -500_000 },
      { baseFeeMsat: 0n, feeRatePpm: 1000 },
      10_000n,
      0n,
    ],
    [
      "the total never goes below zero",
      { inboundBaseMsat: -10_000 },
      { baseFeeMsat: 1000n, feeRatePpm: 0 },
      5_000n,
      0n,
    ],
    [
      "integer division truncates toward zero",
      { inboundFeeRatePpm: -1 },
      { baseFeeMsat: 0n, feeRatePpm: 3 },
      999_999n,
      1n,
    ],
  ];
  it.each(cases)("%s", (_name, incoming, outgoing, amount, expected) => {
    expect(forwardingFeeMsat(node, channelWith(incoming), channelWith(outgoing), amount)).toBe(expected);
  });
});
