// The simulated lnd's on-chain wallet: balances, addresses, sends, coins, transactions and fee estimates, all kept
// in the shared SimChain under the node's wallet id.
import { status } from "@grpc/grpc-js";
import { DUST_LIMIT, type SimTx } from "./bitcoin-chain.ts";
import type { Message, MethodSpec } from "./grpc-server.ts";
import { chainAddressError } from "./keys.ts";
import { READ, WRITE, outPointMessage, type LndContext } from "./lnd-context.ts";
import { SimRpcError } from "./rpc-error.ts";

const num = (value: unknown) => Number(value ?? 0);

function addressKind(type: string): "p2wpkh" | "p2tr" {
  if (type === "WITNESS_PUBKEY_HASH" || type === "UNUSED_WITNESS_PUBKEY_HASH") return "p2wpkh";
  if (type === "TAPROOT_PUBKEY" || type === "UNUSED_TAPROOT_PUBKEY") return "p2tr";
  throw new SimRpcError(`lvdao simulator: ${type} (nested P2SH) addresses are not simulated`, status.UNIMPLEMENTED);
}

function transactionMessage(context: LndContext, tx: SimTx): Message {
  const { chain, node } = context;
  return {
    tx_hash: tx.txid,
    amount: chain.netAmount(node.wallet, tx).toString(),
    num_confirmations: chain.confirmations(tx.txid),
    block_hash: tx.blockHash ?? "",
    block_height: tx.blockHeight ?? 0,
    time_stamp: tx.seenAt.toString(),
    total_fees: (tx.payer === node.wallet ? tx.fee : 0).toString(),
    dest_addresses: tx.outputs.map((output) => output.address),
    output_details: tx.outputs.map((output, index) => ({
      output_type: "SCRIPT_TYPE_WITNESS_V1_TAPROOT",
      address: output.address,
      pk_script: "",
      output_index: index.toString(),
      amount: output.value.toString(),
      is_our_address: chain.ownerOf(output.address) === node.wallet,
    })),
    raw_tx_hex: "",
    label: tx.label,
    previous_outpoints: tx.inputs.map((outpoint) => ({ outpoint, is_our_output: tx.payer === node.wallet })),
  };
}

export function walletMethods(context: LndContext): Record<string, MethodSpec> {
  const { chain, node } = context;
  return {
    WalletBalance: {
      permissions: READ.onchain,
      unary: () => {
        const { confirmed, unconfirmed } = chain.balanceOf(node.wallet);
        return {
          total_balance: String(confirmed + unconfirmed),
          confirmed_balance: String(confirmed),
          unconfirmed_balance: String(unconfirmed),
          locked_balance: "0",
          reserved_balance_anchor_chan: "0",
          account_balance: {
            default: { confirmed_balance: String(confirmed), unconfirmed_balance: String(unconfirmed) },
          },
        };
      },
    },
    NewAddress: {
      permissions: WRITE.address,
      unary: (request) => ({
        address: chain.newWalletAddress(node.wallet, addressKind(String(request.type ?? "WITNESS_PUBKEY_HASH"))),
      }),
    },
    SendCoins: {
      permissions: WRITE.onchain,
      unary: (request) => {
        const address = String(request.addr ?? "");
        const problem = chainAddressError(address);
        if (problem) throw new SimRpcError(problem);
        const amount = num(request.amount);
        if (!request.send_all && amount <= 0) throw new SimRpcError("amount must be greater than 0");
        if (!request.send_all && amount < DUST_LIMIT) throw new SimRpcError("transaction output is dust");
        const tx = chain.send(node.wallet, [{ address, value: amount }], {
          feeRate: num(request.sat_per_vbyte) > 0 ? num(request.sat_per_vbyte) : undefined,
          label: String(request.label ?? ""),
          sendAll: !!request.send_all,
          minConfs: request.spend_unconfirmed ? 0 : num(request.min_confs) || 1,
        });
        return { txid: tx.txid };
      },
    },
    ListUnspent: {
      permissions: READ.onchain,
      unary: (request) => {
        const minConfs = num(request.min_confs);
        const maxConfs = num(request.max_confs) || Number.MAX_SAFE_INTEGER;
        const utxos = chain.utxosOf(node.wallet).filter((utxo) => {
          const confs = chain.confirmations(utxo.txid);
          return confs >= minConfs && confs <= maxConfs;
        });
        return {
          utxos: utxos.map((utxo) => ({
            address_type: utxo.address.startsWith("bcrt1p") ? "TAPROOT_PUBKEY" : "WITNESS_PUBKEY_HASH",
            address: utxo.address,
            amount_sat: utxo.value.toString(),
            pk_script: "",
            outpoint: outPointMessage(utxo.txid, utxo.vout),
            confirmations: chain.confirmations(utxo.txid).toString(),
          })),
        };
      },
    },
    GetTransactions: {
      permissions: READ.onchain,
      unary: (request) => {
        const start = num(request.start_height);
        const end = num(request.end_height);
        const txs = chain.transactionsOf(node.wallet).filter((tx) => {
          if (end === -1 || (start === 0 && end === 0)) return true;
          const height = tx.blockHeight;
          return height !== null && height >= start && height <= end;
        });
        return {
          transactions: txs.map((tx) => transactionMessage(context, tx)),
          last_index: String(txs.length),
          first_index: "0",
        };
      },
    },
    EstimateFee: {
      permissions: READ.onchain,
      unary: (request) => {
        const outputs = Object.keys((request.AddrToAmount as Message | undefined) ?? {}).length || 1;
        const rate = chain.defaultFeeRate;
        return {
          fee_sat: String(Math.ceil((11 + 58 + 43 * (outputs + 1)) * rate)),
          feerate_sat_per_byte: String(rate),
          sat_per_vbyte: String(rate),
        };
      },
    },
  };
}

/** walletrpc.WalletKit: only what `lightning` asks before making a taproot address. */
export function walletKitMethods(): Record<string, MethodSpec> {
  const account = (type: string, purpose: number) => ({
    name: "default",
    address_type: type,
    extended_public_key: "",
    master_key_fingerprint: Buffer.alloc(0),
    derivation_path: `m/${purpose}'/1'/0'`,
    external_key_count: 0,
    internal_key_count: 0,
    watch_only: false,
  });
  return {
    ListAccounts: {
      permissions: READ.onchain,
      unary: () => ({ accounts: [account("WITNESS_PUBKEY_HASH", 84), account("TAPROOT_PUBKEY", 86)] }),
    },
  };
}
