/// <reference path="../../node_modules/@stacks/clarinet-sdk/vitest-helpers/src/global.d.ts" />
// Accounts, error codes and read helpers shared by the contract tests.
import { Cl, ClarityType, serializeCV, type ClarityValue } from "@stacks/transactions";
import { codeHash as hashOfSource } from "../../offchain/actions/code-hash.ts";
import { ERRORS, type ContractName } from "../../offchain/clarity/errors.ts";

const accounts = simnet.getAccounts();
function account(name: string): string {
  const address = accounts.get(name);
  if (!address) throw new Error(`no ${name} in settings/Devnet.toml`);
  return address;
}

export const deployer = account("deployer");
export const w = {
  1: account("wallet_1"),
  2: account("wallet_2"),
  3: account("wallet_3"),
  4: account("wallet_4"),
  5: account("wallet_5"),
  6: account("wallet_6"),
  7: account("wallet_7"),
  8: account("wallet_8"),
} as const;
export const relay = w[6];
export const outsider = account("faucet");
export const contract = (name: string) => `${deployer}.${name}`;

export const GT_1M = 1_000_000_000_000n;
export const GT_100K = 100_000_000_000n;

/** `(err uNNNN)` for a contract's named error, from the table generated from the contracts. */
export function err<C extends ContractName>(contractName: C, name: keyof (typeof ERRORS)[C]): ClarityValue {
  return Cl.error(Cl.uint((ERRORS[contractName] as Record<string, number>)[name as string]!));
}

export function uint(value: ClarityValue): bigint {
  const inner = value.type === ClarityType.ResponseOk || value.type === ClarityType.OptionalSome ? value.value : value;
  if (inner.type !== ClarityType.UInt) throw new Error(`expected a uint, got ${Cl.prettyPrint(value)}`);
  return BigInt(inner.value);
}

export function read(contractName: string, fn: string, args: ClarityValue[] = [], caller = deployer): ClarityValue {
  return simnet.callReadOnlyFn(contractName, fn, args, caller).result;
}

export function call(contractName: string, fn: string, args: ClarityValue[], caller: string) {
  return simnet.callPublicFn(contractName, fn, args, caller);
}

export function setting(key: string): bigint {
  return uint(read("dao-settings", "get-setting", [Cl.stringAscii(key)]));
}

export function gtBalance(who: string): bigint {
  return uint(read("gt-token", "get-balance", [Cl.principal(who)]));
}

/** The consensus bytes of a Clarity value, as a (buff ...) argument. */
export function bytesOf(value: ClarityValue): ClarityValue {
  const encoded = serializeCV(value);
  return typeof encoded === "string" ? Cl.bufferFromHex(encoded) : Cl.buffer(encoded);
}

type Event = { event: string; data: { value?: ClarityValue } };

/** The print-event tuples of a call, in order. */
export function prints(events: Event[]): ClarityValue[] {
  return events.filter((e) => e.event === "print_event" && e.data.value).map((e) => e.data.value!);
}

/** The print-event tuples with the given topic. */
export function printsWithTopic(events: Event[], topic: string): ClarityValue[] {
  return prints(events).filter(
    (v) =>
      v.type === ClarityType.Tuple && v.value.topic?.type === ClarityType.StringASCII && v.value.topic.value === topic,
  );
}

export function mineBurn(blocks: number | bigint): void {
  if (Number(blocks) > 0) simnet.mineEmptyBurnBlocks(Number(blocks));
}

export function advanceToBurn(height: bigint): void {
  mineBurn(height - BigInt(simnet.burnBlockHeight));
}

/** What Clarity 4 `contract-hash?` answers for a deployed contract: the SHA-512/256 of its source, as hex. */
export function codeHash(contractId: string): string {
  const source = simnet.getContractSource(contractId);
  if (source === undefined) throw new Error(`${contractId} is not deployed`);
  return hashOfSource(source);
}
