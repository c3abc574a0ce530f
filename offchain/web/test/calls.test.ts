// Every call the app hands a wallet runs in deny mode, and a call that moves GT names exactly the GT it moves.
import { Cl, type PostCondition } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import {
  cancelCall,
  concludeCall,
  delegateCall,
  executeProposalCall,
  proposeCall,
  releaseBondCall,
  stakeCall,
  unstakeCall,
  voteCall,
  type ContractCall,
} from "../src/wallet/calls.ts";

const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const MEMBER = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
const ASSET = `${DEPLOYER}.gt-token::gt`;
const ft = (address: string, condition: string, amount: bigint): PostCondition =>
  ({ type: "ft-postcondition", address, condition, amount: String(amount), asset: ASSET }) as PostCondition;

describe("contract calls", () => {
  it.each<[string, ContractCall, string, string, PostCondition[]]>([
    [
      "propose escrows exactly the bond from the proposer",
      proposeCall({
        deployer: DEPLOYER,
        proposer: MEMBER,
        kind: "setting",
        payloadHex: "0c",
        title: "t",
        body: "Why",
        link: null,
        bond: 100_000_000n,
      }),
      "proposals",
      "propose",
      [ft(MEMBER, "eq", 100_000_000n)],
    ],
    ["vote moves no asset", voteCall(DEPLOYER, 7n, 1000n, true), "quadratic-voting", "vote", []],
    [
      "stake sends exactly the stake from the staker",
      stakeCall(DEPLOYER, MEMBER, 7n, 5n),
      "conviction-voting",
      "stake",
      [ft(MEMBER, "eq", 5n)],
    ],
    [
      "unstake returns exactly the amount from conviction-voting",
      unstakeCall(DEPLOYER, 7n, 5n),
      "conviction-voting",
      "unstake",
      [ft(`${DEPLOYER}.conviction-voting`, "eq", 5n)],
    ],
    [
      "conclude returns at most the bond",
      concludeCall(DEPLOYER, 7n, 9n),
      "proposals",
      "conclude",
      [ft(`${DEPLOYER}.proposals`, "lte", 9n)],
    ],
    [
      "cancel returns at most the bond",
      cancelCall(DEPLOYER, 7n, 9n),
      "proposals",
      "cancel",
      [ft(`${DEPLOYER}.proposals`, "lte", 9n)],
    ],
    [
      "release-bond pays out exactly the bond",
      releaseBondCall(DEPLOYER, 7n, 9n),
      "proposals",
      "release-bond",
      [ft(`${DEPLOYER}.proposals`, "eq", 9n)],
    ],
    [
      "execute-proposal moves no asset",
      executeProposalCall(DEPLOYER, 7n, `${MEMBER}.my-proposal`),
      "proposals",
      "execute-proposal",
      [],
    ],
    ["delegate moves no asset", delegateCall(DEPLOYER, MEMBER), "gt-token", "delegate", []],
  ])("%s", (_name, call, contract, functionName, postConditions) => {
    expect(call.contract).toBe(`${DEPLOYER}.${contract}`);
    expect(call.functionName).toBe(functionName);
    expect(call.postConditionMode).toBe("deny");
    expect(call.postConditions).toEqual(postConditions);
  });

  it("passes the arguments the contracts take", () => {
    expect(voteCall(DEPLOYER, 7n, 2n ** 70n, false).functionArgs).toEqual([
      Cl.uint(7n),
      Cl.uint(2n ** 70n),
      Cl.bool(false),
    ]);
    expect(executeProposalCall(DEPLOYER, 3n, `${MEMBER}.my-proposal`).functionArgs).toEqual([
      Cl.uint(3n),
      Cl.contractPrincipal(MEMBER, "my-proposal"),
    ]);
    expect(delegateCall(DEPLOYER, MEMBER).functionArgs).toEqual([Cl.principal(MEMBER)]);
  });

  it("refuses a proposal contract that is not a contract principal", () => {
    expect(() => executeProposalCall(DEPLOYER, 3n, MEMBER)).toThrow(/is not a contract principal/);
  });
});
