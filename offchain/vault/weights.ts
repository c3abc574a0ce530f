// Exact sizes of vault spends. Schnorr signatures under SIGHASH_DEFAULT are always 64 bytes and every key is a
// 32-byte x-only key, so a leaf's witness size is known before signing: the fee a builder pays is the fee the
// finished transaction needs, and a co-signer can recompute it from the unsigned transaction alone.
import { LEAF_DEPTH, type SpendPath, type VaultKeyring } from "./descriptor.ts";

const SCHNORR_SIG_BYTES = 64;
/** outpoint 36 + empty scriptSig length 1 + nSequence 4, in non-witness bytes */
const INPUT_BASE_BYTES = 41;
/** version 4 + locktime 4 */
const TX_BASE_BYTES = 8;
/** segwit marker and flag, counted in weight units */
const SEGWIT_HEADER_WU = 2;

export function varintSize(n: number): number {
  if (n < 0xfd) return 1;
  if (n <= 0xffff) return 3;
  if (n <= 0xffffffff) return 5;
  return 9;
}

function pushSize(bytes: number): number {
  return varintSize(bytes) + bytes;
}

/** How many signatures a leaf needs and how many keys it names. */
export function leafSigners(keyring: VaultKeyring, path: SpendPath): { keys: number; required: number } {
  const k = keyring.keys;
  if (path === "everyday") return { keys: 2, required: 2 };
  if (path === "recovery") return { keys: k.guardians.length, required: k.guardianThreshold };
  return { keys: 1, required: 1 };
}

/** Witness bytes of one input spent by `path`: the stack (a signature or an empty push per key), script, control. */
export function witnessBytes(keyring: VaultKeyring, path: SpendPath): number {
  const { keys, required } = leafSigners(keyring, path);
  const scriptBytes = keyring.taproot(0, 0).leaves[path].script.length;
  const controlBytes = 33 + 32 * LEAF_DEPTH[path];
  const stack = required * pushSize(SCHNORR_SIG_BYTES) + (keys - required) * pushSize(0);
  return varintSize(keys + 2) + stack + pushSize(scriptBytes) + pushSize(controlBytes);
}

/** Weight units of one input spent by `path`. */
export function inputWeight(keyring: VaultKeyring, path: SpendPath): number {
  return INPUT_BASE_BYTES * 4 + witnessBytes(keyring, path);
}

export function outputWeight(scriptBytes: number): number {
  return (8 + pushSize(scriptBytes)) * 4;
}

/** Weight of a transaction whose inputs all spend `path`, paying outputs with the given script lengths. */
export function txWeight(keyring: VaultKeyring, path: SpendPath, inputs: number, outputScriptBytes: number[]): number {
  const base = (TX_BASE_BYTES + varintSize(inputs) + varintSize(outputScriptBytes.length)) * 4;
  const outs = outputScriptBytes.reduce((sum, bytes) => sum + outputWeight(bytes), 0);
  return base + SEGWIT_HEADER_WU + inputs * inputWeight(keyring, path) + outs;
}

export function vbytes(weight: number): number {
  return Math.ceil(weight / 4);
}
