// tapd 0.7 messages for the simulated tapd's state (taprpc / mintrpc shapes, uint64 as decimal strings). Pure.
import type { Message } from "./grpc-server.ts";
import type { AssetOutput, MintBatch, SimTapd, Transfer } from "./tapd-node.ts";
import type { AssetGenesis, TapAddress } from "./tapd-universe.ts";

const reversed = (txid: string) => Buffer.from(txid, "hex").reverse();

export function genesisMessage(genesis: AssetGenesis): Message {
  return {
    genesis_point: genesis.genesisPoint,
    name: genesis.name,
    meta_hash: genesis.metaHash,
    asset_id: genesis.assetId,
    asset_type: genesis.type,
    output_index: genesis.outputIndex,
  };
}

export function assetMessage(tapd: SimTapd, output: AssetOutput): Message {
  const tx = tapd.chain.tx(output.anchorTxid);
  const block = tx?.blockHeight != null ? tapd.chain.blocks[tx.blockHeight] : undefined;
  return {
    version: "ASSET_VERSION_V0",
    asset_genesis: genesisMessage(output.genesis),
    amount: output.amount.toString(),
    lock_time: 0,
    relative_lock_time: 0,
    script_version: 0,
    script_key: output.scriptKey,
    script_key_is_local: true,
    asset_group: output.genesis.groupKey
      ? {
          raw_group_key: output.genesis.groupKey,
          tweaked_group_key: output.genesis.groupKey,
          asset_witness: Buffer.alloc(0),
          tapscript_root: Buffer.alloc(0),
        }
      : null,
    chain_anchor: {
      anchor_tx: Buffer.alloc(0),
      anchor_block_hash: block?.hash ?? "",
      anchor_outpoint: output.anchorOutpoint,
      internal_key: output.internalKey,
      merkle_root: Buffer.alloc(32),
      tapscript_sibling: Buffer.alloc(0),
      block_height: tx?.blockHeight ?? 0,
      block_timestamp: String(block?.time ?? 0),
    },
    prev_witnesses: [],
    is_spent: output.spent,
    lease_owner: Buffer.alloc(0),
    lease_expiry: "0",
    is_burn: false,
    script_key_declared_known: true,
    script_key_has_script_path: false,
    decimal_display: { decimal_display: output.genesis.decimalDisplay },
    script_key_type: "SCRIPT_KEY_BIP86",
  };
}

export function batchMessage(batch: MintBatch): Message {
  return {
    batch_key: batch.batchKey,
    batch_txid: batch.txid,
    state: batch.state,
    assets: batch.seedlings.map((seedling) => ({
      asset_version: "ASSET_VERSION_V0",
      asset_type: seedling.type,
      name: seedling.name,
      asset_meta: { data: seedling.metaData, type: "META_TYPE_OPAQUE", meta_hash: Buffer.alloc(0) },
      amount: seedling.amount.toString(),
      new_grouped_asset: seedling.newGroupedAsset,
      group_key: seedling.groupKey ?? Buffer.alloc(0),
      group_anchor: "",
    })),
    created_at: String(batch.createdAt),
    height_hint: batch.heightHint,
    batch_psbt: Buffer.alloc(0),
  };
}

export function addressMessage(address: TapAddress): Message {
  return {
    encoded: address.encoded,
    asset_id: address.assetId ?? Buffer.alloc(0),
    asset_type: address.assetType,
    amount: address.amount.toString(),
    group_key: address.groupKey ?? Buffer.alloc(0),
    script_key: address.scriptKey,
    internal_key: address.internalKey,
    tapscript_sibling: Buffer.alloc(0),
    taproot_output_key: address.taprootOutputKey,
    proof_courier_addr: address.proofCourierAddr,
    asset_version: "ASSET_VERSION_V0",
    address_version: address.version,
  };
}

export function transferMessage(tapd: SimTapd, transfer: Transfer): Message {
  const tx = tapd.chain.tx(transfer.anchorTxid);
  const confirmed = tx?.blockHeight != null;
  return {
    transfer_timestamp: String(transfer.timestamp),
    anchor_tx_hash: reversed(transfer.anchorTxid),
    anchor_tx_height_hint: transfer.heightHint,
    anchor_tx_chain_fees: String(transfer.chainFees),
    inputs: transfer.inputs.map((input) => ({
      anchor_point: input.anchorPoint,
      asset_id: input.assetId,
      script_key: input.scriptKey,
      amount: input.amount.toString(),
    })),
    outputs: transfer.outputs.map((output) => ({
      anchor: {
        outpoint: output.anchorOutpoint,
        value: String(output.anchorValue),
        internal_key: output.internalKey,
        taproot_asset_root: Buffer.alloc(32),
        merkle_root: Buffer.alloc(32),
        tapscript_sibling: Buffer.alloc(0),
        num_passive_assets: 0,
        pk_script: Buffer.concat([Buffer.from([0x51, 0x20]), output.internalKey.subarray(1)]),
      },
      script_key: output.scriptKey,
      script_key_is_local: output.local,
      amount: output.amount.toString(),
      new_proof_blob: Buffer.alloc(0),
      split_commit_root_hash: Buffer.alloc(0),
      output_type: output.split ? "OUTPUT_TYPE_SPLIT_ROOT" : "OUTPUT_TYPE_SIMPLE",
      asset_version: "ASSET_VERSION_V0",
      lock_time: "0",
      relative_lock_time: "0",
      proof_delivery_status: output.local
        ? "PROOF_DELIVERY_STATUS_NOT_APPLICABLE"
        : confirmed
          ? "PROOF_DELIVERY_STATUS_COMPLETE"
          : "PROOF_DELIVERY_STATUS_PENDING",
      asset_id: output.assetId,
      proof_courier_addr: output.tapAddr ? tapd.universe.courierAddr : "",
      tap_addr: output.tapAddr,
    })),
    anchor_tx_block_hash: confirmed ? { hash: reversed(tx.blockHash ?? ""), hash_str: tx.blockHash ?? "" } : null,
    anchor_tx_block_height: tx?.blockHeight ?? 0,
    label: transfer.label,
    anchor_tx: Buffer.alloc(0),
  };
}
