// `(dao-settings.get-vault)` read from the chain: the registered keys, timelocks and fee bound of the vault.
import type { ClarityValue } from "@stacks/transactions";
import { CvError, Fields, hexOf, optionalOf } from "../clarity/clarity-values.ts";
import type { VaultOnChain } from "./keys.ts";

/** Anything that can make a read-only call (the relay's StacksClient, a simnet in tests). */
export interface ReadOnlyCaller {
  readOnly(contractId: string, fn: string, args: ClarityValue[]): Promise<ClarityValue>;
}

/** get-vault's answer with every field's type checked; none (no vault registered yet) is undefined. */
export function toVaultOnChain(value: ClarityValue): VaultOnChain | undefined {
  const found = optionalOf(value, "get-vault");
  if (found === null) return undefined;
  const t = new Fields(found, "get-vault");
  const guardians = t.value("guardian-keys");
  if (guardians.type !== "list") throw new CvError(`get-vault.guardian-keys should be list, got ${guardians.type}`);
  return {
    descriptorHash: t.hex("descriptor-hash"),
    relayKey: t.hex("relay-key"),
    cosignerKey: t.hex("cosigner-key"),
    guardianKeys: guardians.value.map((g, i) => hexOf(g, `get-vault.guardian-keys[${i}]`)),
    guardianThreshold: t.uint("guardian-threshold"),
    recoveryOlder: t.uint("recovery-older"),
    lastResortKey: t.hex("last-resort-key"),
    lastResortOlder: t.uint("last-resort-older"),
    maxFeeRate: t.uint("max-fee-rate"),
    setAt: t.uint("set-at"),
  };
}

export async function readVault(stacks: ReadOnlyCaller, deployer: string): Promise<VaultOnChain | undefined> {
  return toVaultOnChain(await stacks.readOnly(`${deployer}.dao-settings`, "get-vault", []));
}
