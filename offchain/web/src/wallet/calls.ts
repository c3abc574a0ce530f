// The contract calls the app asks a wallet to sign, built as pure data. Every call runs in post-condition deny
// mode: a call that moves GT carries a condition for exactly the GT it is meant to move (the bond on propose, a
// stake, an unstake, a returned bond), and a call that must not move any asset carries none, so the wallet and the
// node refuse anything else.
import { Cl, Pc, type ClarityValue, type PostCondition } from "@stacks/transactions";

/** gt-token's fungible token, as it is named in `define-fungible-token`. */
export const GT_TOKEN_NAME = "gt";

export interface ContractCall {
  contract: `${string}.${string}`;
  functionName: string;
  functionArgs: ClarityValue[];
  postConditionMode: "deny";
  postConditions: PostCondition[];
  /** One line for people: what the call does. */
  summary: string;
}

function call(
  deployer: string,
  contract: string,
  functionName: string,
  functionArgs: ClarityValue[],
  postConditions: PostCondition[],
  summary: string,
): ContractCall {
  return {
    contract: `${deployer}.${contract}`,
    functionName,
    functionArgs,
    postConditionMode: "deny",
    postConditions,
    summary,
  };
}

const gt = (deployer: string): `${string}.${string}` => `${deployer}.gt-token`;

export interface ProposeInput {
  deployer: string;
  proposer: string;
  kind: string;
  payloadHex: string;
  title: string;
  /** The Markdown body (the chain keeps its hash and prints it in proposal-created). */
  body: string;
  /** An http(s) discussion link, or null. */
  link: string | null;
  /** proposal-bond read from dao-settings; the proposer pays exactly this. */
  bond: bigint;
}

export function proposeCall(input: ProposeInput): ContractCall {
  const { deployer, proposer, bond } = input;
  return call(
    deployer,
    "proposals",
    "propose",
    [
      Cl.stringAscii(input.kind),
      Cl.bufferFromHex(input.payloadHex),
      Cl.stringUtf8(input.title),
      Cl.stringUtf8(input.body),
      input.link === null ? Cl.none() : Cl.some(Cl.stringAscii(input.link)),
    ],
    [Pc.principal(proposer).willSendEq(bond).ft(gt(deployer), GT_TOKEN_NAME)],
    `propose a ${input.kind} action, escrowing a bond`,
  );
}

export function voteCall(deployer: string, id: bigint, votes: bigint, support: boolean): ContractCall {
  return call(
    deployer,
    "quadratic-voting",
    "vote",
    [Cl.uint(id), Cl.uint(votes), Cl.bool(support)],
    [],
    `vote ${support ? "for" : "against"} proposal ${id}`,
  );
}

export function stakeCall(deployer: string, staker: string, id: bigint, amount: bigint): ContractCall {
  return call(
    deployer,
    "conviction-voting",
    "stake",
    [Cl.uint(id), Cl.uint(amount)],
    [Pc.principal(staker).willSendEq(amount).ft(gt(deployer), GT_TOKEN_NAME)],
    `stake GT on proposal ${id}`,
  );
}

export function unstakeCall(deployer: string, id: bigint, amount: bigint): ContractCall {
  return call(
    deployer,
    "conviction-voting",
    "unstake",
    [Cl.uint(id), Cl.uint(amount)],
    [Pc.principal(`${deployer}.conviction-voting`).willSendEq(amount).ft(gt(deployer), GT_TOKEN_NAME)],
    `unstake GT from proposal ${id}`,
  );
}

/** conclude returns the bond of a defeated proposal (at most `bond` leaves proposals), or moves nothing. */
export function concludeCall(deployer: string, id: bigint, bond: bigint): ContractCall {
  return call(
    deployer,
    "proposals",
    "conclude",
    [Cl.uint(id)],
    [Pc.principal(`${deployer}.proposals`).willSendLte(bond).ft(gt(deployer), GT_TOKEN_NAME)],
    `conclude proposal ${id}`,
  );
}

/** cancel returns the bond before voting starts; a late cancel keeps it. */
export function cancelCall(deployer: string, id: bigint, bond: bigint): ContractCall {
  return call(
    deployer,
    "proposals",
    "cancel",
    [Cl.uint(id)],
    [Pc.principal(`${deployer}.proposals`).willSendLte(bond).ft(gt(deployer), GT_TOKEN_NAME)],
    `cancel proposal ${id}`,
  );
}

/** release-bond pays the whole bond out of escrow: to the proposer, or to the DAO when the proposal was vetoed. */
export function releaseBondCall(deployer: string, id: bigint, bond: bigint): ContractCall {
  return call(
    deployer,
    "proposals",
    "release-bond",
    [Cl.uint(id)],
    [Pc.principal(`${deployer}.proposals`).willSendEq(bond).ft(gt(deployer), GT_TOKEN_NAME)],
    `release the bond of proposal ${id}`,
  );
}

/** Runs a passed contract-proposal as the DAO; the caller's call must not move any asset. */
export function executeProposalCall(deployer: string, id: bigint, proposalContract: string): ContractCall {
  const [address, name] = proposalContract.split(".");
  if (!address || !name) throw new Error(`${proposalContract} is not a contract principal`);
  return call(
    deployer,
    "proposals",
    "execute-proposal",
    [Cl.uint(id), Cl.contractPrincipal(address, name)],
    [],
    `execute proposal ${id} (${proposalContract})`,
  );
}

/** Makes the caller's GT count as votes of `to` (the caller itself to take them back); it moves no asset. */
export function delegateCall(deployer: string, to: string): ContractCall {
  return call(deployer, "gt-token", "delegate", [Cl.principal(to)], [], `delegate your votes to ${to}`);
}
