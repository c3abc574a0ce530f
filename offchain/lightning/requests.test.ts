// Pure request builders: the fee-policy merge (lnd resets what an update omits), its canonical form for evidence,
// the channel memo, and the split of one fee cap into loopd's caps.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LightningError } from "./errors.ts";
import {
  canonicalPolicySet,
  channelMemo,
  checkDesiredPolicy,
  mergePolicy,
  policyMatches,
  policyUpdateRequest,
  type DesiredPolicy,
} from "./requests/policy.ts";
import {
  channelIdToUint64,
  loopInBody,
  loopInFeeCaps,
  loopOutBody,
  loopOutFeeCaps,
  swapIdPath,
} from "./requests/loop.ts";
import type { LocalPolicy } from "./responses/lnd-channels.ts";
import { Checker } from "./validation.ts";

const current: LocalPolicy = {
  channel: { txid: "aa".repeat(32), vout: 1 },
  id: "100x1x1",
  baseFeeMsat: 1000n,
  feeRatePpm: 1,
  cltvDelta: 80,
  minHtlcMsat: 1000n,
  maxHtlcMsat: 990_000_000n,
  inboundBaseFeeMsat: -5,
  inboundFeeRatePpm: 0,
  isDisabled: false,
};
const desired: DesiredPolicy = {
  baseFeeMsat: 0n,
  feeRatePpm: 250,
  cltvDelta: 40,
  inboundBaseDiscountMsat: 300,
  inboundFeeRateDiscountPpm: 0,
};

describe("mergePolicy and policyUpdateRequest", () => {
  it("takes the DAO's fields, keeps the channel's HTLC limits, and writes discounts as negative inbound fees", () => {
    const merged = mergePolicy(current, desired);
    expect(merged).toEqual({
      channel: current.channel,
      baseFeeMsat: 0n,
      feeRatePpm: 250,
      cltvDelta: 40,
      minHtlcMsat: 1000n,
      maxHtlcMsat: 990_000_000n,
      inboundBaseFeeMsat: -300,
      inboundFeeRatePpm: 0,
    });
    expect(Object.is(merged.inboundFeeRatePpm, -0)).toBe(false);
  });

  it("sends every field explicitly, the rate as integer ppm", () => {
    expect(policyUpdateRequest(mergePolicy(current, desired))).toEqual({
      chan_point: { funding_txid_str: "aa".repeat(32), output_index: 1 },
      base_fee_msat: "0",
      fee_rate_ppm: 250,
      time_lock_delta: 40,
      max_htlc_msat: "990000000",
      min_htlc_msat: "1000",
      min_htlc_msat_specified: true,
      inbound_fee: { base_fee_msat: -300, fee_rate_ppm: 0 },
    });
  });

  it("recognises a live policy that already is the applied one (crash recovery)", () => {
    const merged = mergePolicy(current, desired);
    expect(policyMatches({ ...current, ...merged, id: current.id, isDisabled: false }, merged)).toBe(true);
    expect(policyMatches(current, merged)).toBe(false);
  });

  const invalid: Array<[string, Partial<DesiredPolicy>]> = [
    ["cltv below 18", { cltvDelta: 17 }],
    ["cltv above 2016", { cltvDelta: 2017 }],
    ["negative discount", { inboundFeeRateDiscountPpm: -1 }],
    ["discount beyond int32", { inboundBaseDiscountMsat: 2 ** 31 }],
    ["fee rate above 100%", { feeRatePpm: 1_000_001 }],
    ["base fee as a number", { baseFeeMsat: 5 as unknown as bigint }],
  ];
  it.each(invalid)("refuses %s", (_name, change) => {
    expect(() => checkDesiredPolicy(new Checker("lnd", "t"), { ...desired, ...change })).toThrow(LightningError);
  });
});

describe("canonicalPolicySet", () => {
  it("is the same text whatever order the channels come in", () => {
    const a = mergePolicy(current, desired);
    const b = mergePolicy({ ...current, channel: { txid: "0b".repeat(32), vout: 0 } }, desired);
    expect(canonicalPolicySet([a, b])).toBe(canonicalPolicySet([b, a]));
    expect(JSON.parse(canonicalPolicySet([a, b])).rows[0][0]).toBe(`${"0b".repeat(32)}:0`);
  });

  it("changes when any applied field changes", () => {
    const base = mergePolicy(current, desired);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 100_000 }), (ppm, discount) => {
        const other = mergePolicy(current, { ...desired, feeRatePpm: ppm, inboundFeeRateDiscountPpm: discount });
        const same = ppm === desired.feeRatePpm && discount === desired.inboundFeeRateDiscountPpm;
        expect(canonicalPolicySet([other]) === canonicalPolicySet([base])).toBe(same);
      }),
    );
  });
});

describe("channelMemo", () => {
  it.each([
    [1, "lvdao:1"],
    [42n, "lvdao:42"],
    [2n ** 64n - 1n, "lvdao:18446744073709551615"],
  ])("writes action %s as %s", (id, memo) => {
    expect(channelMemo(id)).toBe(memo);
  });
  it("refuses a negative id", () => expect(() => channelMemo(-1)).toThrow(RangeError));
});

describe("loop fee caps", () => {
  const outQuote = {
    swapFeeSats: 500,
    prepayAmtSats: 100,
    htlcSweepFeeSats: 300,
    swapPaymentDest: "02".padEnd(66, "1"),
    cltvDelta: 100,
    confTarget: 9,
  };

  it("never lets the caps add up to more than the DAO's total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        (swap, sweep, total) => {
          const quote = { ...outQuote, swapFeeSats: swap, htlcSweepFeeSats: sweep, prepayAmtSats: Math.min(swap, 100) };
          if (swap + sweep > total) {
            expect(() => loopOutFeeCaps(quote, total)).toThrow(/exceed the cap/);
            return;
          }
          const caps = loopOutFeeCaps(quote, total);
          expect(
            caps.maxSwapFeeSats + caps.maxMinerFeeSats + caps.maxSwapRoutingFeeSats + caps.maxPrepayRoutingFeeSats,
          ).toBe(total);
          expect(Math.min(...Object.values(caps))).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it("fails with FEE_CAP_EXCEEDED, not a retryable error", () => {
    const error = (() => {
      try {
        loopInFeeCaps({ swapFeeSats: 1000, htlcPublishFeeSats: 500, cltvDelta: 1000, confTarget: 6 }, 1499);
      } catch (e) {
        return e as LightningError;
      }
      return null;
    })();
    expect(error).toMatchObject({ code: "FEE_CAP_EXCEEDED", retryable: false });
  });

  it("writes loopd's field names with int64 values as strings and bytes as base64", () => {
    const out = loopOutBody({
      amountSats: 250_000,
      dest: "bcrt1qdest",
      caps: loopOutFeeCaps(outQuote, 2000),
      outgoingChannelIds: ["123"],
      label: "lvdao:7",
      sweepConfTarget: 9,
    });
    expect(out).toMatchObject({
      amt: "250000",
      dest: "bcrt1qdest",
      max_swap_fee: "500",
      max_prepay_amt: "100",
      max_miner_fee: "300",
      max_swap_routing_fee: "1080",
      max_prepay_routing_fee: "120",
      outgoing_chan_set: ["123"],
      label: "lvdao:7",
    });
    const into = loopInBody({
      amountSats: 1000,
      caps: { maxSwapFeeSats: 10, maxMinerFeeSats: 20 },
      lastHopPubkey: "02" + "ab".repeat(32),
      label: "lvdao:8",
      htlcConfTarget: 6,
    });
    expect(into).toMatchObject({
      amt: "1000",
      max_swap_fee: "10",
      max_miner_fee: "20",
      label: "lvdao:8",
      last_hop: Buffer.from("02" + "ab".repeat(32), "hex").toString("base64"),
    });
  });

  it("converts channel ids and swap ids to loopd's forms", () => {
    expect(channelIdToUint64("2x1x0")).toBe(((2n << 40n) | (1n << 16n)).toString());
    expect(channelIdToUint64("12345")).toBe("12345");
    expect(swapIdPath("ff".repeat(32))).toBe(Buffer.alloc(32, 0xff).toString("base64url"));
  });
});
