// The vault's keys as the DAO registered them with `vault-set`: `(dao-settings.get-vault)`, read from the chain on
// each use so a new vault-set takes effect without a restart. The relay never takes the keys from its own config:
// the chain is the authority, and the co-signer reads the same record.
import type { ClarityValue } from "@stacks/transactions";
import { CvError, Fields, hexOf, optionalOf } from "../../clarity/clarity-values.ts";
import { vaultKeysFromChain, type VaultKeys, type VaultOnChain } from "../../vault/index.ts";
import { conflict } from "../failure.ts";
import type { StacksClient } from "../stacks/client.ts";

export function vaultOnChain(value: ClarityValue): VaultOnChain | undefined {
  const some = optionalOf(value, "get-vault");
  if (some === null) return undefined;
  const t = new Fields(some, "get-vault");
  const guardians = t.value("guardian-keys");
  if (guardians.type !== "list") throw new CvError(`get-vault guardian-keys should be list, got ${guardians.type}`);
  return {
    descriptorHash: t.hex("descriptor-hash"),
    relayKey: t.hex("relay-key"),
    cosignerKey: t.hex("cosigner-key"),
    guardianKeys: guardians.value.map((g, i) => hexOf(g, `get-vault guardian-keys[${i}]`)),
    guardianThreshold: t.uint("guardian-threshold"),
    recoveryOlder: t.uint("recovery-older"),
    lastResortKey: t.hex("last-resort-key"),
    lastResortOlder: t.uint("last-resort-older"),
    maxFeeRate: t.uint("max-fee-rate"),
    setAt: t.uint("set-at"),
  };
}

/** Loads the registered vault's keys; a 409 failure while the DAO has set none. */
export function chainVaultKeys(stacks: Pick<StacksClient, "readOnly">, deployer: string): () => Promise<VaultKeys> {
  return async () => {
    const vault = vaultOnChain(await stacks.readOnly(`${deployer}.dao-settings`, "get-vault", []));
    if (!vault) throw conflict("the DAO has not registered a vault (no vault-set executed)");
    return vaultKeysFromChain(vault);
  };
}
