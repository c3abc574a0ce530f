import { describe, expect, it } from "vitest";
import {
  DEFAULT_SETTINGS, SETTINGS, checkSetting, isChainKind, isRelayKind, requestedAmount, validateAction,
  ACTION_KINDS, type Action,
} from "./index.ts";
import { EXAMPLES } from "./examples.ts";
import { errorOf } from "./error-of.ts";
import { REJECTIONS } from "./rejections.ts";


describe("validateAction", () => {
  it.each(EXAMPLES.map((a) => [a.kind, a] as const))("accepts the %s example", (_, action) => {
    expect(validateAction(action)).toBe(action);
  });

  it.each(REJECTIONS.map((r) => [r.name, r] as const))("rejects %s", (_, rejection) => {
    const error = errorOf(() => validateAction(rejection.action));
    expect([error.code, error.field]).toEqual([rejection.code, rejection.field]);
  });

  it("reads the live bounds it is given rather than the defaults", () => {
    const open = EXAMPLES[0] as Extract<Action, { kind: "channel-open" }>;
    expect(errorOf(() => validateAction(open, { ...DEFAULT_SETTINGS, maxChannelSats: 999_999n })).code).toBe("ERR_CHANNEL_SIZE");
    expect(validateAction(open, { ...DEFAULT_SETTINGS, maxFeePpm: 100n })).toBe(open);
  });

  it("covers every kind with an example", () => {
    expect(EXAMPLES.map((a) => a.kind).sort()).toEqual([...ACTION_KINDS].sort());
  });
});

describe("checkSetting", () => {
  it("knows every plain key and every <kind>:<field> action-config key", () => {
    expect(Object.keys(SETTINGS)).toHaveLength(19 + ACTION_KINDS.length * 8);
    for (const [key, spec] of Object.entries(SETTINGS)) {
      expect(() => checkSetting(key, spec.default)).not.toThrow();
      expect(spec.min <= spec.default && spec.default <= spec.max).toBe(true);
    }
    expect(errorOf(() => checkSetting("loop-out:members-only", 2n)).code).toBe("ERR_SETTING_BOUNDS");
  });
});

describe("requestedAmount and kind groups", () => {
  it.each([
    [EXAMPLES[0]!, 1_010_000n, 1n],
    [EXAMPLES[4]!, 250_000n, 1n],
    [EXAMPLES[6]!, 1_000n, 2n],
    [EXAMPLES[11]!, 1_000_000n, 3n],
    [EXAMPLES[2]!, 0n, 0n],
  ])("reports r and the pool for %#", (action, requested, pool) => {
    expect(requestedAmount(action)).toEqual({ requested, pool });
  });

  it("splits the kinds into relay kinds and chain kinds", () => {
    for (const kind of ACTION_KINDS) expect(isRelayKind(kind)).toBe(!isChainKind(kind));
    expect(ACTION_KINDS.filter(isRelayKind)).toHaveLength(8);
  });
});
