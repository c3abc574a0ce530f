// Signing and finalizing vault PSBTs from the PSBT alone. A signer finds its inputs by the BIP-32 fingerprint in
// each input's tapBip32Derivation, checks the derived key is the one named, and adds a Schnorr signature for that
// leaf unless one is already there, so signing twice changes nothing. The finalizer builds each input's witness
// from the leaf script in the PSBT: the party that finalizes (the relay, a guardian, after a restart) needs no
// in-memory state from the party that built it.
import * as ecc from "@bitcoinerlab/secp256k1";
import { HDKey } from "@scure/bip32";
import { type Psbt, type Transaction, opcodes, script as bscript } from "bitcoinjs-lib";
import { VaultError, hdVersions } from "./keys.ts";
import { varintSize } from "./weights.ts";

function parseAnyXprv(xprv: string): HDKey {
  const text = xprv.trim();
  for (const network of ["mainnet", "testnet"] as const) {
    try {
      const node = HDKey.fromExtendedKey(text, hdVersions(network));
      if (node.privateKey === null)
        throw new VaultError("bad-key", "an extended public key where a private key belongs");
      return node;
    } catch (error) {
      if (error instanceof VaultError) throw error;
    }
  }
  throw new VaultError("bad-key", "not an extended private key (xprv or tprv)");
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function fingerprintOf(node: HDKey): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, node.fingerprint);
  return bytes;
}

/** Signs every input whose leaf names a key derived from `xprv`; returns how many inputs this call signed. */
export function signVault(psbt: Psbt, xprv: string): number {
  const node = parseAnyXprv(xprv);
  const fingerprint = fingerprintOf(node);
  let signed = 0;
  psbt.data.inputs.forEach((input, i) => {
    let added = false;
    for (const derivation of input.tapBip32Derivation ?? []) {
      if (!equalBytes(derivation.masterFingerprint, fingerprint)) continue;
      const child = node.derive(derivation.path);
      const publicKey = child.publicKey;
      const privateKey = child.privateKey;
      if (publicKey === null || privateKey === null) throw new Error("derived key is incomplete");
      // A fingerprint is four bytes; a different key can share one, so the key itself must match.
      if (!equalBytes(publicKey.subarray(1), derivation.pubkey)) continue;
      for (const leafHash of derivation.leafHashes) {
        const already = (input.tapScriptSig ?? []).some(
          (s) => equalBytes(s.pubkey, derivation.pubkey) && equalBytes(s.leafHash, leafHash),
        );
        if (already) continue;
        const signer = {
          publicKey,
          sign: () => {
            throw new Error("a vault key signs Schnorr only");
          },
          signSchnorr: (hash: Uint8Array) => ecc.signSchnorr(hash, privateKey),
        };
        psbt.signTaprootInput(i, signer, leafHash);
        added = true;
      }
    }
    if (added) signed++;
  });
  return signed;
}

/** The relay's or the co-signer's signature on an everyday spend. */
export function signEveryday(psbt: Psbt, xprv: string): number {
  return signVault(psbt, xprv);
}

interface LeafShape {
  keys: Uint8Array[];
  required: number;
}

/** The keys a vault leaf names in script order, and how many must sign (k of a multi_a, else all). */
function leafShape(script: Uint8Array): LeafShape {
  const chunks = bscript.decompile(script);
  if (chunks === null) throw new VaultError("bad-output", "the leaf script does not decompile");
  const keys = chunks.filter((c): c is Uint8Array => c instanceof Uint8Array && c.length === 32);
  const numEqual = chunks.indexOf(opcodes.OP_NUMEQUALVERIFY);
  if (numEqual < 1) return { keys, required: keys.length };
  const threshold = chunks[numEqual - 1];
  const required =
    typeof threshold === "number" ? threshold - opcodes.OP_1 + 1 : bscript.number.decode(threshold as Uint8Array);
  return { keys, required };
}

function serializeWitness(items: Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  const pushVarint = (n: number) => {
    if (n < 0xfd) parts.push(n);
    else parts.push(0xfd, n & 0xff, n >> 8);
  };
  pushVarint(items.length);
  for (const item of items) {
    pushVarint(item.length);
    parts.push(...item);
  }
  return Uint8Array.from(parts);
}

/** The witness stack of one input: a signature or an empty push per key (reverse script order), script, control. */
function witnessFor(psbt: Psbt, index: number): Uint8Array {
  const input = psbt.data.inputs[index];
  const leaf = input?.tapLeafScript?.[0];
  if (input === undefined || leaf === undefined || (input.tapLeafScript?.length ?? 0) !== 1) {
    throw new VaultError("not-vault-input", `input ${index} does not carry exactly one vault leaf`);
  }
  const { keys, required } = leafShape(leaf.script);
  const sigs = input.tapScriptSig ?? [];
  let used = 0;
  const perKey = keys.map((key) => {
    const sig = sigs.find((s) => equalBytes(s.pubkey, key));
    if (sig === undefined || used >= required) return new Uint8Array(0);
    used++;
    return sig.signature;
  });
  if (used < required) {
    throw new VaultError(
      "missing-signatures",
      `input ${index} has ${used} of the ${required} signatures its leaf needs`,
    );
  }
  return serializeWitness([...perKey.reverse(), leaf.script, leaf.controlBlock]);
}

/** Finalizes every input (any spend path) and extracts the transaction. */
export function finalizeSpend(psbt: Psbt): Transaction {
  for (let i = 0; i < psbt.data.inputs.length; i++) {
    const finalScriptWitness = witnessFor(psbt, i);
    psbt.finalizeTaprootInput(i, undefined, () => ({ finalScriptWitness }));
  }
  return psbt.extractTransaction();
}

/** Finalizes an everyday spend once the relay and the co-signer have both signed. */
export function finalizeEveryday(psbt: Psbt): Transaction {
  return finalizeSpend(psbt);
}

/** Size of a serialized witness, as the weight estimate counts it. */
export function serializedWitnessBytes(witness: Uint8Array[]): number {
  return witness.reduce((n, item) => n + varintSize(item.length) + item.length, varintSize(witness.length));
}
