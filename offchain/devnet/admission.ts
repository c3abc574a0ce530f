// Mempool admission: the static checks a Stacks node makes before it accepts a transaction (fee, nonce, funds,
// target contract and function, argument types, contract name collisions). Each failure is a Rejection with the
// node's reason name and reason_data.
import { cvToString, type ClarityValue } from "@stacks/transactions";
import { Rejection } from "./rejection.ts";
import type { DecodedTx } from "./tx-decode.ts";

/** How many unconfirmed transactions one sender may chain, as a node's mempool allows. */
export const MAX_CHAINED_TXS = 25;

export interface AdmissionView {
  nextNonce(address: string): bigint;
  stxBalance(principal: string): bigint;
  pendingSpend(payer: string): bigint;
  pendingNonces(sender: string): bigint[];
  hasPendingNonce(sender: string, nonce: bigint): boolean;
  contractInterface(contractId: string): ContractInterface | undefined;
  contractPending(contractId: string): boolean;
  minFeeRate: bigint;
}

export interface ContractInterface {
  functions: { name: string; access: string; args: { name: string; type: AbiType }[] }[];
}

export type AbiType =
  | "none"
  | "int128"
  | "uint128"
  | "bool"
  | "principal"
  | "trait_reference"
  | { buffer: { length: number } }
  | { "string-utf8": { length: number } }
  | { "string-ascii": { length: number } }
  | { tuple: { name: string; type: AbiType }[] }
  | { optional: AbiType }
  | { response: { ok: AbiType; error: AbiType } }
  | { list: { type: AbiType; length: number } };

export function admit(tx: DecodedTx, view: AdmissionView): void {
  const { txid } = tx;
  const minFee = BigInt(tx.raw.length) * view.minFeeRate;
  if (tx.fee < minFee) throw new Rejection("FeeTooLow", { expected: Number(minFee), actual: Number(tx.fee) }, txid);

  checkNonce(tx.sender, tx.nonce, true, view, txid);
  if (tx.sponsor && tx.sponsor.address !== tx.sender)
    checkNonce(tx.sponsor.address, tx.sponsor.nonce, false, view, txid);

  const payload = tx.payload;
  if (payload.kind === "token_transfer") {
    // A node refuses these as invalid: a transfer states its own amount, so post-conditions would be meaningless.
    if (tx.postConditions.length > 0)
      throw new Rejection(
        "Other",
        { message: "Invalid Stacks transaction: TokenTransfer transactions do not support post-conditions" },
        txid,
      );
    if (payload.recipient === tx.sender)
      throw new Rejection("TransferRecipientIsSender", { message: payload.recipient }, txid);
    if (payload.amount <= 0n) throw new Rejection("TransferAmountMustBePositive", {}, txid);
  }

  const transferAmount = payload.kind === "token_transfer" ? payload.amount : 0n;
  const senderNeeds = (tx.feePayer === tx.sender ? tx.fee : 0n) + transferAmount;
  checkFunds(tx.sender, senderNeeds, view, txid);
  if (tx.feePayer !== tx.sender) checkFunds(tx.feePayer, tx.fee, view, txid);

  if (payload.kind === "contract_call") {
    const abi = view.contractInterface(payload.contractId);
    if (!abi) throw new Rejection("NoSuchContract", { message: payload.contractId }, txid);
    const fn = abi.functions.find((f) => f.name === payload.functionName && f.access === "public");
    if (!fn)
      throw new Rejection("NoSuchPublicFunction", { message: `${payload.contractId}::${payload.functionName}` }, txid);
    if (fn.args.length !== payload.args.length) {
      throw new Rejection(
        "BadFunctionArgument",
        { message: `expected ${fn.args.length} arguments, got ${payload.args.length}` },
        txid,
      );
    }
    fn.args.forEach((arg, index) => {
      const problem = typeProblem(payload.args[index]!, arg.type);
      if (problem)
        throw new Rejection("BadFunctionArgument", { message: `argument ${index} (${arg.name}): ${problem}` }, txid);
    });
  }
  if (payload.kind === "smart_contract") {
    if (!/^[a-zA-Z]([a-zA-Z0-9]|[-_])*$/.test(payload.contractName) || payload.contractName.length > 128) {
      throw new Rejection("Other", { message: `invalid contract name ${payload.contractName}` }, txid);
    }
    if (view.contractInterface(payload.contractId) || view.contractPending(payload.contractId)) {
      throw new Rejection("ContractAlreadyExists", { contract_identifier: payload.contractId }, txid);
    }
  }
}

function checkNonce(principal: string, nonce: bigint, isOrigin: boolean, view: AdmissionView, txid: string): void {
  const expected = view.nextNonce(principal);
  if (nonce < expected) {
    throw new Rejection(
      "BadNonce",
      { expected: Number(expected), actual: Number(nonce), is_origin: isOrigin, principal },
      txid,
    );
  }
  if (isOrigin && view.hasPendingNonce(principal, nonce)) {
    throw new Rejection(
      "ConflictingNonceInMempool",
      { message: `${principal} already has a pending transaction with nonce ${nonce}` },
      txid,
    );
  }
  if (isOrigin && view.pendingNonces(principal).length >= MAX_CHAINED_TXS) {
    throw new Rejection(
      "TooMuchChaining",
      { max_nonce: Number(expected) + MAX_CHAINED_TXS - 1, actual_nonce: Number(nonce), principal, is_origin: true },
      txid,
    );
  }
}

function checkFunds(principal: string, needs: bigint, view: AdmissionView, txid: string): void {
  const available = view.stxBalance(principal) - view.pendingSpend(principal);
  if (needs > available) {
    throw new Rejection(
      "NotEnoughFunds",
      { expected: u128Hex(needs), actual: u128Hex(available < 0n ? 0n : available) },
      txid,
    );
  }
}

export function u128Hex(value: bigint): string {
  return `0x${value.toString(16).padStart(32, "0")}`;
}

/** Why `value` does not fit the ABI type, or null when it does. */
export function typeProblem(value: ClarityValue, type: AbiType): string | null {
  const mismatch = (): string => `${cvToString(value).slice(0, 80)} is not a ${JSON.stringify(type)}`;
  if (type === "int128") return value.type === "int" ? null : mismatch();
  if (type === "uint128") return value.type === "uint" ? null : mismatch();
  if (type === "bool") return value.type === "true" || value.type === "false" ? null : mismatch();
  if (type === "principal") return value.type === "address" || value.type === "contract" ? null : mismatch();
  if (type === "trait_reference") return value.type === "contract" ? null : mismatch();
  if (type === "none") return value.type === "none" ? null : mismatch();
  if ("buffer" in type) {
    if (value.type !== "buffer") return mismatch();
    return value.value.length / 2 <= type.buffer.length ? null : `buffer longer than ${type.buffer.length} bytes`;
  }
  if ("string-ascii" in type) {
    if (value.type !== "ascii") return mismatch();
    return value.value.length <= type["string-ascii"].length
      ? null
      : `string longer than ${type["string-ascii"].length}`;
  }
  if ("string-utf8" in type) {
    if (value.type !== "utf8") return mismatch();
    return [...value.value].length <= type["string-utf8"].length
      ? null
      : `string longer than ${type["string-utf8"].length}`;
  }
  if ("optional" in type) {
    if (value.type === "none") return null;
    return value.type === "some" ? typeProblem(value.value, type.optional) : mismatch();
  }
  if ("response" in type) {
    if (value.type === "ok") return typeProblem(value.value, type.response.ok);
    if (value.type === "err") return typeProblem(value.value, type.response.error);
    return mismatch();
  }
  if ("list" in type) {
    if (value.type !== "list") return mismatch();
    if (value.value.length > type.list.length) return `list longer than ${type.list.length}`;
    for (const item of value.value) {
      const problem = typeProblem(item, type.list.type);
      if (problem) return problem;
    }
    return null;
  }
  if ("tuple" in type) {
    if (value.type !== "tuple") return mismatch();
    const keys = Object.keys(value.value);
    if (keys.length !== type.tuple.length) return `tuple has ${keys.length} fields, expected ${type.tuple.length}`;
    for (const field of type.tuple) {
      const member = value.value[field.name];
      if (!member) return `tuple lacks field ${field.name}`;
      const problem = typeProblem(member, field.type);
      if (problem) return `${field.name}: ${problem}`;
    }
    return null;
  }
  return mismatch();
}
