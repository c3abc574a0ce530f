// The vote maths the page shows must agree with quadratic-voting.clar: examples for each rule, and properties
// over random credits so the integer square root and the cost can never disagree.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkVote, isqrt, maxMoreVotes, passingRule, voteCost } from "../src/model/quadratic.ts";

describe("isqrt", () => {
  it.each([
    [0n, 0n],
    [1n, 1n],
    [2n, 1n],
    [3n, 1n],
    [4n, 2n],
    [99n, 9n],
    [100n, 10n],
    [10n ** 12n, 10n ** 6n],
    [10n ** 12n - 1n, 999_999n],
  ])("isqrt(%s) = %s", (n, root) => {
    expect(isqrt(n)).toBe(root);
  });

  it("is the floor square root for any value up to 2^128", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n }), (n) => {
        const r = isqrt(n);
        return r * r <= n && (r + 1n) * (r + 1n) > n;
      }),
    );
  });

  it("refuses a negative number", () => {
    expect(() => isqrt(-1n)).toThrow(RangeError);
  });
});

describe("voteCost and maxMoreVotes", () => {
  it("costs total^2 - prev^2", () => {
    expect(voteCost(0n, 1000n)).toBe(1_000_000n);
    expect(voteCost(1000n, 999_000n)).toBe(999_999_000_000n);
  });

  it("the most votes allowed always fit in the credits, and one more never does", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        (credits, prevSeed) => {
          const prev = prevSeed % (isqrt(credits) + 1n);
          const most = maxMoreVotes(credits, prev);
          const spent = prev * prev;
          return spent + voteCost(prev, most) <= credits && spent + voteCost(prev, most + 1n) > credits;
        },
      ),
    );
  });
});

describe("checkVote", () => {
  const credits = 10n ** 12n;
  it.each([
    ["no GT at the snapshot", { credits: 0n, previous: null, votes: 1n, support: true }, "ERR_NO_VOTING_POWER"],
    ["zero votes", { credits, previous: null, votes: 0n, support: true }, "ERR_ZERO_VOTES"],
    [
      "a switch of sides",
      { credits, previous: { votes: 5n, support: true }, votes: 1n, support: false },
      "ERR_SIDE_SWITCH",
    ],
    [
      "one vote past the credits",
      { credits, previous: null, votes: 1_000_001n, support: true },
      "ERR_INSUFFICIENT_CREDITS",
    ],
    [
      "one vote past the credits on top of earlier votes",
      { credits, previous: { votes: 1000n, support: true }, votes: 999_001n, support: true },
      "ERR_INSUFFICIENT_CREDITS",
    ],
  ] as const)("%s is %s", (_name, check, code) => {
    expect(checkVote(check)?.code).toBe(code);
  });

  it.each([
    ["all credits in one vote", { credits, previous: null, votes: 1_000_000n, support: true }],
    [
      "the rest of the credits on the same side",
      { credits, previous: { votes: 1000n, support: false }, votes: 999_000n, support: false },
    ],
  ] as const)("accepts %s", (_name, check) => {
    expect(checkVote(check)).toBeNull();
  });
});

describe("passingRule", () => {
  it.each([
    [0n, 0n, 0n, 5000n, { quorumMet: true, forBps: 0n, passes: false }],
    [60n, 40n, 100n, 5000n, { quorumMet: true, forBps: 6000n, passes: true }],
    [60n, 39n, 100n, 5000n, { quorumMet: false, forBps: 6060n, passes: false }],
    [50n, 50n, 10n, 5000n, { quorumMet: true, forBps: 5000n, passes: true }],
    [2n, 1n, 1n, 6667n, { quorumMet: true, forBps: 6666n, passes: false }],
  ])("for %s against %s quorum %s pass %s bps", (votesFor, votesAgainst, quorum, passBps, rule) => {
    expect(passingRule(votesFor, votesAgainst, quorum, passBps)).toEqual(rule);
  });
});
