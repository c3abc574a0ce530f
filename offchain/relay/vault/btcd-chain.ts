// The vault's coins and history through btcd's JSON-RPC. btcd has no descriptor wallet and no scantxoutset, so the
// relay asks by address: `searchrawtransactions` (btcd's address index, `addrindex=1`; mempool included) lists every
// transaction paying or spending each vault address, and `gettxout` says whether one outpoint is still unspent.
// Amounts come from the raw transactions (integer sats), never from btcd's BTC floats.
import { address as bitcoinAddress, Transaction } from "bitcoinjs-lib";
import type { BtcdRpc } from "../../lightning/connection/btcd.ts";
import { BtcdRpcError } from "../../lightning/connection/btcd.ts";
import { bitcoinNetwork, type Network } from "../../vault/index.ts";
import { outpointString, type Outpoint } from "../daemons/ports.ts";
import { RetryableFailure } from "../failure.ts";
import type { VaultCoin, VaultTx, VaultTxOutput } from "./port.ts";

/** btcd's "No information available about address" (RPC_INVALID_ADDRESS_OR_KEY): an address never used. */
const NO_INFORMATION = -5;
const PAGE = 1_000;

interface SearchedTx {
  txid: string;
  hex: string;
  confirmations?: number;
}

export type AddressBook = Map<string, { index: number; branch: 0 | 1 }>;

async function rpc<T>(btcd: BtcdRpc, method: string, params: unknown[]): Promise<T> {
  try {
    return await btcd.call<T>(method, params);
  } catch (error) {
    if (error instanceof BtcdRpcError && error.code === null)
      throw new RetryableFailure(`btcd unreachable: ${error.message}`, { cause: error });
    throw error;
  }
}

async function transactionsOf(btcd: BtcdRpc, address: string): Promise<SearchedTx[]> {
  const found: SearchedTx[] = [];
  for (let skip = 0; ; skip += PAGE) {
    let page: SearchedTx[];
    try {
      page = await rpc<SearchedTx[]>(btcd, "searchrawtransactions", [address, 1, skip, PAGE, 0, false]);
    } catch (error) {
      if (error instanceof BtcdRpcError && error.code === NO_INFORMATION) return found;
      throw error;
    }
    found.push(...page);
    if (page.length < PAGE) return found;
  }
}

/** Every transaction paying or spending an address of `book`, oldest first, and the coins still unspent. */
export async function scanVault(
  btcd: BtcdRpc,
  book: AddressBook,
  network: Network,
): Promise<{ history: VaultTx[]; coins: VaultCoin[] }> {
  const byTxid = new Map<string, SearchedTx>();
  for (const address of book.keys()) for (const tx of await transactionsOf(btcd, address)) byTxid.set(tx.txid, tx);
  const decoded = [...byTxid.values()].map((found) => ({
    txid: found.txid,
    confirmations: found.confirmations ?? 0,
    tx: Transaction.fromHex(found.hex),
  }));
  const paid = new Map<string, VaultCoin>();
  const history: VaultTx[] = decoded.map(({ txid, confirmations, tx }) => {
    const outputs = outputsOf(tx, book, network);
    for (const out of outputs)
      if (out.vault)
        paid.set(`${txid}:${out.vout}`, { txid, vout: out.vout, sats: out.sats, ...out.vault, confirmations });
    return { txid, confirmations, spends: [], outputs };
  });
  const spent = new Set<string>();
  decoded.forEach(({ tx }, i) => {
    for (const input of tx.ins) {
      const prevout = prevoutOf(input);
      const coin = paid.get(outpointString(prevout));
      if (!coin) continue;
      spent.add(outpointString(prevout));
      history[i]!.spends.push({ ...prevout, sats: coin.sats });
    }
  });
  // Oldest first: most confirmations first, the mempool last; a spend never precedes what it spends.
  history.sort((a, b) => b.confirmations - a.confirmations || a.txid.localeCompare(b.txid));
  const coins = [...paid.entries()].filter(([key]) => !spent.has(key)).map(([, coin]) => coin);
  return { history, coins };
}

function outputsOf(tx: Transaction, book: AddressBook, network: Network): VaultTxOutput[] {
  const net = bitcoinNetwork(network);
  return tx.outs.map((out, vout) => {
    let address: string | undefined;
    try {
      address = bitcoinAddress.fromOutputScript(out.script, net);
    } catch {
      address = undefined;
    }
    return { vout, sats: out.value, address, vault: address === undefined ? undefined : book.get(address) };
  });
}

const prevoutOf = (input: { hash: Uint8Array; index: number }): Outpoint => ({
  txid: Buffer.from(input.hash).reverse().toString("hex"),
  vout: input.index,
});

/** One transaction by txid (btcd's txindex), its outputs placed in the vault; undefined when btcd has none. */
export async function transactionOf(
  btcd: BtcdRpc,
  txid: string,
  book: AddressBook,
  network: Network,
): Promise<{ txid: string; inputs: string[]; outputs: VaultTxOutput[] } | undefined> {
  let hex: string;
  try {
    hex = await rpc<string>(btcd, "getrawtransaction", [txid, 0]);
  } catch (error) {
    if (error instanceof BtcdRpcError && error.code === NO_INFORMATION) return undefined;
    throw error;
  }
  const tx = Transaction.fromHex(hex);
  return { txid, inputs: tx.ins.map((i) => outpointString(prevoutOf(i))), outputs: outputsOf(tx, book, network) };
}

/** True when btcd knows no unspent output at `outpoint` (spent in a block or the mempool). */
export async function outpointSpent(btcd: BtcdRpc, outpoint: Outpoint): Promise<boolean> {
  const out = await rpc<unknown>(btcd, "gettxout", [outpoint.txid, outpoint.vout, true]);
  return out === null;
}
