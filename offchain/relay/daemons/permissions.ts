// The least privilege the relay needs: which daemon port methods each relay kind and each always-on part (monitors,
// the /channels page) calls, and from offchain/lightning's per-action declarations, which lnd, tapd and loopd RPC
// URIs those are. `lvdao macaroon bake` prints them; test/permissions.test.ts checks the tables against the code.
import type { RelayKind } from "../../actions/index.ts";
import * as L from "../../lightning/index.ts";
import type { LndPort, LoopPort, TapdPort } from "./ports.ts";

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

export interface PortCalls {
  lnd?: readonly Methods<LndPort>[];
  tapd?: readonly Methods<TapdPort>[];
  loop?: readonly Methods<LoopPort>[];
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
  "pledge-watcher": { tapd: ["blockHeight", "newLvAddress", "receipts", "send"] },
  "status /channels": { lnd: ["listChannels", "channelPolicies", "scanChannels"] },
};

export interface Permissions {
  lnd: string[];
  tapd: string[];
  loopd: string[];
}

/** The sorted, distinct RPC URIs the relay calls when it carries out `kinds`, with its monitors. */
export function relayPermissions(kinds: readonly RelayKind[]): Permissions {
  const lnd = new Set<string>();
  const tapd = new Set<string>();
  const loopd = new Set<string>();
  for (const calls of [...kinds.map((kind) => KIND_CALLS[kind]), ...Object.values(ALWAYS_CALLS)]) {
    for (const method of calls.lnd ?? []) for (const uri of LND_METHOD_RPC[method]) lnd.add(uri);
    for (const method of calls.tapd ?? []) for (const uri of TAPD_METHOD_RPC[method]) tapd.add(uri);
    for (const method of calls.loop ?? []) for (const uri of LOOP_METHOD_RPC[method]) loopd.add(uri);
  }
  return { lnd: [...lnd].sort(), tapd: [...tapd].sort(), loopd: [...loopd].sort() };
}
