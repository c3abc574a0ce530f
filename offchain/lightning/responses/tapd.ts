// Pure mappers for tapd 0.7 answers (proto field names, uint64 as decimal strings, bytes as Buffers). Asset amounts
// are bigint: tapd's units are uint64.
import type { Message } from "../connection/grpc-call.ts";
import { AnswerReader, type Outpoint } from "../validation.ts";

export interface TapdInfo {
  version: string;
  lndVersion: string;
  network: string;
  lndPubkey: string;
  blockHeight: number;
  isSyncedToChain: boolean;
}

export interface TapAsset {
  assetId: string;
  name: string;
  amount: bigint;
  /** Tweaked group key (hex), or null for an ungrouped asset. */
  groupKey: string | null;
  anchor: Outpoint;
  anchorBlockHeight: number;
  scriptKey: string;
  isSpent: boolean;
}

export interface TapBalance {
  /** Asset id (hex) when grouped by asset, group key (hex) when grouped by group. */
  key: string;
  name: string | null;
  balance: bigint;
}

export interface TapGroup {
  groupKey: string;
  assets: Array<{ assetId: string; name: string; amount: bigint }>;
}

export interface AssetAddress {
  address: string;
  assetId: string | null;
  groupKey: string | null;
  amount: bigint;
  scriptKey: string;
  internalKey: string;
  proofCourier: string;
}

export interface TapTransfer {
  anchorTxid: string;
  label: string;
  at: Date;
  chainFeesSats: number;
  confirmationHeight: number;
  inputs: Array<{ anchor: Outpoint; assetId: string; amount: bigint }>;
  outputs: Array<{
    anchor: Outpoint;
    assetId: string;
    amount: bigint;
    isLocal: boolean;
    tapAddress: string;
    proofDelivery: string;
  }>;
}

export type ReceiveStatus = "detected" | "confirmed" | "proof_received" | "completed" | "unknown";

export interface TapReceive {
  address: string;
  assetId: string | null;
  groupKey: string | null;
  /** The address's amount (a V2 address without one reports 0). */
  amount: bigint;
  status: ReceiveStatus;
  anchor: Outpoint;
  confirmationHeight: number;
  at: Date;
}

export interface MintedBatch {
  batchKey: string;
  batchTxid: string;
  state: string;
}

const read = (action: string) => new AnswerReader("tapd", action);
const hexOrNull = (value: unknown) => (Buffer.isBuffer(value) && value.length > 0 ? value.toString("hex") : null);
const hex = (r: AnswerReader, value: unknown, what: string) => r.bytes(value, what).toString("hex");
// tapd's AssetTransfer.anchor_tx_hash is the hash in internal byte order.
const txidFromHash = (r: AnswerReader, value: unknown, what: string) =>
  Buffer.from(r.bytes(value, what)).reverse().toString("hex");

export function tapdInfoFromTapd(answer: Message, action = "getTapdInfo"): TapdInfo {
  const r = read(action);
  r.object(answer, "info");
  return {
    version: r.string(answer.version, "version"),
    lndVersion: r.string(answer.lnd_version, "lnd_version"),
    network: r.string(answer.network, "network"),
    lndPubkey: r.pubkey(answer.lnd_identity_pubkey, "lnd_identity_pubkey"),
    blockHeight: r.count(answer.block_height, "block_height"),
    isSyncedToChain: r.boolean(answer.sync_to_chain, "sync_to_chain"),
  };
}

export function assetsFromTapd(answer: Message, action = "listAssets"): TapAsset[] {
  const r = read(action);
  return r.array(answer?.assets, "assets").map((value, index) => {
    const a = r.object(value, `assets[${index}]`);
    const genesis = r.object(a.asset_genesis, "asset_genesis");
    const anchor = r.object(a.chain_anchor, "chain_anchor");
    const group = a.asset_group ? r.object(a.asset_group, "asset_group") : null;
    return {
      assetId: hex(r, genesis.asset_id, "asset_id"),
      name: r.string(genesis.name, "name"),
      amount: r.amount(a.amount, "amount"),
      groupKey: group ? hexOrNull(group.tweaked_group_key) : null,
      anchor: r.outpoint(anchor.anchor_outpoint, "anchor_outpoint"),
      anchorBlockHeight: r.count(anchor.block_height, "block_height"),
      scriptKey: hex(r, a.script_key, "script_key"),
      isSpent: r.boolean(a.is_spent, "is_spent"),
    };
  });
}

export function balancesFromTapd(answer: Message, by: "asset" | "group", action = "listAssetBalances"): TapBalance[] {
  const r = read(action);
  const map = r.object(
    by === "asset" ? answer?.asset_balances : answer?.asset_group_balances,
    by === "asset" ? "asset_balances" : "asset_group_balances",
  );
  return Object.entries(map)
    .map(([key, value]) => {
      const entry = r.object(value, `balance ${key}`);
      const genesis = by === "asset" ? r.object(entry.asset_genesis, "asset_genesis") : null;
      return {
        key,
        name: genesis ? r.string(genesis.name, "name") : null,
        balance: r.amount(entry.balance, "balance"),
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

export function groupsFromTapd(answer: Message, action = "listAssetGroups"): TapGroup[] {
  const r = read(action);
  const groups = r.object(answer?.groups, "groups");
  return Object.entries(groups).map(([groupKey, value]) => ({
    groupKey,
    assets: r.array(r.object(value, `group ${groupKey}`).assets, "assets").map((asset) => {
      const a = r.object(asset, "asset");
      return { assetId: hex(r, a.id, "id"), name: r.string(a.tag, "tag"), amount: r.amount(a.amount, "amount") };
    }),
  }));
}

export function addressFromTapd(answer: Message, action = "newAssetAddress"): AssetAddress {
  const r = read(action);
  r.object(answer, "address");
  const encoded = r.string(answer.encoded, "encoded");
  if (!/^tap(rt|tb)?1[02-9ac-hj-np-z]+$/.test(encoded)) r.fail("expected encoded to be a taproot assets address");
  return {
    address: encoded,
    assetId: hexOrNull(answer.asset_id),
    groupKey: hexOrNull(answer.group_key),
    amount: r.amount(answer.amount, "amount"),
    scriptKey: hex(r, answer.script_key, "script_key"),
    internalKey: hex(r, answer.internal_key, "internal_key"),
    proofCourier: r.string(answer.proof_courier_addr, "proof_courier_addr"),
  };
}

export function transferFromTapd(value: unknown, action = "listTransfers"): TapTransfer {
  const r = read(action);
  const t = r.object(value, "transfer");
  return {
    anchorTxid: txidFromHash(r, t.anchor_tx_hash, "anchor_tx_hash"),
    label: r.string(t.label, "label"),
    at: new Date(r.count(t.transfer_timestamp, "transfer_timestamp") * 1000),
    chainFeesSats: r.count(t.anchor_tx_chain_fees, "anchor_tx_chain_fees"),
    confirmationHeight: r.count(t.anchor_tx_block_height, "anchor_tx_block_height"),
    inputs: r.array(t.inputs, "inputs").map((input) => {
      const i = r.object(input, "input");
      return {
        anchor: r.outpoint(i.anchor_point, "anchor_point"),
        assetId: hex(r, i.asset_id, "asset_id"),
        amount: r.amount(i.amount, "amount"),
      };
    }),
    outputs: r.array(t.outputs, "outputs").map((output) => {
      const o = r.object(output, "output");
      const anchor = r.object(o.anchor, "anchor");
      return {
        anchor: r.outpoint(anchor.outpoint, "anchor.outpoint"),
        assetId: hex(r, o.asset_id, "asset_id"),
        amount: r.amount(o.amount, "amount"),
        isLocal: r.boolean(o.script_key_is_local, "script_key_is_local"),
        tapAddress: r.string(o.tap_addr, "tap_addr"),
        proofDelivery: r.string(o.proof_delivery_status, "proof_delivery_status"),
      };
    }),
  };
}

export const transfersFromTapd = (answer: Message, action = "listTransfers"): TapTransfer[] =>
  read(action)
    .array(answer?.transfers, "transfers")
    .map((transfer) => transferFromTapd(transfer, action));

const RECEIVE_STATUS: Record<string, ReceiveStatus> = {
  ADDR_EVENT_STATUS_TRANSACTION_DETECTED: "detected",
  ADDR_EVENT_STATUS_TRANSACTION_CONFIRMED: "confirmed",
  ADDR_EVENT_STATUS_PROOF_RECEIVED: "proof_received",
  ADDR_EVENT_STATUS_COMPLETED: "completed",
  ADDR_EVENT_STATUS_UNKNOWN: "unknown",
};

export function receivesFromTapd(answer: Message, action = "listAddressReceives"): TapReceive[] {
  const r = read(action);
  return r.array(answer?.events, "events").map((value, index) => {
    const e = r.object(value, `events[${index}]`);
    const address = addressFromTapd(r.object(e.addr, "addr"), action);
    const status = RECEIVE_STATUS[r.string(e.status, "status")] ?? r.fail(`unknown receive status ${String(e.status)}`);
    return {
      address: address.address,
      assetId: address.assetId,
      groupKey: address.groupKey,
      amount: address.amount,
      status,
      anchor: r.outpoint(e.outpoint, "outpoint"),
      confirmationHeight: r.count(e.confirmation_height, "confirmation_height"),
      at: new Date(r.count(e.creation_time_unix_seconds, "creation_time_unix_seconds") * 1000),
    };
  });
}

export function batchFromTapd(value: unknown, action = "mintAsset"): MintedBatch {
  const r = read(action);
  const b = r.object(value, "batch");
  return {
    batchKey: hex(r, b.batch_key, "batch_key"),
    batchTxid: r.string(b.batch_txid, "batch_txid"),
    state: r.string(b.state, "state"),
  };
}
