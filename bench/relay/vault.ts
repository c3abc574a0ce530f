// Section g of bench:relay, pure CPU (no regtest): the relay's own work on a vault funding PSBT with 1, 10 and 100
// inputs (build with coin selection, relay signature, the co-signer's chain-checked rules and signature, finalize),
// against a bare bitcoinjs-lib signing of the same PSBT with keys derived beforehand; and the vault's input size
// per spend path against a 2-of-3 P2WSH multisig input, both measured on finalized transactions.
import * as ecc from "@bitcoinerlab/secp256k1";
import { HDKey } from "@scure/bip32";
import { Psbt, type Signer, payments } from "bitcoinjs-lib";
import { Cosigner } from "../../offchain/cosigner/cosigner.ts";
import { CosignerJournal } from "../../offchain/cosigner/journal.ts";
import { encodeAction } from "../../offchain/actions/index.ts";
import { EXAMPLES } from "../../offchain/actions/examples.ts";
import {
  SPEND_PATHS,
  VaultKeyring,
  buildSpendPsbt,
  finalizeEveryday,
  hdVersions,
  signEveryday,
  vaultDescriptorHash,
  xpubBytes,
  type SpendPath,
  type VaultUtxo,
} from "../../offchain/vault/index.ts";
import { FUNDING_SCRIPT, KEYS, XPRV, txid } from "../../offchain/vault/test/fixtures.ts";
import { progress, quantile, report, sample } from "./figures.ts";

const FUNDING_SATS = 1_000_000n;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function coins(n: number): VaultUtxo[] {
  // Every coin is needed: together they just cover the funding output, the fee (under 600 sats an input at
  // 5 sat/vB) and some change.
  const each = (FUNDING_SATS + 2_000n) / BigInt(n) + 600n;
  return Array.from({ length: n }, (_, i) => ({ txid: txid(i + 1), vout: i % 4, sats: each, index: i, branch: 0 }));
}

function claimedChain() {
  const example = EXAMPLES.find((a) => a.kind === "channel-open");
  if (example?.kind !== "channel-open") throw new Error("no channel-open example");
  const payload = encodeAction({ kind: "channel-open", payload: { ...example.payload, localSats: FUNDING_SATS } });
  const bytes = (x: string) => hex(xpubBytes(x));
  return {
    action: async (id: bigint) => ({
      id,
      kind: "channel-open",
      payload,
      eta: 0,
      expires: 1_000_000,
      status: "claimed" as const,
      relay: "ST1RELAY",
      claimExpires: 1_000_000,
      attempts: 0,
    }),
    vault: async () => ({
      descriptorHash: hex(vaultDescriptorHash(KEYS, "regtest")),
      relayKey: bytes(KEYS.relay),
      cosignerKey: bytes(KEYS.cosigner),
      guardianKeys: KEYS.guardians.map(bytes),
      guardianThreshold: BigInt(KEYS.guardianThreshold),
      recoveryOlder: BigInt(KEYS.recoveryOlder),
      lastResortKey: bytes(KEYS.lastResort),
      lastResortOlder: BigInt(KEYS.lastResortOlder),
      maxFeeRate: 50n,
      setAt: 1n,
    }),
  };
}

function build(utxos: VaultUtxo[]): Psbt {
  const outputs = [{ script: FUNDING_SCRIPT, sats: FUNDING_SATS }];
  return buildSpendPsbt({ keys: KEYS, network: "regtest", utxos, outputs, feeRateSatVb: 5n, changeIndex: 0 });
}

/** bitcoinjs-lib's own taproot signing with both keys derived beforehand: the floor the vault code is measured on. */
function bareSigners(psbt: Psbt): { input: number; signer: Signer }[] {
  const nodes = [XPRV.relay, XPRV.cosigner].map((x) => HDKey.fromExtendedKey(x, hdVersions("regtest")));
  return psbt.data.inputs.flatMap((input, i) =>
    (input.tapBip32Derivation ?? []).flatMap((d) => {
      const node = nodes.find(
        (n) => new DataView(d.masterFingerprint.buffer, d.masterFingerprint.byteOffset).getUint32(0) === n.fingerprint,
      );
      if (node === undefined) return [];
      const child = node.derive(d.path);
      const privateKey = child.privateKey as Uint8Array;
      const signer: Signer = {
        publicKey: child.publicKey as Uint8Array,
        sign: () => {
          throw new Error("schnorr only");
        },
        signSchnorr: (h: Uint8Array) => ecc.signSchnorr(h, privateKey),
      };
      return [{ input: i, signer }];
    }),
  );
}

async function fundingFigures(inputs: number, samples: number): Promise<void> {
  const utxos = coins(inputs);
  const journal = new CosignerJournal(":memory:");
  const cosigner = new Cosigner({
    network: "regtest",
    xprv: XPRV.cosigner,
    chain: claimedChain(),
    journal,
    changeScanBound: 100,
  });
  let actionId = 0;
  const relayWork = await sample(
    samples,
    async () => {
      const psbt = build(utxos);
      signEveryday(psbt, XPRV.relay);
      actionId++;
      const cosigned = Psbt.fromBase64(await cosigner.sign(String(actionId), psbt.toBase64()));
      finalizeEveryday(cosigned);
    },
    1,
  );
  const template = build(utxos);
  const signers = bareSigners(template);
  const bare = await sample(
    samples,
    () => {
      const psbt = template.clone();
      for (const { input, signer } of signers) psbt.signTaprootInput(input, signer);
    },
    1,
  );
  journal.close();
  for (const q of [0.5, 0.95] as const) {
    report({
      name: `vault funding PSBT, ${inputs} input(s), p${q * 100}`,
      value: quantile(relayWork, q),
      unit: "ms",
      baselineName: "bare bitcoinjs-lib sign",
      baseline: quantile(bare, q),
    });
  }
}

/** A 1-in-1-out 2-of-3 P2WSH multisig spend, signed and finalized by bitcoinjs-lib: its input's vbytes. */
function p2wshMultisigInputVbytes(): number {
  const keys = [1, 2, 3].map((i) => HDKey.fromMasterSeed(new Uint8Array(32).fill(200 + i)));
  const p2ms = payments.p2ms({ m: 2, pubkeys: keys.map((k) => k.publicKey as Uint8Array) });
  const p2wsh = payments.p2wsh({ redeem: p2ms });
  const psbt = new Psbt();
  psbt.addInput({
    hash: txid(9),
    index: 0,
    witnessUtxo: { script: p2wsh.output as Uint8Array, value: 100_000n },
    witnessScript: p2ms.output as Uint8Array,
  });
  psbt.addOutput({ script: FUNDING_SCRIPT, value: 90_000n });
  for (const key of keys.slice(0, 2)) {
    const privateKey = key.privateKey as Uint8Array;
    psbt.signInput(0, { publicKey: key.publicKey as Uint8Array, sign: (h) => ecc.sign(h, privateKey) });
  }
  psbt.finalizeAllInputs();
  const tx = psbt.extractTransaction();
  return inputVbytes(tx.weight(), FUNDING_SCRIPT.length);
}

/** An input's share of a 1-in-1-out transaction: the weight less the fixed parts and the output, in vB. */
function inputVbytes(txWeight: number, outputScriptBytes: number): number {
  const fixed = (4 + 4 + 1 + 1) * 4 + 2 + (8 + 1 + outputScriptBytes) * 4;
  return (txWeight - fixed) / 4;
}

function vaultInputVbytes(path: SpendPath): number {
  const keyring = new VaultKeyring(KEYS, "regtest");
  const taproot = keyring.taproot(0, 0);
  const psbt = new Psbt();
  const leaf = taproot.leaves[path];
  psbt.addInput({
    hash: txid(9),
    index: 0,
    sequence: path === "everyday" ? 0xfffffffd : path === "recovery" ? KEYS.recoveryOlder : KEYS.lastResortOlder,
    witnessUtxo: { script: taproot.outputScript, value: 100_000n },
    tapLeafScript: [{ leafVersion: 0xc0, script: leaf.script, controlBlock: leaf.controlBlock }],
  });
  psbt.addOutput({ script: FUNDING_SCRIPT, value: 90_000n });
  const xprvs = {
    everyday: [XPRV.relay, XPRV.cosigner],
    recovery: [XPRV.guardian0, XPRV.guardian1],
    "last-resort": [XPRV.lastResort],
  };
  for (const xprv of xprvs[path]) {
    const node = HDKey.fromExtendedKey(xprv, hdVersions("regtest")).derive("m/0/0");
    const privateKey = node.privateKey as Uint8Array;
    psbt.signTaprootInput(0, {
      publicKey: node.publicKey as Uint8Array,
      sign: () => {
        throw new Error("schnorr only");
      },
      signSchnorr: (h) => ecc.signSchnorr(h, privateKey),
    });
  }
  const tx = finalizeEveryday(psbt);
  return inputVbytes(tx.weight(), FUNDING_SCRIPT.length);
}

export async function vaultFigures(samples: number): Promise<void> {
  progress("g: vault funding PSBTs and spend-path sizes (pure CPU)");
  for (const inputs of [1, 10, 100]) await fundingFigures(inputs, Math.max(3, Math.ceil(samples / inputs)));
  const multisig = p2wshMultisigInputVbytes();
  for (const path of SPEND_PATHS) {
    report({
      name: `vault input, ${path} path (2-of-3 guardians)`,
      value: vaultInputVbytes(path),
      unit: "vB",
      baselineName: "2-of-3 P2WSH multisig input",
      baseline: multisig,
    });
  }
}
