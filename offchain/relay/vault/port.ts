// What the relay needs from the DAO's vault (docs/vault.md): its keys as registered on-chain, fresh addresses
// (indices kept in the journal), its coins and history from btcd, the relay's own signature and the co-signer's.
// bind.ts connects it to btcd, the co-signer and the chain; tests bind it to the real ones on regtest.
import type { Psbt } from "bitcoinjs-lib";
import type { Network, VaultKeys, VaultUtxo } from "../../vault/index.ts";
import type { Outpoint } from "../../lightning/index.ts";

export type { Network, VaultKeys, VaultUtxo };

/** A vault coin with its confirmations (0 while in the mempool). */
export interface VaultCoin extends VaultUtxo {
  confirmations: number;
}

/** One output of a transaction touching the vault. */
export interface VaultTxOutput {
  vout: number;
  sats: bigint;
  /** undefined for a script that is not an address (OP_RETURN) */
  address: string | undefined;
  /** where in the vault the output is, when it pays the vault */
  vault: { index: number; branch: 0 | 1 } | undefined;
}

/** A transaction that pays or spends the vault, as btcd has it. */
export interface VaultTx {
  txid: string;
  confirmations: number;
  /** the vault coins it spends */
  spends: (Outpoint & { sats: bigint })[];
  outputs: VaultTxOutput[];
}

export interface VaultPort {
  readonly network: Network;
  /** sat/vB of the vault's funding spends */
  readonly feeRate: bigint;
  /** The keys the DAO registered with `vault-set` (dao-settings.get-vault); throws while none is set. */
  keys(): Promise<VaultKeys>;
  /** A fresh address on `branch` (0 receive, 1 change); its index is journaled before it is returned. */
  issueAddress(branch: 0 | 1): Promise<{ address: string; index: number }>;
  /** The highest index issued on `branch` plus one (0 when none). */
  issuedCount(branch: 0 | 1): Promise<number>;
  /** Whether `address` is one of the vault's (either branch, up to the issued indices and the gap). */
  isVaultAddress(address: string): Promise<boolean>;
  /** The vault's unspent coins, mempool ones included (confirmations 0). */
  coins(): Promise<VaultCoin[]>;
  /** Every transaction paying or spending the vault, oldest first. */
  history(): Promise<VaultTx[]>;
  /** One transaction (btcd's txindex) with its outputs placed in the vault; undefined when btcd has none. */
  transaction(txid: string): Promise<{ txid: string; inputs: string[]; outputs: VaultTxOutput[] } | undefined>;
  /** True when the outpoint is spent (in a block or the mempool). */
  isSpent(outpoint: Outpoint): Promise<boolean>;
  /** Adds the relay's signatures; returns the inputs signed. */
  signRelay(psbt: Psbt): Promise<number>;
  /** The co-signer's answer for this action: the PSBT with its signatures added. */
  cosign(actionId: bigint, psbt: Psbt): Promise<Psbt>;
}

/** Addresses past the highest issued index that are still watched, as wallets do for a restored seed. */
export const ADDRESS_GAP = 20;
