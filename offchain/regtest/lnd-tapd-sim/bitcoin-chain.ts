// The one simulated regtest chain all simulated daemons share: blocks, a mempool, UTXOs and which wallet owns
// which address. Values are sats (integers). Transactions carry no scripts or signatures, only what the daemons'
// answers need: inputs, outputs, fee, label and the block that confirmed them.
import { randomBytes } from "node:crypto";
import { newAddress, newTxid, sha256, type AddressKind } from "./keys.ts";
import { SimRpcError } from "./rpc-error.ts";

export interface TxOutput {
  address: string;
  value: number;
}

export interface SimTx {
  txid: string;
  inputs: string[];
  outputs: TxOutput[];
  fee: number;
  /** The wallet that built and paid for it, if any (null for mining rewards and funding from outside). */
  payer: string | null;
  label: string;
  blockHeight: number | null;
  blockHash: string | null;
  /** Unix seconds when first seen. */
  seenAt: number;
  vsize: number;
}

export interface Utxo {
  outpoint: string;
  txid: string;
  vout: number;
  address: string;
  value: number;
}

export interface Block {
  height: number;
  hash: string;
  time: number;
  txids: string[];
}

export interface SendOptions {
  /** sat/vB; the chain's default when omitted. */
  feeRate?: number;
  label?: string;
  /** Sweep every confirmed coin to the first output (its value is ignored). */
  sendAll?: boolean;
  /** Coins need this many confirmations to be spent. Default 1. */
  minConfs?: number;
}

// P2TR key-path inputs and P2TR outputs: close enough to lnd's own weight estimates for fees to look right.
const estimateVsize = (inputs: number, outputs: number) => 11 + 58 * inputs + 43 * outputs;
export const DUST_LIMIT = 330;

export class SimChain {
  readonly network = "regtest";
  readonly genesisHash: string;
  readonly blocks: Block[] = [];
  defaultFeeRate: number;
  private readonly txs = new Map<string, SimTx>();
  private readonly unspent = new Map<string, Utxo>();
  private readonly owners = new Map<string, string>();
  /** Values of spent outpoints, for a wallet's net amount in a transaction. */
  private readonly spentValues = new Map<string, number>();
  private readonly blockListeners: Array<(block: Block) => void> = [];

  constructor(options: { defaultFeeRate?: number } = {}) {
    this.defaultFeeRate = options.defaultFeeRate ?? 10;
    this.genesisHash = sha256(Buffer.from("lvdao simulated regtest genesis")).toString("hex");
    this.blocks.push({ height: 0, hash: this.genesisHash, time: Math.floor(Date.now() / 1000), txids: [] });
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1] as Block;
  }

  onBlock(listener: (block: Block) => void): void {
    this.blockListeners.push(listener);
  }

  /** A fresh address owned by `wallet`. */
  newWalletAddress(wallet: string, kind: AddressKind): string {
    const address = newAddress(kind);
    this.owners.set(address, wallet);
    return address;
  }

  /** Marks an address as owned by `wallet` (e.g. a channel's funding output belongs to no wallet: use "channel:<point>"). */
  claimAddress(wallet: string, address: string): void {
    this.owners.set(address, wallet);
  }

  ownerOf(address: string): string | undefined {
    return this.owners.get(address);
  }

  tx(txid: string): SimTx | undefined {
    return this.txs.get(txid);
  }

  confirmations(txid: string): number {
    const height = this.txs.get(txid)?.blockHeight;
    return height === null || height === undefined ? 0 : this.height - height + 1;
  }

  utxosOf(wallet: string, minConfs = 0): Utxo[] {
    const out: Utxo[] = [];
    for (const utxo of this.unspent.values()) {
      if (this.owners.get(utxo.address) === wallet && this.confirmations(utxo.txid) >= minConfs) out.push(utxo);
    }
    return out;
  }

  balanceOf(wallet: string): { confirmed: number; unconfirmed: number } {
    let confirmed = 0;
    let unconfirmed = 0;
    for (const utxo of this.utxosOf(wallet)) {
      if (this.confirmations(utxo.txid) > 0) confirmed += utxo.value;
      else unconfirmed += utxo.value;
    }
    return { confirmed, unconfirmed };
  }

  /** Transactions that pay to or spend from `wallet`, oldest first. */
  transactionsOf(wallet: string): SimTx[] {
    return [...this.txs.values()].filter(
      (tx) => tx.payer === wallet || tx.outputs.some((output) => this.owners.get(output.address) === wallet),
    );
  }

  /** Value `wallet` received in `tx` minus what it spent: lnd's `amount` for a wallet transaction. */
  netAmount(wallet: string, tx: SimTx): number {
    const received = tx.outputs
      .filter((o) => this.owners.get(o.address) === wallet)
      .reduce((sum, o) => sum + o.value, 0);
    if (tx.payer !== wallet) return received;
    const spent = tx.inputs.reduce((sum, outpoint) => sum + (this.spentValues.get(outpoint) ?? 0), 0);
    return received - spent;
  }

  /** Records a transaction from outside every wallet (a mining reward, a faucet). */
  addExternalTx(outputs: TxOutput[], label = ""): SimTx {
    return this.record({
      txid: newTxid(),
      inputs: [],
      outputs,
      fee: 0,
      payer: null,
      label,
      blockHeight: null,
      blockHash: null,
      seenAt: now(),
      vsize: estimateVsize(1, outputs.length),
    });
  }

  /**
   * Builds, "signs" and broadcasts a transaction from `wallet`: largest confirmed coins first, change to a fresh
   * wallet address when it is above dust. Fails like lnd's wallet when the coins don't cover amount plus fee.
   */
  send(wallet: string, outputs: TxOutput[], options: SendOptions = {}): SimTx {
    const feeRate = options.feeRate ?? this.defaultFeeRate;
    const coins = this.utxosOf(wallet, options.minConfs ?? 1).sort((a, b) => b.value - a.value);
    if (options.sendAll) {
      const total = coins.reduce((sum, coin) => sum + coin.value, 0);
      const fee = Math.ceil(estimateVsize(coins.length, 1) * feeRate);
      const first = outputs[0];
      if (!first || coins.length === 0 || total - fee < DUST_LIMIT) throw insufficientFunds(total, fee);
      return this.broadcast(wallet, coins, [{ address: first.address, value: total - fee }], fee, options.label ?? "");
    }
    const wanted = outputs.reduce((sum, output) => sum + output.value, 0);
    const chosen: Utxo[] = [];
    let total = 0;
    for (const coin of coins) {
      chosen.push(coin);
      total += coin.value;
      const feeWithChange = Math.ceil(estimateVsize(chosen.length, outputs.length + 1) * feeRate);
      if (total >= wanted + feeWithChange) {
        const change = total - wanted - feeWithChange;
        if (change >= DUST_LIMIT) {
          const changeAddress = this.newWalletAddress(wallet, "p2tr");
          return this.broadcast(
            wallet,
            chosen,
            [...outputs, { address: changeAddress, value: change }],
            feeWithChange,
            options.label ?? "",
          );
        }
        // Change below dust goes to the miners, as lnd's coin selection does.
        return this.broadcast(wallet, chosen, outputs, total - wanted, options.label ?? "");
      }
    }
    throw insufficientFunds(
      total,
      Math.ceil(estimateVsize(Math.max(1, chosen.length), outputs.length + 1) * feeRate),
      wanted,
    );
  }

  /** Mines `count` blocks; the first takes every mempool transaction. Returns the new block hashes. */
  mine(count: number): string[] {
    const hashes: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const previous = this.tip;
      const txids = [...this.txs.values()].filter((tx) => tx.blockHeight === null).map((tx) => tx.txid);
      const hash = sha256(
        Buffer.concat([Buffer.from(previous.hash, "hex"), randomBytes(8), Buffer.from(txids.join(""))]),
      ).toString("hex");
      const block: Block = { height: previous.height + 1, hash, time: Math.max(previous.time + 1, now()), txids };
      for (const txid of txids) {
        const tx = this.txs.get(txid) as SimTx;
        tx.blockHeight = block.height;
        tx.blockHash = hash;
      }
      this.blocks.push(block);
      hashes.push(hash);
      for (const listener of this.blockListeners) listener(block);
    }
    return hashes;
  }

  private broadcast(wallet: string, inputs: Utxo[], outputs: TxOutput[], fee: number, label: string): SimTx {
    for (const input of inputs) {
      this.unspent.delete(input.outpoint);
      this.spentValues.set(input.outpoint, input.value);
    }
    return this.record({
      txid: newTxid(),
      inputs: inputs.map((input) => input.outpoint),
      outputs,
      fee,
      payer: wallet,
      label,
      blockHeight: null,
      blockHash: null,
      seenAt: now(),
      vsize: estimateVsize(inputs.length, outputs.length),
    });
  }

  /** Spends a non-wallet output (a channel's funding output) into `outputs`: closing transactions. */
  spendOutpoint(outpoint: string, outputs: TxOutput[], fee: number, label = ""): SimTx {
    const utxo = this.unspent.get(outpoint);
    if (!utxo) throw new SimRpcError(`outpoint ${outpoint} is already spent or unknown`);
    this.unspent.delete(outpoint);
    this.spentValues.set(outpoint, utxo.value);
    return this.record({
      txid: newTxid(),
      inputs: [outpoint],
      outputs,
      fee,
      payer: null,
      label,
      blockHeight: null,
      blockHash: null,
      seenAt: now(),
      vsize: estimateVsize(1, outputs.length),
    });
  }

  private record(tx: SimTx): SimTx {
    this.txs.set(tx.txid, tx);
    tx.outputs.forEach((output, vout) => {
      const outpoint = `${tx.txid}:${vout}`;
      this.unspent.set(outpoint, { outpoint, txid: tx.txid, vout, address: output.address, value: output.value });
    });
    return tx;
  }
}

const now = () => Math.floor(Date.now() / 1000);

function insufficientFunds(available: number, fee: number, wanted?: number): SimRpcError {
  const need = wanted === undefined ? fee : wanted + fee;
  return new SimRpcError(
    `insufficient funds available to construct transaction: need ${need} sat, have ${available} sat`,
  );
}
