// PSBTs that spend the vault. The everyday builder picks coins largest-first (fewest inputs, so the smallest
// witness bill for a 2-of-2 leaf) and returns change to the vault's branch 1; the recovery builders sweep the
// given coins to one destination through a timelocked leaf, with nSequence set to that leaf's older(N).
import { Psbt, crypto as bcrypto } from "bitcoinjs-lib";
import { type Branch, NUMS_INTERNAL_KEY, type SpendPath, TAPSCRIPT_LEAF_VERSION, VaultKeyring } from "./descriptor.ts";
import { type Network, type VaultKeys, VaultError, bitcoinNetwork } from "./keys.ts";
import { txWeight, vbytes } from "./weights.ts";

export interface VaultUtxo {
  txid: string;
  vout: number;
  sats: bigint;
  index: number;
  branch: Branch;
}

export interface SpendOutput {
  script: Uint8Array;
  sats: bigint;
}

/** Below this an output is dust to Bitcoin Core's relay policy for any segwit v1 script (and our change is one). */
export const DUST_SATS = 330n;
/** nSequence of an everyday input: opts into replacement, no relative timelock. */
export const EVERYDAY_SEQUENCE = 0xfffffffd;
const TX_VERSION = 2;

export interface SpendArgs {
  keys: VaultKeys;
  network: Network;
  utxos: VaultUtxo[];
  outputs: SpendOutput[];
  feeRateSatVb: bigint;
  changeIndex: number;
}

function checkFeeRate(feeRate: bigint): void {
  if (typeof feeRate !== "bigint" || feeRate < 1n) {
    throw new VaultError("bad-fee-rate", `fee rate ${feeRate} sat/vB is not a whole number of at least 1`);
  }
}

function checkUtxos(utxos: VaultUtxo[]): void {
  const seen = new Set<string>();
  for (const u of utxos) {
    const outpoint = `${u.txid}:${u.vout}`;
    if (!/^[0-9a-f]{64}$/.test(u.txid) || !Number.isInteger(u.vout) || u.vout < 0) {
      throw new VaultError("bad-output", `utxo ${outpoint} is not a txid:vout outpoint`);
    }
    if (typeof u.sats !== "bigint" || u.sats <= 0n)
      throw new VaultError("bad-amount", `utxo ${outpoint} has ${u.sats} sats`);
    if (seen.has(outpoint)) throw new VaultError("bad-output", `utxo ${outpoint} is listed twice`);
    seen.add(outpoint);
  }
}

function checkOutputs(outputs: SpendOutput[]): void {
  if (outputs.length === 0) throw new VaultError("bad-output", "a spend needs at least one output");
  outputs.forEach((o, i) => {
    if (typeof o.sats !== "bigint" || o.sats < DUST_SATS) {
      throw new VaultError("bad-amount", `output ${i} pays ${o.sats} sats, below the ${DUST_SATS}-sat dust limit`);
    }
    if (o.script.length === 0) throw new VaultError("bad-output", `output ${i} has an empty script`);
  });
}

function sum(values: bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

export function feeFor(weight: number, feeRate: bigint): bigint {
  return BigInt(vbytes(weight)) * feeRate;
}

function addVaultInput(psbt: Psbt, keyring: VaultKeyring, utxo: VaultUtxo, path: SpendPath, sequence: number): void {
  const taproot = keyring.taproot(utxo.index, utxo.branch);
  const leaf = taproot.leaves[path];
  const leafHash = tapleafHash(leaf.script);
  psbt.addInput({
    hash: utxo.txid,
    index: utxo.vout,
    sequence,
    witnessUtxo: { script: taproot.outputScript, value: utxo.sats },
    tapInternalKey: Uint8Array.from(Buffer.from(NUMS_INTERNAL_KEY, "hex")),
    tapLeafScript: [{ leafVersion: TAPSCRIPT_LEAF_VERSION, script: leaf.script, controlBlock: leaf.controlBlock }],
    tapBip32Derivation: leaf.signers.map((s) => ({
      masterFingerprint: fingerprintBytes(s.parent.fingerprint),
      path: s.path,
      pubkey: s.pubkey,
      leafHashes: [leafHash],
    })),
  });
}

function fingerprintBytes(fingerprint: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, fingerprint);
  return bytes;
}

/** BIP-341 leaf hash of a tapscript leaf. */
export function tapleafHash(script: Uint8Array): Uint8Array {
  const prefixed = new Uint8Array(2 + script.length + 8);
  prefixed[0] = TAPSCRIPT_LEAF_VERSION;
  const len = script.length;
  let offset = 1;
  if (len < 0xfd) prefixed[offset++] = len;
  else {
    prefixed[offset++] = 0xfd;
    prefixed[offset++] = len & 0xff;
    prefixed[offset++] = len >> 8;
  }
  prefixed.set(script, offset);
  return bcrypto.taggedHash("TapLeaf", prefixed.subarray(0, offset + len));
}

export interface CoinSelection {
  inputs: VaultUtxo[];
  fee: bigint;
  change: bigint;
}

/** Largest-first: add the biggest coins until outputs and fee are covered; change under the dust limit goes to fee. */
export function selectCoins(
  keyring: VaultKeyring,
  utxos: VaultUtxo[],
  outputs: SpendOutput[],
  feeRate: bigint,
): CoinSelection {
  const target = sum(outputs.map((o) => o.sats));
  const changeScriptBytes = 34;
  const outputScripts = outputs.map((o) => o.script.length);
  const ordered = [...utxos].sort((a, b) =>
    a.sats !== b.sats ? (a.sats > b.sats ? -1 : 1) : `${a.txid}:${a.vout}` < `${b.txid}:${b.vout}` ? -1 : 1,
  );
  let total = 0n;
  for (let n = 1; n <= ordered.length; n++) {
    total += (ordered[n - 1] as VaultUtxo).sats;
    const inputs = ordered.slice(0, n);
    const feeWithChange = feeFor(txWeight(keyring, "everyday", n, [...outputScripts, changeScriptBytes]), feeRate);
    if (total - target - feeWithChange >= DUST_SATS) {
      return { inputs, fee: feeWithChange, change: total - target - feeWithChange };
    }
    const feeNoChange = feeFor(txWeight(keyring, "everyday", n, outputScripts), feeRate);
    if (total >= target + feeNoChange) return { inputs, fee: total - target, change: 0n };
  }
  const available = sum(utxos.map((u) => u.sats));
  throw new VaultError(
    "insufficient-funds",
    `the vault holds ${available} sats in ${utxos.length} coins; the outputs need ${target} sats plus fee`,
  );
}

/** An everyday spend (relay + co-signer leaf): coin selection, the outputs in order, then change to branch 1. */
export function buildSpendPsbt(args: SpendArgs): Psbt {
  checkFeeRate(args.feeRateSatVb);
  checkUtxos(args.utxos);
  checkOutputs(args.outputs);
  const keyring = new VaultKeyring(args.keys, args.network);
  const changeScript = keyring.taproot(args.changeIndex, 1).outputScript;
  const selection = selectCoins(keyring, args.utxos, args.outputs, args.feeRateSatVb);
  const psbt = new Psbt({ network: bitcoinNetwork(args.network) });
  psbt.setVersion(TX_VERSION);
  for (const utxo of selection.inputs) addVaultInput(psbt, keyring, utxo, "everyday", EVERYDAY_SEQUENCE);
  for (const o of args.outputs) psbt.addOutput({ script: o.script, value: o.sats });
  if (selection.change > 0n) psbt.addOutput({ script: changeScript, value: selection.change });
  return psbt;
}

export interface SweepArgs {
  keys: VaultKeys;
  network: Network;
  utxos: VaultUtxo[];
  destination: Uint8Array;
  feeRateSatVb: bigint;
}

/** The relative timelock (blocks) a recovery path's inputs carry in nSequence. */
export function pathSequence(keys: VaultKeys, path: Exclude<SpendPath, "everyday">): number {
  return path === "recovery" ? keys.recoveryOlder : keys.lastResortOlder;
}

function buildSweep(args: SweepArgs, path: Exclude<SpendPath, "everyday">): Psbt {
  checkFeeRate(args.feeRateSatVb);
  checkUtxos(args.utxos);
  if (args.utxos.length === 0) throw new VaultError("insufficient-funds", "a sweep needs at least one coin");
  if (args.destination.length === 0) throw new VaultError("bad-output", "the sweep's destination script is empty");
  const keyring = new VaultKeyring(args.keys, args.network);
  const fee = feeFor(txWeight(keyring, path, args.utxos.length, [args.destination.length]), args.feeRateSatVb);
  const total = sum(args.utxos.map((u) => u.sats));
  if (total - fee < DUST_SATS) {
    throw new VaultError("insufficient-funds", `the coins hold ${total} sats; the sweep's fee is ${fee} sats`);
  }
  const psbt = new Psbt({ network: bitcoinNetwork(args.network) });
  psbt.setVersion(TX_VERSION);
  const sequence = pathSequence(args.keys, path);
  for (const utxo of args.utxos) addVaultInput(psbt, keyring, utxo, path, sequence);
  psbt.addOutput({ script: args.destination, value: total - fee });
  return psbt;
}

/** Guardians' sweep: k-of-n guardian keys, valid once every coin is `recoveryOlder` blocks deep. */
export function buildRecoveryPsbt(args: SweepArgs): Psbt {
  return buildSweep(args, "recovery");
}

/** The DAO recovery key's sweep, valid once every coin is `lastResortOlder` blocks deep. */
export function buildLastResortPsbt(args: SweepArgs): Psbt {
  return buildSweep(args, "last-resort");
}
