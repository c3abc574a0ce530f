import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cl, ClarityType } from "@stacks/transactions";
import { splitByAllocation } from "../offchain/relay/monitors/revenue-split.ts";
import {
  deployer,
  errorOf,
  eventsWithTopic,
  gtBalance,
  readOnly,
  relay,
  setting,
  uintOf,
  wallet,
} from "./helpers/ext-governance.ts";
import { stakeToPass } from "./helpers/ext-conviction.ts";
import { runAsDao } from "./helpers/lifecycle.ts";
import { lvPricing } from "./helpers/payloads.ts";
import { recordTradeSummaryCall } from "../offchain/relay/stacks/market-calls.ts";
import { lvPricingOf, tradeSummaryOf } from "../offchain/market/pricing-chain.ts";

const LV = "lv-ledger";
const err = (name: string) => errorOf(LV, name);
const ANCHOR = Cl.bufferFromHex(`${"ab".repeat(32)}00000001`);
const ADDRESS = "taprt1qqqsqqspqqzzqexampleaddressforpledge";

const pledge = (amount: number, who = wallet(5)) => simnet.callPublicFn(LV, "pledge", [Cl.uint(amount)], who);
const setAddress = (id: number, address = ADDRESS, who = relay()) =>
  simnet.callPublicFn(LV, "set-pledge-address", [Cl.uint(id), Cl.stringAscii(address)], who);
const confirm = (id: number, amount: number, anchor = ANCHOR, who = relay()) =>
  simnet.callPublicFn(LV, "confirm-contribution", [Cl.uint(id), anchor, Cl.uint(amount)], who);
const recordEpoch = (epoch: number, minted: number, shares: [number, number, number], who = relay()) =>
  simnet.callPublicFn(
    LV,
    "record-revenue-epoch",
    [Cl.uint(epoch), Cl.uint(minted * 3), Cl.uint(minted), ...shares.map((s) => Cl.uint(s)), Cl.bufferFromHex("00")],
    who,
  );

function pledged(amount = 1_000): number {
  pledge(amount);
  const id = Number(uintOf(readOnly(LV, "get-last-pledge-id")));
  setAddress(id);
  return id;
}

describe("pledge", () => {
  it("refuses zero with ERR_ZERO_AMOUNT", () => {
    expect(pledge(0).result).toStrictEqual(err("ERR_ZERO_AMOUNT"));
  });

  it("numbers pledges from 1 and prints lv-pledged", () => {
    const { result, events } = pledge(5_000);
    expect(result).toStrictEqual(Cl.ok(Cl.uint(1)));
    expect(eventsWithTopic(events, "lv-pledged")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("lv-pledged"),
        "pledge-id": Cl.uint(1),
        pledger: Cl.principal(wallet(5)),
        amount: Cl.uint(5_000),
      }),
    ]);
    expect(pledge(7).result).toStrictEqual(Cl.ok(Cl.uint(2)));
  });
});

describe("set-pledge-address", () => {
  it.each([
    [
      "a caller that is not the relay",
      () => {
        pledge(10);
        return setAddress(1, ADDRESS, wallet(5));
      },
      "ERR_NOT_RELAY",
    ],
    ["an unknown pledge", () => setAddress(42), "ERR_UNKNOWN_PLEDGE"],
    [
      "an empty address",
      () => {
        pledge(10);
        return setAddress(1, "");
      },
      "ERR_EMPTY_ADDRESS",
    ],
    [
      "a confirmed pledge",
      () => {
        pledged(10);
        confirm(1, 10);
        return setAddress(1);
      },
      "ERR_ALREADY_CONFIRMED",
    ],
  ])("refuses %s", (_case, act, error) => {
    expect(act().result).toStrictEqual(err(error));
  });

  it("gives the pledge its address and prints lv-pledge-address", () => {
    pledge(10);
    const { result, events } = setAddress(1);
    expect(result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(eventsWithTopic(events, "lv-pledge-address")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("lv-pledge-address"),
        "pledge-id": Cl.uint(1),
        pledger: Cl.principal(wallet(5)),
        "tap-addr": Cl.stringAscii(ADDRESS),
      }),
    ]);
  });
});

describe("confirm-contribution", () => {
  it.each([
    [
      "a caller that is not the relay",
      () => {
        pledged();
        return confirm(1, 10, ANCHOR, wallet(5));
      },
      "ERR_NOT_RELAY",
    ],
    ["an unknown pledge", () => confirm(9, 10), "ERR_UNKNOWN_PLEDGE"],
    [
      "a pledge without an address",
      () => {
        pledge(10);
        return confirm(1, 10);
      },
      "ERR_NO_ADDRESS",
    ],
    [
      "a zero amount",
      () => {
        pledged();
        return confirm(1, 0);
      },
      "ERR_ZERO_AMOUNT",
    ],
    [
      "more than was pledged",
      () => {
        pledged(1_000);
        return confirm(1, 1_001);
      },
      "ERR_AMOUNT_EXCEEDS_PLEDGE",
    ],
    [
      "a pledge confirmed twice",
      () => {
        pledged();
        confirm(1, 10);
        return confirm(1, 10, Cl.bufferFromHex("01"));
      },
      "ERR_ALREADY_CONFIRMED",
    ],
    [
      "a double-confirmed anchor",
      () => {
        pledged();
        pledged();
        confirm(1, 10);
        return confirm(2, 10);
      },
      "ERR_ANCHOR_USED",
    ],
    // the same outpoint as 36 bytes and as its 32-byte txid alone: only the 36-byte form is an anchor
    [
      "the same outpoint's 32-byte txid",
      () => {
        pledged();
        pledged();
        confirm(1, 10);
        return confirm(2, 10, Cl.bufferFromHex("ab".repeat(32)));
      },
      "ERR_BAD_ANCHOR",
    ],
    [
      "an anchor of 35 bytes",
      () => {
        pledged();
        return confirm(1, 10, Cl.bufferFromHex(`${"ab".repeat(32)}000001`));
      },
      "ERR_BAD_ANCHOR",
    ],
    [
      "an empty anchor",
      () => {
        pledged();
        return confirm(1, 10, Cl.bufferFromHex(""));
      },
      "ERR_BAD_ANCHOR",
    ],
  ])("refuses %s", (_case, act, error) => {
    expect(act().result).toStrictEqual(err(error));
  });

  it("refuses a contribution that would mint 0 GT with ERR_ZERO_MINT, and keeps the pledge open", () => {
    expect(runAsDao('(contract-call? .dao-settings set-setting "gt-per-lv" u1)').result).toStrictEqual(
      Cl.ok(Cl.bool(true)),
    );
    const id = pledged(1_000_000);
    // 999,999 LV * 1 / 10^6 = 0 GT
    expect(confirm(id, 999_999).result).toStrictEqual(err("ERR_ZERO_MINT"));
    const stored = readOnly(LV, "get-pledge", [Cl.uint(id)]);
    expect(
      stored.type === ClarityType.OptionalSome &&
        stored.value.type === ClarityType.Tuple &&
        stored.value.value.confirmed,
    ).toStrictEqual(Cl.none());
    expect(readOnly(LV, "get-anchor", [ANCHOR])).toStrictEqual(Cl.none());
    // the pledge is still open: the full amount mints 1 GT base unit
    expect(confirm(id, 1_000_000).result).toStrictEqual(Cl.ok(Cl.uint(1)));
  });

  it("mints amount * gt-per-lv / 10^6 GT for a partial amount and prints lv-contributed", () => {
    const id = pledged(1_000_000);
    const before = gtBalance(wallet(5));
    const expected = (600_000n * setting("gt-per-lv")) / 1_000_000n;
    const { result, events } = confirm(id, 600_000);
    expect(result).toStrictEqual(Cl.ok(Cl.uint(expected)));
    expect(gtBalance(wallet(5)) - before).toBe(expected);
    expect(readOnly(LV, "get-anchor", [ANCHOR])).toStrictEqual(Cl.some(Cl.uint(id)));
    const stored = readOnly(LV, "get-pledge", [Cl.uint(id)]);
    expect(
      stored.type === ClarityType.OptionalSome &&
        stored.value.type === ClarityType.Tuple &&
        stored.value.value.confirmed,
    ).toStrictEqual(
      Cl.some(
        Cl.tuple({
          anchor: ANCHOR,
          amount: Cl.uint(600_000),
          "gt-minted": Cl.uint(expected),
          "confirmed-at": Cl.uint(simnet.burnBlockHeight),
        }),
      ),
    );
    expect(eventsWithTopic(events, "lv-contributed")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("lv-contributed"),
        "pledge-id": Cl.uint(id),
        pledger: Cl.principal(wallet(5)),
        anchor: ANCHOR,
        amount: Cl.uint(600_000),
        "gt-minted": Cl.uint(expected),
      }),
    ]);
  });
});

describe("set-allocation", () => {
  it("refuses a direct call with ERR_UNAUTHORIZED", () => {
    expect(
      simnet.callPublicFn(LV, "set-allocation", [Cl.uint(5000), Cl.uint(5000), Cl.uint(0)], wallet(1)).result,
    ).toStrictEqual(err("ERR_UNAUTHORIZED"));
  });

  it("refuses shares that do not sum to 10000 with ERR_BPS_SUM, even from the DAO", () => {
    expect(runAsDao("(contract-call? .lv-ledger set-allocation u5000 u5000 u1)").result).toStrictEqual(
      err("ERR_BPS_SUM"),
    );
  });

  it("takes the split of a passed lv-allocation proposal and prints lv-allocation-set", () => {
    const applied = stakeToPass(
      "lv-allocation",
      Cl.tuple({
        "infrastructure-bps": Cl.uint(2_000),
        "channel-bps": Cl.uint(5_000),
        "reserve-bps": Cl.uint(3_000),
      }),
    );
    expect(readOnly(LV, "get-allocation")).toStrictEqual(
      Cl.tuple({
        "infrastructure-bps": Cl.uint(2_000),
        "channel-bps": Cl.uint(5_000),
        "reserve-bps": Cl.uint(3_000),
      }),
    );
    expect(eventsWithTopic(applied.events, "lv-allocation-set")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("lv-allocation-set"),
        "infrastructure-bps": Cl.uint(2_000),
        "channel-bps": Cl.uint(5_000),
        "reserve-bps": Cl.uint(3_000),
      }),
    ]);
  });
});

describe("record-revenue-epoch", () => {
  // default allocation: 1000 / 6000 / 3000 bps
  it.each([
    ["a caller that is not the relay", () => recordEpoch(1, 10_000, [1_000, 6_000, 3_000], wallet(5)), "ERR_NOT_RELAY"],
    ["shares that do not add up", () => recordEpoch(1, 10_000, [1_000, 6_000, 2_999]), "ERR_SHARES_SUM"],
    ["shares off the allocation by 2 units", () => recordEpoch(1, 10_000, [1_002, 5_998, 3_000]), "ERR_SHARE_MISMATCH"],
    // 10,001 at 1000/6000/3000 bps: 1000.1, 6000.6, 3000.3; the unit left over goes to channels, the largest remainder
    [
      "a leftover unit given to a smaller remainder",
      () => recordEpoch(1, 10_001, [1_001, 6_000, 3_000]),
      "ERR_SHARE_MISMATCH",
    ],
    ["a leftover unit given to the reserve", () => recordEpoch(1, 10_001, [1_000, 6_000, 3_001]), "ERR_SHARE_MISMATCH"],
    [
      "an epoch recorded twice",
      () => {
        recordEpoch(1, 10_000, [1_000, 6_000, 3_000]);
        return recordEpoch(1, 10, [1, 6, 3]);
      },
      "ERR_EPOCH_RECORDED",
    ],
  ])("refuses %s", (_case, act, error) => {
    expect(act().result).toStrictEqual(err(error));
  });

  it("accepts exactly the largest-remainder split and prints revenue-epoch", () => {
    const { result, events } = recordEpoch(7, 10_001, [1_000, 6_001, 3_000]);
    expect(result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(eventsWithTopic(events, "revenue-epoch")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("revenue-epoch"),
        epoch: Cl.uint(7),
        "revenue-sats": Cl.uint(30_003),
        "lv-minted": Cl.uint(10_001),
        "to-infrastructure": Cl.uint(1_000),
        "to-channels": Cl.uint(6_001),
        "to-reserve": Cl.uint(3_000),
        evidence: Cl.bufferFromHex("00"),
        "infrastructure-bps": Cl.uint(1_000),
        "channel-bps": Cl.uint(6_000),
        "reserve-bps": Cl.uint(3_000),
      }),
    ]);
    expect(readOnly(LV, "get-revenue-epoch", [Cl.uint(7)]).type).toBe(ClarityType.OptionalSome);
  });
});

describe("split-revenue", () => {
  it.each([
    // total, bps (infrastructure, channels, reserve), expected shares
    [10_001n, [1_000n, 6_000n, 3_000n], [1_000n, 6_001n, 3_000n]],
    [2n, [3_334n, 3_333n, 3_333n], [1n, 1n, 0n]], // ties break in the order infrastructure, channels, reserve
    [1n, [3_333n, 3_333n, 3_334n], [0n, 0n, 1n]],
    [5n, [5_000n, 5_000n, 0n], [3n, 2n, 0n]],
    [0n, [1_000n, 6_000n, 3_000n], [0n, 0n, 0n]],
    [7n, [10_000n, 0n, 0n], [7n, 0n, 0n]],
  ] as const)("splits %s by %s as %s", (total, bps, shares) => {
    runAsDao(`(contract-call? .lv-ledger set-allocation u${bps[0]} u${bps[1]} u${bps[2]})`);
    expect(readOnly(LV, "split-revenue", [Cl.uint(total)])).toStrictEqual(
      Cl.tuple({
        "to-infrastructure": Cl.uint(shares[0]),
        "to-channels": Cl.uint(shares[1]),
        "to-reserve": Cl.uint(shares[2]),
      }),
    );
  });

  it("is the relay's split for any total and allocation (property)", () => {
    const allocations = fc
      .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
      .map(
        ([a, b]) =>
          [Math.min(a, b), Math.max(a, b) - Math.min(a, b), 10_000 - Math.max(a, b)].map(BigInt) as [
            bigint,
            bigint,
            bigint,
          ],
      );
    fc.assert(
      fc.property(allocations, fc.bigInt({ min: 0n, max: 10n ** 15n }), ([a, b, c], total) => {
        expect(runAsDao(`(contract-call? .lv-ledger set-allocation u${a} u${b} u${c})`).result).toStrictEqual(
          Cl.ok(Cl.bool(true)),
        );
        const relay = splitByAllocation(total, { infrastructureBps: a, channelBps: b, reserveBps: c });
        expect(readOnly(LV, "split-revenue", [Cl.uint(total)])).toStrictEqual(
          Cl.tuple({
            "to-infrastructure": Cl.uint(relay.toInfrastructure),
            "to-channels": Cl.uint(relay.toChannels),
            "to-reserve": Cl.uint(relay.toReserve),
          }),
        );
      }),
      { numRuns: 12 },
    );
  });
});

describe("set-lv-pricing", () => {
  it("refuses a direct call with ERR_UNAUTHORIZED, and there is no pricing until one is set", () => {
    expect(simnet.callPublicFn(LV, "set-lv-pricing", [lvPricing()], wallet(1)).result).toStrictEqual(
      err("ERR_UNAUTHORIZED"),
    );
    expect(readOnly(LV, "get-lv-pricing")).toBeNone();
    expect(lvPricingOf(readOnly(LV, "get-lv-pricing"))).toBeNull();
  });

  it("keeps the DAO's pricing with its Stacks height, as lvPricingOf reads it", () => {
    runAsDao(`(contract-call? .lv-ledger set-lv-pricing ${Cl.prettyPrint(lvPricing({ "spread-bps": Cl.uint(75) }))})`);
    expect(lvPricingOf(readOnly(LV, "get-lv-pricing"))).toEqual({
      referenceMsat: 1_000n,
      spreadBps: 75n,
      targetInboundBps: 5_000n,
      premiumSlopeBps: 20n,
      maxPremiumBps: 500n,
      quoteTtl: 60n,
      maxTradeLv: 1_000_000n,
      maxPeriodLv: 10_000_000n,
      period: 144n,
      setAt: BigInt(simnet.blockHeight),
    });
  });
});

describe("record-trade-summary", () => {
  const HASH = Cl.bufferFromHex("7e".repeat(32));
  const PERIOD = 1_000;
  const summary = (period: number, trades: number, lv: number, sats: number, who = relay()) =>
    simnet.callPublicFn(
      LV,
      "record-trade-summary",
      [Cl.uint(period), Cl.uint(trades), Cl.uint(lv), Cl.uint(sats), Cl.uint(120), HASH],
      who,
    );
  /** Sets a pricing with 1000-block periods and mines to the middle of a period at least two in;
   * returns the current period index. */
  function priced(): number {
    expect(
      runAsDao(`(contract-call? .lv-ledger set-lv-pricing ${Cl.prettyPrint(lvPricing({ period: Cl.uint(PERIOD) }))})`)
        .result,
    ).toStrictEqual(Cl.ok(Cl.bool(true)));
    simnet.mineEmptyBlocks(2 * PERIOD + 500 - (simnet.blockHeight % PERIOD));
    return Math.floor(simnet.blockHeight / PERIOD);
  }

  it("refuses a non-relay with ERR_NOT_RELAY, and any summary before a pricing with ERR_NO_PRICING", () => {
    expect(summary(0, 1, 10, 10, wallet(5)).result).toStrictEqual(err("ERR_NOT_RELAY"));
    expect(summary(0, 1, 10, 10).result).toStrictEqual(err("ERR_NO_PRICING"));
  });

  it("refuses the current period and later ones with ERR_PERIOD_NOT_OVER", () => {
    const current = priced();
    expect(summary(current, 1, 10, 10).result).toStrictEqual(err("ERR_PERIOD_NOT_OVER"));
    expect(summary(current + 1, 1, 10, 10).result).toStrictEqual(err("ERR_PERIOD_NOT_OVER"));
  });

  it.each([
    ["no trades with LV volume", 0, 5, 0],
    ["no trades with sats volume", 0, 0, 5],
    ["trades without LV volume", 2, 0, 100],
  ])("refuses %s with ERR_SUMMARY_INCONSISTENT", (_case, trades, lv, sats) => {
    const current = priced();
    expect(summary(current - 1, trades, lv, sats).result).toStrictEqual(err("ERR_SUMMARY_INCONSISTENT"));
  });

  it("takes the call the relay builds (recordTradeSummaryCall) and reads back through tradeSummaryOf", () => {
    const current = priced();
    const call = recordTradeSummaryCall(deployer, {
      period: BigInt(current - 1),
      trades: 2n,
      lvVolume: 5_000n,
      satsVolume: 5_250n,
      avgPremiumBps: 75n,
      tradesHash: new Uint8Array(32).fill(9),
    });
    const [contractAddress, contractName] = call.contractId.split(".");
    expect(contractAddress).toBe(deployer);
    expect(simnet.callPublicFn(contractName!, call.functionName, call.args, relay()).result).toStrictEqual(
      Cl.ok(Cl.bool(true)),
    );
    expect(tradeSummaryOf(readOnly(LV, "get-trade-summary", [Cl.uint(current - 1)]))).toEqual({
      trades: 2n,
      lvVolume: 5_000n,
      satsVolume: 5_250n,
      avgPremiumBps: 75n,
      tradesHash: "09".repeat(32),
      recordedAt: BigInt(simnet.blockHeight),
    });
    expect(tradeSummaryOf(readOnly(LV, "get-trade-summary", [Cl.uint(current)]))).toBeNull();
    expect(() =>
      recordTradeSummaryCall(deployer, {
        period: 0n,
        trades: 0n,
        lvVolume: 0n,
        satsVolume: 0n,
        avgPremiumBps: 0n,
        tradesHash: new Uint8Array(31),
      }),
    ).toThrow("trades-hash must be 32 bytes (a sha256), got 31");
  });

  it("records a complete period once, prints trade-summary-recorded, refuses it again: ERR_SUMMARY_RECORDED", () => {
    const current = priced();
    const { result, events } = summary(current - 1, 3, 30_000, 31_500);
    expect(result).toStrictEqual(Cl.ok(Cl.bool(true)));
    const stored = {
      trades: Cl.uint(3),
      "lv-volume": Cl.uint(30_000),
      "sats-volume": Cl.uint(31_500),
      "avg-premium-bps": Cl.uint(120),
      "trades-hash": HASH,
      "recorded-at": Cl.uint(simnet.blockHeight),
    };
    expect(eventsWithTopic(events, "trade-summary-recorded")).toStrictEqual([
      Cl.tuple({
        ...stored,
        topic: Cl.stringAscii("trade-summary-recorded"),
        period: Cl.uint(current - 1),
        reporter: Cl.principal(relay()),
      }),
    ]);
    expect(readOnly(LV, "get-trade-summary", [Cl.uint(current - 1)])).toStrictEqual(Cl.some(Cl.tuple(stored)));
    // a period with no trades is a summary too
    expect(summary(current - 2, 0, 0, 0).result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(summary(current - 1, 1, 1, 1).result).toStrictEqual(err("ERR_SUMMARY_RECORDED"));
    expect(readOnly(LV, "get-trade-summary", [Cl.uint(current)])).toBeNone();
  });
});
