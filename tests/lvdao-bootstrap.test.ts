import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { GT_100K, GT_1M, call, gtBalance, read, relay, setting, w } from "./helpers/chain.ts";

describe("execute (the bootstrap state every test starts from)", () => {
  it("gives 1,000,000 GT to wallet_1..4 and 100,000 GT to wallet_5", () => {
    for (const n of [1, 2, 3, 4] as const) expect(gtBalance(w[n])).toBe(GT_1M);
    expect(gtBalance(w[5])).toBe(GT_100K);
  });

  it("makes wallet_6 the only relay and wallet_7, wallet_8 the guardians, with veto-quorum 2", () => {
    expect(read("execution-queue", "is-relay", [Cl.principal(relay)])).toBeBool(true);
    expect(read("execution-queue", "is-relay", [Cl.principal(w[1])])).toBeBool(false);
    expect(read("guardian", "is-guardian", [Cl.principal(w[7])])).toBeBool(true);
    expect(read("guardian", "is-guardian", [Cl.principal(w[8])])).toBeBool(true);
    expect(read("guardian", "is-guardian", [Cl.principal(w[1])])).toBeBool(false);
    expect(setting("veto-quorum")).toBe(2n);
  });

  it("sets the guardian sunset about a year of burn blocks ahead", () => {
    expect(setting("guardian-sunset")).toBeGreaterThan(52_000n);
  });

  it("cannot be run again by anyone", () => {
    expect(call("lvdao-bootstrap", "execute", [Cl.principal(w[1])], w[1]).result.type).toBe("err");
  });
});
