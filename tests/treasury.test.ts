import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { call, contract, deployer, err, gtBalance, printsWithTopic, read, w } from "./helpers/chain.ts";
import { runAsDao } from "./helpers/lifecycle.ts";

describe("transfer-gt", () => {
  it("refuses anyone but the DAO with ERR_UNAUTHORIZED", () => {
    expect(call("treasury", "transfer-gt", [Cl.uint(1), Cl.principal(w[1])], w[1]).result).toEqual(
      err("treasury", "ERR_UNAUTHORIZED"),
    );
  });

  it("refuses zero (ERR_ZERO_AMOUNT) and more than it holds (ERR_INSUFFICIENT_BALANCE), even from the DAO", () => {
    expect(runAsDao(`(contract-call? '${deployer}.treasury transfer-gt u0 tx-sender)`).result).toEqual(
      err("treasury", "ERR_ZERO_AMOUNT"),
    );
    expect(runAsDao(`(contract-call? '${deployer}.treasury transfer-gt u1 tx-sender)`).result).toEqual(
      err("treasury", "ERR_INSUFFICIENT_BALANCE"),
    );
  });

  it("pays exactly the amount to the recipient for the DAO, and prints treasury-transfer", () => {
    call(
      "gt-token",
      "transfer",
      [Cl.uint(50), Cl.principal(w[2]), Cl.principal(contract("treasury")), Cl.none()],
      w[2],
    );
    expect(read("treasury", "get-balance")).toBeUint(50);
    const before = gtBalance(w[5]);
    const { result, events } = runAsDao(`(contract-call? '${deployer}.treasury transfer-gt u30 '${w[5]})`);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "treasury-transfer")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("treasury-transfer"),
        amount: Cl.uint(30),
        recipient: Cl.principal(w[5]),
      }),
    ]);
    expect(gtBalance(w[5])).toBe(before + 30n);
    expect(read("treasury", "get-balance")).toBeUint(20);
  });
});
