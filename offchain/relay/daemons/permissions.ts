// The least privilege the relay needs: which daemon port methods each relay kind and each always-on part (monitors,
// the /channels page) calls, and from offchain/lightning's per-action declarations, which lnd, tapd and loopd RPC
// URIs those are. `lvdao macaroon bake` prints them; test/permissions.test.ts checks the tables against the code.
import type { RelayKind } from "../../actions/index.ts";
import * as L from "../../lightning/index.ts";
import type { DeskLndPort, DeskTapdPort, LndPort, LoopPort, TapdPort } from "./ports.ts";

type Methods<P> = Exclude<keyof P, "close">;

const LND_METHOD_RPC: Record<Methods<LndPort>, readonly string[]> = {
  connectPeer: L.connectPeerRpc,
  openChannel: L.openChannelRpc,
  listChannels: L.listChannelsRpc,
  closeChannel: L.closeChannelRpc,
  applyPolicy: L.updateChannelPolicyRpc,
  channelPolicies: [...L.getNodeInfoRpc, ...L.getFeeRatesRpc, ...L.getChannelPolicyRpc],
  listTowers: L.listTowersRpc,
  addTower: L.addTowerRpc,
  removeTower: L.removeTowerRpc,
  scanChannels: L.scanLiquidityRpc,
  chainBalanceSats: L.getChainBalanceRpc,
  forwards: L.getForwardsRpc,
  newAddress: L.createAddressRpc,
  openChannelForPsbt: L.openChannelForPsbtRpc,
  fundPendingChannel: L.fundPendingChannelRpc,
  cancelPendingChannel: L.cancelPendingChannelRpc,
};

const TAPD_METHOD_RPC: Record<Methods<TapdPort>, readonly string[]> = {
  newLvAddress: L.newAssetAddressRpc,
  send: L.sendAssetRpc,
  listTransfers: L.listTransfersRpc,
  mint: L.mintGroupedAssetRpc,
  assets: L.listAssetsRpc,
  lvBalance: L.listAssetBalancesRpc,
  receipts: L.listAddressReceivesRpc,
  blockHeight: L.getTapdInfoRpc,
};

const LOOP_METHOD_RPC: Record<Methods<LoopPort>, readonly string[]> = {
  loopOut: L.loopOutRpc,
  loopIn: L.loopInRpc,
  listSwaps: L.listSwapsRpc,
  terms: [...L.getLoopOutTermsRpc, ...L.getLoopInTermsRpc],
  quoteFeeSats: [...L.getLoopOutQuoteRpc, ...L.getLoopInQuoteRpc],
};

/** The desk's own lnd calls (its lnd is the relay's, seen through DeskLndPort). */
const DESK_LND_METHOD_RPC: Record<Methods<DeskLndPort>, readonly string[]> = {
  createHoldInvoice: L.createHodlInvoiceRpc,
  holdInvoice: L.lookupInvoiceRpc,
  settleHoldInvoice: L.settleHodlInvoiceRpc,
  cancelHoldInvoice: L.cancelHodlInvoiceRpc,
  pay: L.payInvoiceRpc,
  payment: L.getPaymentRpc,
};

const DESK_TAPD_METHOD_RPC: Record<Exclude<Methods<DeskTapdPort>, Methods<TapdPort>>, readonly string[]> = {
  decodeAddress: L.decodeAssetAddressRpc,
};

export interface PortCalls {
  lnd?: readonly Methods<LndPort>[];
  tapd?: readonly Methods<TapdPort>[];
  loop?: readonly Methods<LoopPort>[];
  deskLnd?: readonly Methods<DeskLndPort>[];
  deskTapd?: readonly (keyof typeof DESK_TAPD_METHOD_RPC)[];
}

/** What each relay kind's handler (executor/kinds/) calls. rebalance-policy's swaps are the liquidity monitor's. */
export const KIND_CALLS: Record<RelayKind, PortCalls> = {
  "channel-open": { lnd: ["listChannels", "connectPeer", "openChannel", "applyPolicy"] },
  "channel-close": { lnd: ["listChannels", "closeChannel"] },
  "fee-policy": { lnd: ["applyPolicy"] },
  "rebalance-policy": {
    lnd: ["scanChannels", "newAddress"],
    loop: ["listSwaps", "loopOut", "loopIn", "terms", "quoteFeeSats"],
  },
  "loop-out": { lnd: ["listChannels"], loop: ["listSwaps", "loopOut"] },
  "loop-in": { lnd: ["listChannels"], loop: ["listSwaps", "loopIn"] },
  "lv-transfer": { tapd: ["listTransfers", "newLvAddress", "send"] },
  watchtower: { lnd: ["listTowers", "addTower", "removeTower"] },
};

/** What the relay calls whatever kinds it carries out: its monitors and the /channels page. */
export const ALWAYS_CALLS: Record<string, PortCalls> = {
  "liquidity-reporter": { lnd: ["scanChannels", "chainBalanceSats"], tapd: ["lvBalance"] },
  "revenue-sweeper": { lnd: ["forwards"], tapd: ["assets", "mint", "listTransfers", "newLvAddress", "send"] },
  "pledge-watcher": { tapd: ["blockHeight", "newLvAddress", "receipts"] },
  "status /channels": { lnd: ["listChannels", "channelPolicies", "scanChannels"] },
};

/**
 * Parts a relay runs only when its config asks for them (`lvdao macaroon bake --with`): `vault`, a channel-open
 * funded from the DAO's vault through lnd's PSBT flow (vault/funding.ts); `desk`, the LV desk's hold invoices,
 * payouts and LV sends (market/); `price-oracle`, tapd's RFQ price oracle, which reads the reserve wallet's assets.
 */
export const OPTIONAL_CALLS = {
  vault: { lnd: ["connectPeer", "openChannelForPsbt", "fundPendingChannel", "cancelPendingChannel"] },
  desk: {
    deskLnd: ["createHoldInvoice", "holdInvoice", "settleHoldInvoice", "cancelHoldInvoice", "pay", "payment"],
    deskTapd: ["decodeAddress"],
    tapd: ["newLvAddress", "send", "listTransfers", "receipts"],
  },
  "price-oracle": { tapd: ["assets"] },
} as const satisfies Record<string, PortCalls>;
export type OptionalPart = keyof typeof OPTIONAL_CALLS;
export const OPTIONAL_PARTS = Object.keys(OPTIONAL_CALLS) as OptionalPart[];

export interface Permissions {
  lnd: string[];
  tapd: string[];
  loopd: string[];
}

/** The sorted, distinct RPC URIs the relay calls when it carries out `kinds`, with its monitors and `parts`. */
export function relayPermissions(kinds: readonly RelayKind[], parts: readonly OptionalPart[] = []): Permissions {
  const lnd = new Set<string>();
  const tapd = new Set<string>();
  const loopd = new Set<string>();
  const all: PortCalls[] = [
    ...kinds.map((kind) => KIND_CALLS[kind]),
    ...Object.values(ALWAYS_CALLS),
    ...parts.map((part) => OPTIONAL_CALLS[part]),
  ];
  for (const calls of all) {
    for (const method of calls.lnd ?? []) for (const uri of LND_METHOD_RPC[method]) lnd.add(uri);
    for (const method of calls.deskLnd ?? []) for (const uri of DESK_LND_METHOD_RPC[method]) lnd.add(uri);
    for (const method of calls.tapd ?? []) for (const uri of TAPD_METHOD_RPC[method]) tapd.add(uri);
    for (const method of calls.deskTapd ?? []) for (const uri of DESK_TAPD_METHOD_RPC[method]) tapd.add(uri);
    for (const method of calls.loop ?? []) for (const uri of LOOP_METHOD_RPC[method]) loopd.add(uri);
  }
  return { lnd: [...lnd].sort(), tapd: [...tapd].sort(), loopd: [...loopd].sort() };
}
