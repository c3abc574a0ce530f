// The web app's conviction maths (offchain/web/src/model/conviction.ts) against conviction-voting itself: the
// page draws its chart and estimates the passing block with these functions, so they must answer exactly what
// decay-power, project-conviction, threshold-for and get-conviction answer.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cl, ClarityType, type ClarityValue } from "@stacks/transactions";
import { blocksToPass, convictionAfter, decayPower, thresholdOf } from "../offchain/web/src/model/conviction.ts";
import { advanceTo, propose, proposalWindow, readOnly, uintOf, wallet } from "./helpers/ext-governance.ts";
import { CV, conviction, stake, threshold } from "./helpers/ext-conviction.ts";

const RUNS = 300;
const read = (fn: string, args: bigint[]): ClarityValue =>
  readOnly(
    CV,
    fn,
    args.map((v) => Cl.uint(v)),
  );
const decayArb = fc.oneof(fc.bigInt(500_000_000_000n, 999_999_999_999n), fc.constant(998_396_779_171n));
const tArb = fc.oneof(fc.bigInt(0n, 1n << 20n), fc.bigInt(0n, 200n));
const stakeArb = fc.bigInt(0n, 10n ** 16n);

describe("the page's conviction maths", () => {
  it("decayPower equals decay-power", () => {
    fc.assert(
      fc.property(decayArb, tArb, (decay, t) => decayPower(decay, t) === uintOf(read("decay-power", [decay, t]))),
      { numRuns: RUNS },
    );
  });

  it("convictionAfter equals project-conviction", () => {
    fc.assert(
      fc.property(stakeArb, stakeArb, decayArb, tArb, (y0, x, decay, t) => {
        return convictionAfter(y0, x, decay, t) === uintOf(read("project-conviction", [y0, x, decay, t]));
      }),
      { numRuns: RUNS },
    );
  });

  it("thresholdOf equals threshold-for, including ERR_REQUEST_TOO_LARGE", () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 12n),
        stakeArb,
        decayArb,
        fc.bigInt(1n, 10_000n),
        fc.bigInt(0n, 10n ** 9n),
        fc.bigInt(0n, 10n ** 10n),
        (weight, support, decay, maxRatioBps, requested, poolAmount) => {
          const mine = thresholdOf({ weight, support, decay, maxRatioBps, requested, poolAmount });
          const chain = read("threshold-for", [weight, support, decay, maxRatioBps, requested, poolAmount]);
          if (chain.type === ClarityType.ResponseOk) return mine.ok && mine.value === uintOf(chain);
          return !mine.ok && chain.type === ClarityType.ResponseErr && mine.code === uintOf(chain.value);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("projects get-conviction block by block from a staked proposal's stored state, and the block it passes", () => {
    const id = propose(
      "lv-allocation",
      Cl.tuple({ "infrastructure-bps": Cl.uint(2_000), "channel-bps": Cl.uint(5_000), "reserve-bps": Cl.uint(3_000) }),
    );
    advanceTo(proposalWindow(id).start);
    expect(stake(id, 400_000_000_000n, wallet(2)).result.type).toBe(ClarityType.ResponseOk);
    const stored = readOnly(CV, "get-proposal", [Cl.uint(id)]);
    if (stored.type !== ClarityType.OptionalSome || stored.value.type !== ClarityType.Tuple) throw new Error("none");
    const fields = stored.value.value;
    const field = (name: string) => uintOf(fields[name]!);
    const [y0, x, decay, updatedAt] = [field("conviction"), field("total-stake"), field("decay"), field("updated-at")];
    const limit = threshold(id);
    if (limit.type !== ClarityType.ResponseOk) throw new Error(`cannot pass: ${JSON.stringify(limit)}`);
    const passesIn = blocksToPass(y0, x, decay, uintOf(limit));
    expect(passesIn).not.toBeNull();
    for (const step of [1n, 7n, 50n]) {
      simnet.mineEmptyBurnBlocks(Number(step));
      const t = BigInt(simnet.burnBlockHeight) - updatedAt;
      expect(conviction(id)).toBe(convictionAfter(y0, x, decay, t));
    }
    advanceTo(updatedAt + passesIn! - 1n);
    expect(conviction(id)).toBeLessThan(uintOf(limit));
    advanceTo(updatedAt + passesIn!);
    expect(conviction(id)).toBeGreaterThanOrEqual(uintOf(limit));
  });
});
