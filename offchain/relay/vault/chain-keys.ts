// The vault's keys as the DAO registered them with `vault-set` (`dao-settings.get-vault`, through offchain/vault's
// reader), read on each use so a new vault-set takes effect without a restart. The relay never takes the keys from
// its own config: the chain is the authority, and the co-signer reads the same record.
import { readVault, vaultKeysFromChain, type VaultKeys } from "../../vault/index.ts";
import { conflict } from "../failure.ts";
import type { StacksClient } from "../stacks/client.ts";

/** Loads the registered vault's keys; a 409 failure while the DAO has set none. */
export function chainVaultKeys(stacks: Pick<StacksClient, "readOnly">, deployer: string): () => Promise<VaultKeys> {
  return async () => {
    const vault = await readVault(stacks, deployer);
    if (!vault) throw conflict("the DAO has not registered a vault (no vault-set executed)");
    return vaultKeysFromChain(vault);
  };
}
