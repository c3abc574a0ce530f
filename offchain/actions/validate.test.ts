import { describe, expect, it } from "vitest";
import {
  DEFAULT_SETTINGS,
  SETTINGS,
  checkSetting,
  isChainKind,
  isRelayKind,
  requestedAmount,
  validateAction,
  ACTION_KINDS,
  type Action,
} from "./index.ts";
import { EXAMPLES, exampleXpub } from "./examples.ts";
import { errorOf } from "./test/error-of.ts";
import { REJECTIONS, SHAPE_REJECTIONS } from "./rejections.ts";

describe("validateAction", () => {
  it.each(EXAMPLES.map((a) => [a.kind, a] as const))("accepts the %s example", (_, action) => {
    expect(validateAction(action)).toBe(action);
  });

  it.each(REJECTIONS.map((r) => [r.name, r] as const))("rejects %s", (_, rejection) => {
    const error = errorOf(() => validateAction(rejection.action));
    expect([error.code, error.field]).toEqual([rejection.code, rejection.field]);
  });

  it.each(SHAPE_REJECTIONS.map((r) => [r.name, r] as const))(
    "rejects %s by its shape (the chain compares it with the deployed code)",
    (_, rejection) => {
      const error = errorOf(() => validateAction(rejection.action));
      expect([error.code, error.field]).toEqual([rejection.code, rejection.field]);
    },
  );

  it("accepts a treasury transfer of exactly 10^15 and a code-hash of any 32 bytes", () => {
    expect(() =>
      validateAction({
        kind: "treasury-transfer",
        payload: { recipient: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5", amount: 10n ** 15n },
      }),
    ).not.toThrow();
    const proposal = EXAMPLES.find((a) => a.kind === "contract-proposal")!;
    expect(() =>
      validateAction({ ...proposal, payload: { ...proposal.payload, codeHash: "00".repeat(32) } } as Action),
    ).not.toThrow();
  });

  it.each([
    ["one guardian, threshold 1", { guardianKeys: [exampleXpub("11")], guardianThreshold: 1n }],
    [
      "seven guardians, threshold 7",
      { guardianKeys: ["31", "32", "33", "34", "35", "36", "37"].map(exampleXpub), guardianThreshold: 7n },
    ],
    ["the tightest timelocks", { recoveryOlder: 144n, lastResortOlder: 145n }],
    ["the loosest timelocks", { recoveryOlder: 52_560n, lastResortOlder: 65_535n }],
    ["fee rate 1", { maxFeeRate: 1n }],
    ["fee rate 1000", { maxFeeRate: 1_000n }],
  ])("accepts a vault-set at its edges: %s", (_, changes) => {
    const vault = EXAMPLES.find((a) => a.kind === "vault-set")!;
    const action = { ...vault, payload: { ...vault.payload, ...changes } } as Action;
    expect(validateAction(action)).toBe(action);
  });

  it.each([
    [
      "zero spread, target, slope and cap",
      { spreadBps: 0n, targetInboundBps: 0n, premiumSlopeBps: 0n, maxPremiumBps: 0n },
    ],
    [
      "the largest bounds",
      {
        spreadBps: 2_000n,
        targetInboundBps: 10_000n,
        premiumSlopeBps: 10_000n,
        maxPremiumBps: 5_000n,
        quoteTtl: 3_600n,
      },
    ],
    [
      "a one-block period, ttl 10 s, period limit = trade limit",
      { period: 1n, quoteTtl: 10n, maxPeriodLv: 1_000_000n },
    ],
  ])("accepts an lv-pricing at its edges: %s", (_, changes) => {
    const pricing = EXAMPLES.find((a) => a.kind === "lv-pricing")!;
    const action = { ...pricing, payload: { ...pricing.payload, ...changes } } as Action;
    expect(validateAction(action)).toBe(action);
  });

  it("reads the live bounds it is given rather than the defaults", () => {
    const open = EXAMPLES[0] as Extract<Action, { kind: "channel-open" }>;
    expect(errorOf(() => validateAction(open, { ...DEFAULT_SETTINGS, maxChannelSats: 999_999n })).code).toBe(
      "ERR_CHANNEL_SIZE",
    );
    expect(validateAction(open, { ...DEFAULT_SETTINGS, maxFeePpm: 100n })).toBe(open);
  });

  it("covers every kind with an example", () => {
    expect(EXAMPLES.map((a) => a.kind).sort()).toEqual([...ACTION_KINDS].sort());
  });
});

describe("checkSetting", () => {
  it("knows every plain key and every <kind>:<field> action-config key", () => {
    expect(Object.keys(SETTINGS)).toHaveLength(24 + ACTION_KINDS.length * 8);
    for (const [key, spec] of Object.entries(SETTINGS)) {
      expect(() => checkSetting(key, spec.default)).not.toThrow();
      expect(spec.min <= spec.default && spec.default <= spec.max).toBe(true);
    }
    expect(errorOf(() => checkSetting("loop-out:members-only", 2n)).code).toBe("ERR_SETTING_BOUNDS");
  });

  it.each([
    ["pause-cooldown", 1_008n, 0n, 4_320n],
    ["pause-budget", 432n, 1n, 52_560n],
    ["pause-period", 2_016n, 1n, 52_560n],
    ["max-attestation", 52_560n, 1n, 262_800n],
    ["grant-min-supporters", 3n, 1n, 100n],
    ["gt-grant:timelock", 144n, 0n, 4_320n],
    ["treasury-transfer:mechanism", 1n, 1n, 2n],
    ["treasury-transfer:voting-delay", 6n, 0n, 4_320n],
    ["treasury-transfer:voting-period", 144n, 1n, 8_640n],
    ["treasury-transfer:quorum-votes", 1_000_000n, 0n, 10n ** 15n],
    ["treasury-transfer:pass-bps", 6_000n, 1n, 10_000n],
    ["treasury-transfer:timelock", 12n, 0n, 4_320n],
    ["treasury-transfer:expiry", 1_008n, 6n, 52_560n],
    ["treasury-transfer:members-only", 0n, 0n, 1n],
    ["lv-transfer:timelock", 6n, 0n, 4_320n],
    ["vault-set:pass-bps", 6_000n, 1n, 10_000n],
    ["vault-set:timelock", 12n, 0n, 4_320n],
    ["lv-pricing:mechanism", 1n, 1n, 2n],
    ["lv-pricing:pass-bps", 6_000n, 1n, 10_000n],
    ["lv-pricing:timelock", 12n, 0n, 4_320n],
  ] as const)("%s starts at %i within [%i, %i]", (key, value, min, max) => {
    expect(SETTINGS[key]).toMatchObject({ default: value, min, max });
    expect(errorOf(() => checkSetting(key, max + 1n)).code).toBe("ERR_SETTING_BOUNDS");
  });
});

describe("requestedAmount and kind groups", () => {
  it.each([
    [EXAMPLES[0]!, 1_010_000n, 1n],
    [EXAMPLES[4]!, 250_000n, 1n],
    [EXAMPLES[6]!, 1_000n, 2n],
    [EXAMPLES[11]!, 1_000_000n, 3n],
    [EXAMPLES[2]!, 0n, 0n],
    [EXAMPLES.find((a) => a.kind === "treasury-transfer")!, 0n, 0n],
  ])("reports r and the pool for %#", (action, requested, pool) => {
    expect(requestedAmount(action)).toEqual({ requested, pool });
  });

  it("splits the kinds into relay kinds and chain kinds", () => {
    for (const kind of ACTION_KINDS) expect(isRelayKind(kind)).toBe(!isChainKind(kind));
    expect(ACTION_KINDS.filter(isRelayKind)).toHaveLength(8);
    expect(isChainKind("treasury-transfer")).toBe(true);
    expect(isChainKind("vault-set") && isChainKind("lv-pricing")).toBe(true);
  });
});
