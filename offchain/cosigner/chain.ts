// What the co-signer reads from the Stacks chain, and nothing else: the queued action by id and the registered
// vault. It reads these itself, over its own node connection, so a relay cannot tell it what the DAO decided.
import { Cl, type ClarityValue, fetchCallReadOnlyFunction } from "@stacks/transactions";
import { type OnChainAction, toOnChainAction } from "../relay/stacks/queue.ts";
import { type ReadOnlyCaller, readVault } from "../vault/chain.ts";
import type { VaultOnChain } from "../vault/keys.ts";

export interface CosignerChain {
  action(id: bigint): Promise<OnChainAction | undefined>;
  vault(): Promise<VaultOnChain | undefined>;
}

/** Read-only calls over a Stacks node's RPC; the co-signer holds no Stacks key, so it calls as the deployer. */
export class NodeReader implements ReadOnlyCaller {
  constructor(
    private readonly nodeUrl: string,
    private readonly network: "mainnet" | "testnet" | "devnet",
    private readonly sender: string,
  ) {}

  readOnly(contractId: string, functionName: string, functionArgs: ClarityValue[]): Promise<ClarityValue> {
    const [contractAddress, contractName] = contractId.split(".") as [string, string];
    return fetchCallReadOnlyFunction({
      contractAddress,
      contractName,
      functionName,
      functionArgs,
      senderAddress: this.sender,
      network: this.network,
      client: { baseUrl: this.nodeUrl },
    });
  }
}

export class ContractChain implements CosignerChain {
  constructor(
    private readonly reader: ReadOnlyCaller,
    private readonly deployer: string,
  ) {}

  async action(id: bigint): Promise<OnChainAction | undefined> {
    const value = await this.reader.readOnly(`${this.deployer}.execution-queue`, "get-action", [Cl.uint(id)]);
    return toOnChainAction(id, value);
  }

  vault(): Promise<VaultOnChain | undefined> {
    return readVault(this.reader, this.deployer);
  }
}
