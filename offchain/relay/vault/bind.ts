// The relay's VaultPort over btcd (coins and history), the journal (address indices), the co-signer (HTTP) and the
// relay's extended private key from the config (a Secret: revealed only to sign, never logged).
import type { Psbt } from "bitcoinjs-lib";
import { BtcdRpc } from "../../lightning/connection/btcd.ts";
import { signEveryday, vaultAddress, type VaultKeys } from "../../vault/index.ts";
import type { VaultConnection } from "../config.ts";
import type { Outpoint } from "../daemons/ports.ts";
import type { JobTable } from "../journal/types.ts";
import { issuedCount, issueIndex } from "./addresses.ts";
import { outpointSpent, scanVault, transactionOf, type AddressBook } from "./btcd-chain.ts";
import { requestCosignature } from "./cosigner-client.ts";
import { ADDRESS_GAP, type VaultCoin, type VaultPort, type VaultTx } from "./port.ts";

export class BtcdVault implements VaultPort {
  readonly network: VaultConnection["network"];
  readonly feeRate: bigint;
  private readonly btcd: BtcdRpc;

  constructor(
    private readonly connection: VaultConnection,
    private readonly jobs: JobTable,
    /** the DAO's registered keys (dao-settings.get-vault) */
    private readonly loadKeys: () => Promise<VaultKeys>,
    private readonly now: () => number = Date.now,
  ) {
    this.network = connection.network;
    this.feeRate = connection.feeRate;
    this.btcd = new BtcdRpc({
      host: connection.btcd.host,
      user: connection.btcd.user,
      password: connection.btcd.password.reveal(),
      certPem: connection.btcd.certPem,
    });
  }

  keys(): Promise<VaultKeys> {
    return this.loadKeys();
  }

  async issueAddress(branch: 0 | 1): Promise<{ address: string; index: number }> {
    const keys = await this.keys();
    const index = await issueIndex(this.jobs, branch, this.now());
    return { address: vaultAddress(keys, this.network, index, branch), index };
  }

  issuedCount(branch: 0 | 1): Promise<number> {
    return issuedCount(this.jobs, branch);
  }

  private async addressBook(): Promise<AddressBook> {
    const keys = await this.keys();
    const book: AddressBook = new Map();
    for (const branch of [0, 1] as const) {
      const watched = (await this.issuedCount(branch)) + ADDRESS_GAP;
      for (let index = 0; index < watched; index++)
        book.set(vaultAddress(keys, this.network, index, branch), { index, branch });
    }
    return book;
  }

  async isVaultAddress(address: string): Promise<boolean> {
    return (await this.addressBook()).has(address);
  }

  async coins(): Promise<VaultCoin[]> {
    return (await scanVault(this.btcd, await this.addressBook(), this.network)).coins;
  }

  async history(): Promise<VaultTx[]> {
    return (await scanVault(this.btcd, await this.addressBook(), this.network)).history;
  }

  async transaction(txid: string) {
    return transactionOf(this.btcd, txid, await this.addressBook(), this.network);
  }

  isSpent(outpoint: Outpoint): Promise<boolean> {
    return outpointSpent(this.btcd, outpoint);
  }

  async signRelay(psbt: Psbt): Promise<number> {
    return signEveryday(psbt, this.connection.relayXprv.reveal());
  }

  cosign(actionId: bigint, psbt: Psbt): Promise<Psbt> {
    return requestCosignature(this.connection.cosignerUrl, actionId, psbt);
  }
}
