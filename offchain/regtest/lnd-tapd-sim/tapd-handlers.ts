// taprpc.TaprootAssets and mintrpc.Mint methods of the simulated tapd, mapping its state to tapd 0.7's messages.
import type { Message, MethodSpec } from "./grpc-server.ts";
import type { Permission } from "./macaroon.ts";
import { SimRpcError } from "./rpc-error.ts";
import type { SimTapd } from "./tapd-node.ts";
import type { TapAddress } from "./tapd-universe.ts";
import { addressMessage, assetMessage, batchMessage, genesisMessage, transferMessage } from "./tapd-views.ts";

export const TAPD_ENTITIES = [
  "addresses",
  "assets",
  "authmailbox",
  "daemon",
  "mint",
  "proofs",
  "rfq",
  "tapchannels",
  "universe",
];
const perm = (entity: string, action: string): Permission[] => [{ entity, action }];
const bytesOrNull = (value: unknown): Buffer | null => (Buffer.isBuffer(value) && value.length > 0 ? value : null);

export interface TapdContext {
  tapd: SimTapd;
  /** Every simulated tapd by name, so a send can deliver to its receiver. */
  peers: Map<string, SimTapd>;
  version: string;
  lndVersion: string;
}

const decodeOrFail = (tapd: SimTapd, encoded: string): TapAddress => {
  try {
    return tapd.universe.decode(encoded);
  } catch (error) {
    throw new SimRpcError((error as Error).message);
  }
};

export function taprootAssetsMethods(context: TapdContext): Record<string, MethodSpec> {
  const { tapd } = context;
  const unconfirmedTransfers = () => tapd.transfers.filter((t) => tapd.chain.confirmations(t.anchorTxid) === 0).length;
  return {
    GetInfo: {
      permissions: perm("daemon", "read"),
      unary: () => ({
        version: context.version,
        lnd_version: context.lndVersion,
        network: "regtest",
        lnd_identity_pubkey: tapd.lnd.pubkey,
        node_alias: tapd.lnd.alias,
        block_height: tapd.chain.height,
        block_hash: tapd.chain.tip.hash,
        sync_to_chain: true,
      }),
    },
    ListAssets: {
      permissions: perm("assets", "read"),
      unary: (request) => {
        const group = bytesOrNull(request.group_key);
        const assets = tapd.outputs.filter(
          (o) =>
            (request.include_spent || !o.spent) &&
            (tapd.isConfirmed(o) ||
              (request.include_unconfirmed_mints && tapd.batches.some((b) => b.txid === o.anchorTxid))) &&
            (!group || (o.genesis.groupKey?.equals(group) ?? false)),
        );
        const unconfirmedMints = tapd.outputs.filter(
          (o) => !tapd.isConfirmed(o) && tapd.batches.some((b) => b.txid === o.anchorTxid),
        ).length;
        return {
          assets: assets.map((o) => assetMessage(tapd, o)),
          unconfirmed_transfers: String(unconfirmedTransfers()),
          unconfirmed_mints: String(unconfirmedMints),
        };
      },
    },
    ListBalances: {
      permissions: perm("assets", "read"),
      unary: (request) => {
        if (!request.group_by) throw new SimRpcError("invalid group_by");
        const assetFilter = bytesOrNull(request.asset_filter);
        const groupFilter = bytesOrNull(request.group_key_filter);
        const byAsset: Message = {};
        const byGroup: Message = {};
        for (const output of tapd.spendable()) {
          if (assetFilter && !output.genesis.assetId.equals(assetFilter)) continue;
          if (groupFilter && !(output.genesis.groupKey?.equals(groupFilter) ?? false)) continue;
          const id = output.genesis.assetId.toString("hex");
          const entry = byAsset[id] ?? {
            asset_genesis: genesisMessage(output.genesis),
            balance: 0n,
            group_key: output.genesis.groupKey ?? Buffer.alloc(0),
          };
          entry.balance += output.amount;
          byAsset[id] = entry;
          if (output.genesis.groupKey) {
            const key = output.genesis.groupKey.toString("hex");
            const group = byGroup[key] ?? { group_key: output.genesis.groupKey, balance: 0n };
            group.balance += output.amount;
            byGroup[key] = group;
          }
        }
        const stringify = (map: Message) =>
          Object.fromEntries(
            Object.entries(map).map(([key, value]) => [key, { ...value, balance: value.balance.toString() }]),
          );
        const groupBy = request.group_by === "group_key" ? "group" : "asset";
        return {
          asset_balances: groupBy === "asset" ? stringify(byAsset) : {},
          asset_group_balances: groupBy === "group" ? stringify(byGroup) : {},
          unconfirmed_transfers: String(unconfirmedTransfers()),
        };
      },
    },
    ListGroups: {
      permissions: perm("assets", "read"),
      unary: () => {
        const groups: Message = {};
        for (const output of tapd.spendable()) {
          if (!output.genesis.groupKey) continue;
          const key = output.genesis.groupKey.toString("hex");
          groups[key] ??= { assets: [] };
          groups[key].assets.push({
            id: output.genesis.assetId,
            amount: output.amount.toString(),
            lock_time: 0,
            relative_lock_time: 0,
            tag: output.genesis.name,
            meta_hash: output.genesis.metaHash,
            type: output.genesis.type,
            version: "ASSET_VERSION_V0",
          });
        }
        return { groups };
      },
    },
    ListTransfers: {
      permissions: perm("assets", "read"),
      unary: (request) => {
        const txid = String(request.anchor_txid ?? "");
        const transfers = tapd.transfers.filter((t) => !txid || t.anchorTxid === txid);
        return { transfers: transfers.map((t) => transferMessage(tapd, t)) };
      },
    },
    NewAddr: {
      permissions: perm("addresses", "write"),
      unary: (request) => {
        const requested = String(request.address_version ?? "ADDR_VERSION_UNSPECIFIED");
        const groupKey = bytesOrNull(request.group_key);
        const version =
          requested === "ADDR_VERSION_UNSPECIFIED"
            ? groupKey
              ? "ADDR_VERSION_V2"
              : "ADDR_VERSION_V1"
            : (requested as TapAddress["version"]);
        const assetId = bytesOrNull(request.asset_id);
        if (assetId && groupKey) throw new SimRpcError("asset ID and group key cannot both be set");
        if (assetId && assetId.length !== 32) throw new SimRpcError("asset ID must be 32 bytes");
        return addressMessage(tapd.newAddress({ assetId, groupKey, amount: BigInt(request.amt ?? 0), version }));
      },
    },
    DecodeAddr: {
      permissions: perm("addresses", "read"),
      unary: (request) => addressMessage(decodeOrFail(tapd, String(request.addr ?? ""))),
    },
    QueryAddrs: {
      permissions: perm("addresses", "read"),
      unary: (request) => {
        const after = Number(request.created_after ?? 0);
        const before = Number(request.created_before ?? 0) || Number.MAX_SAFE_INTEGER;
        const mine = [...tapd.universe.addresses.values()].filter(
          (a) => a.owner === tapd.name && a.createdAt >= after && a.createdAt <= before,
        );
        const offset = Number(request.offset ?? 0);
        const limit = Number(request.limit ?? 0) || mine.length;
        return { addrs: mine.slice(offset, offset + limit).map(addressMessage) };
      },
    },
    SendAsset: {
      permissions: perm("assets", "write"),
      unary: (request) => {
        const targets = [
          ...((request.tap_addrs as string[] | undefined) ?? []).map((encoded) => {
            const address = decodeOrFail(tapd, encoded);
            return { address, amount: address.amount };
          }),
          ...((request.addresses_with_amounts as Message[] | undefined) ?? []).map((entry) => {
            const address = decodeOrFail(tapd, String(entry.tap_addr ?? ""));
            const amount = BigInt(entry.amount ?? 0);
            if (address.amount > 0n && amount !== 0n && amount !== address.amount)
              throw new SimRpcError("amount must match the address amount for V0/V1 addresses");
            return { address, amount: address.amount > 0n ? address.amount : amount };
          }),
        ];
        const transfer = tapd.send(targets, Number(request.fee_rate ?? 0), String(request.label ?? ""), context.peers);
        return { transfer: transferMessage(tapd, transfer) };
      },
    },
    AddrReceives: {
      permissions: perm("addresses", "read"),
      unary: (request) => {
        const filterAddr = String(request.filter_addr ?? "");
        const filterStatus = String(request.filter_status ?? "ADDR_EVENT_STATUS_UNKNOWN");
        const start = Number(request.start_timestamp ?? 0);
        const end = Number(request.end_timestamp ?? 0) || Number.MAX_SAFE_INTEGER;
        const events = tapd.receives
          .filter(
            (event) =>
              (!filterAddr || event.address.encoded === filterAddr) &&
              event.createdAt >= start &&
              event.createdAt <= end,
          )
          .map((event) => ({ event, ...tapd.receiveStatus(event) }))
          .filter(({ status }) => filterStatus === "ADDR_EVENT_STATUS_UNKNOWN" || status === filterStatus);
        return {
          events: events.map(({ event, status, confirmationHeight }) => ({
            creation_time_unix_seconds: String(event.createdAt),
            addr: addressMessage(event.address),
            status,
            outpoint: event.outpoint,
            utxo_amt_sat: String(event.utxoAmtSat),
            taproot_sibling: Buffer.alloc(0),
            confirmation_height: confirmationHeight,
            has_proof: confirmationHeight > 0,
          })),
        };
      },
    },
  };
}

export function mintMethods(context: TapdContext): Record<string, MethodSpec> {
  const { tapd } = context;
  return {
    MintAsset: {
      permissions: perm("mint", "write"),
      unary: (request) => {
        const asset: Message | null = request.asset ?? null;
        if (!asset) throw new SimRpcError("asset cannot be nil");
        const batch = tapd.mint(
          {
            name: String(asset.name ?? ""),
            amount: BigInt(asset.amount ?? 0),
            type: asset.asset_type === "COLLECTIBLE" ? "COLLECTIBLE" : "NORMAL",
            metaData: Buffer.isBuffer(asset.asset_meta?.data) ? asset.asset_meta.data : Buffer.alloc(0),
            newGroupedAsset: !!asset.new_grouped_asset,
            groupKey: bytesOrNull(asset.group_key),
            decimalDisplay: Number(asset.decimal_display ?? 0),
          },
          !!asset.grouped_asset,
        );
        return { pending_batch: batchMessage(batch) };
      },
    },
    FinalizeBatch: {
      permissions: perm("mint", "write"),
      unary: (request) => ({ batch: batchMessage(tapd.finalize(Number(request.fee_rate ?? 0))) }),
    },
    CancelBatch: {
      permissions: perm("mint", "write"),
      unary: () => {
        const batch = tapd.pendingBatch();
        if (!batch) throw new SimRpcError("no pending batch");
        tapd.batches.splice(tapd.batches.indexOf(batch), 1);
        return { batch_key: batch.batchKey };
      },
    },
    ListBatches: {
      permissions: perm("mint", "read"),
      unary: () => ({ batches: tapd.batches.map((batch) => ({ batch: batchMessage(batch), unsealed_assets: [] })) }),
    },
  };
}
