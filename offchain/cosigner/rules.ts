// The co-signer's signing rules: a vault spend is signed only when it is the funding transaction of a
// channel-open the DAO voted for. Every input must spend a vault output (the script is derived from the keys
// registered on-chain, at the index the PSBT names, and compared with the input's witnessUtxo); every output
// but one must be vault change on branch 1; the one other output must pay exactly the action's local-sats (its
// script is lnd's funding script, which nobody can know before lnd answers); and the fee rate must be within the
// DAO's max-fee-rate. Input amounts are taken from witnessUtxo: a BIP-341 signature commits to every input's
// amount and script, so a PSBT that lies about them yields a signature the network rejects.
//
// Only channel-open is a vault payout today. treasury-transfer pays a Stacks principal from the Clarity treasury,
// not bitcoin, so no other kind is ever signed.
import type { Psbt } from "bitcoinjs-lib";
import { decodeAction } from "../actions/index.ts";
import type { OnChainAction } from "../relay/stacks/queue.ts";
import { type VaultKeyring, vaultDescriptorHash } from "../vault/descriptor.ts";
import { type Network, type VaultKeys, type VaultOnChain, vaultKeysFromChain } from "../vault/keys.ts";
import { txWeight, vbytes } from "../vault/weights.ts";
import { Refusal } from "./refusal.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The action must be a claimed channel-open: queued by a passed vote, and taken up by a relay. */
export function checkAction(action: OnChainAction | undefined, id: bigint): bigint {
  if (action === undefined) throw new Refusal("unknown-action", `action ${id} is not in the execution queue`);
  if (action.kind !== "channel-open") {
    throw new Refusal("wrong-kind", `action ${id} is a ${action.kind}; the vault pays out only for channel-open`);
  }
  if (action.status === "queued") throw new Refusal("not-claimed", `action ${id} is queued but no relay claimed it`);
  if (action.status !== "claimed") throw new Refusal("not-queued", `action ${id} is ${action.status}, not in flight`);
  const open = decodeAction("channel-open", action.payload);
  return open.payload.localSats;
}

/** The vault as registered, checked against its own descriptor hash. */
export function checkVault(vault: VaultOnChain | undefined, network: Network, cosignerXpub: string): VaultKeys {
  if (vault === undefined) throw new Refusal("no-vault", "no vault is registered on-chain (vault-set)");
  const keys = vaultKeysFromChain(vault);
  let hash: string;
  try {
    hash = hex(vaultDescriptorHash(keys, network));
  } catch (error) {
    throw new Refusal("descriptor-mismatch", `the registered keys do not make a vault: ${(error as Error).message}`);
  }
  if (hash !== vault.descriptorHash.replace(/^0x/, "").toLowerCase()) {
    throw new Refusal("descriptor-mismatch", `the registered descriptor-hash is not that of the registered keys`);
  }
  if (keys.cosigner !== cosignerXpub) {
    throw new Refusal("not-cosigner", "this co-signer's key is not the vault's registered co-signer key");
  }
  return keys;
}

/** Vault change scripts on branch 1, indexes below the scan bound, computed once per registered vault. */
export class ChangeScripts {
  private readonly cache = new Map<string, Set<string>>();
  constructor(readonly scanBound: number) {}

  of(keyring: VaultKeyring, descriptorHash: string): Set<string> {
    let scripts = this.cache.get(descriptorHash);
    if (scripts === undefined) {
      scripts = new Set();
      for (let i = 0; i < this.scanBound; i++) scripts.add(hex(keyring.outputScript(i, 1)));
      this.cache.set(descriptorHash, scripts);
    }
    return scripts;
  }
}

function parsePath(path: string): { branch: 0 | 1; index: number } | undefined {
  const match = /^m\/([01])\/(\d{1,10})$/.exec(path);
  if (!match) return undefined;
  const index = Number(match[2]);
  return index < 0x80000000 ? { branch: Number(match[1]) as 0 | 1, index } : undefined;
}

/** Every input spends a vault output; returns their total in sats. */
function checkInputs(psbt: Psbt, keyring: VaultKeyring): bigint {
  if (psbt.inputCount === 0) throw new Refusal("bad-psbt", "the transaction has no inputs");
  const cosigner = keyring.keys.cosigner;
  let total = 0n;
  psbt.data.inputs.forEach((input, i) => {
    const utxo = input.witnessUtxo;
    if (utxo === undefined) throw new Refusal("non-vault-input", `input ${i} has no witnessUtxo`);
    const ours = (input.tapBip32Derivation ?? [])
      .map((d) => ({ d, at: parsePath(d.path) }))
      .find(({ d, at }) => at !== undefined && hex(keyring.cosignerKey(at.index, at.branch)) === hex(d.pubkey));
    if (ours?.at === undefined) {
      throw new Refusal(
        "non-vault-input",
        `input ${i} names no key derived from the co-signer's ${cosigner.slice(0, 12)}…`,
      );
    }
    const expected = keyring.outputScript(ours.at.index, ours.at.branch);
    if (hex(expected) !== hex(utxo.script)) {
      throw new Refusal("non-vault-input", `input ${i} spends a script that is not the vault's at ${ours.d.path}`);
    }
    total += utxo.value;
  });
  return total;
}

export interface Approval {
  fundingSats: bigint;
  feeSats: bigint;
  vbytes: number;
}

/** The whole rule set for one channel-open funding PSBT. Throws a Refusal naming the first rule broken. */
export function checkFundingPsbt(args: {
  psbt: Psbt;
  keyring: VaultKeyring;
  changeScripts: Set<string>;
  localSats: bigint;
  maxFeeRate: bigint;
}): Approval {
  const { psbt, keyring, changeScripts, localSats, maxFeeRate } = args;
  const inputSats = checkInputs(psbt, keyring);
  const foreign = psbt.txOutputs.filter((o) => !changeScripts.has(hex(o.script)));
  if (foreign.length !== 1) {
    throw new Refusal(
      "foreign-output",
      `${foreign.length} outputs are not vault change; a channel-open funds exactly one channel`,
    );
  }
  const funding = foreign[0]?.value ?? 0n;
  if (funding !== localSats) {
    throw new Refusal("amount-mismatch", `the funding output pays ${funding} sats; the DAO voted ${localSats}`);
  }
  const outputSats = psbt.txOutputs.reduce((sum, o) => sum + o.value, 0n);
  const fee = inputSats - outputSats;
  if (fee < 0n) throw new Refusal("bad-psbt", `outputs (${outputSats} sats) exceed inputs (${inputSats} sats)`);
  const size = vbytes(
    txWeight(
      keyring,
      "everyday",
      psbt.inputCount,
      psbt.txOutputs.map((o) => o.script.length),
    ),
  );
  if (fee > maxFeeRate * BigInt(size)) {
    throw new Refusal(
      "fee-too-high",
      `fee ${fee} sats for ${size} vB is above the DAO's ${maxFeeRate} sat/vB (${maxFeeRate * BigInt(size)} sats)`,
    );
  }
  return { fundingSats: funding, feeSats: fee, vbytes: size };
}
