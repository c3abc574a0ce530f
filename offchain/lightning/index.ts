// The relay's Lightning client layer: one function per daemon action, daemon clients passed in, inputs and answers
// checked, failures as LightningError (code, reason, retryable). Layout as in alexbosworth/lightning:
//   connection/  connecting to lnd (the `lightning` package), tapd (gRPC) and loopd (REST); nodes.json
//   lnd/ tapd/ loop/  one action per file, each naming the macaroon permission it needs
//   requests/    pure request builders (policy merge, loopd bodies and fee caps)
//   responses/   pure response mappers (daemon answers -> the types below)
export * from "./errors.ts";
export { type Outpoint, outpointString } from "./validation.ts";

export { connectLnd, type AuthenticatedLnd, type LndConnectionOptions } from "./connection/lnd.ts";
export { connectTapd, type TapdClient, type TapdConnectionOptions } from "./connection/tapd.ts";
export { connectLoop, type LoopClient, type LoopConnectionOptions } from "./connection/loop.ts";
export {
  parseLightningStack,
  readLightningStack,
  type LightningStack,
  type StackNode,
} from "./connection/stack-file.ts";

export { getNodeInfo } from "./lnd/get-node-info.ts";
export { connectPeer } from "./lnd/connect-peer.ts";
export { listPeers } from "./lnd/list-peers.ts";
export { openChannel, type OpenChannelArgs } from "./lnd/open-channel.ts";
export {
  openChannelForPsbt,
  type OpenChannelForPsbtArgs,
  type PendingChannel,
} from "./lnd/open-channel-for-psbt.ts";
export { fundPendingChannel } from "./lnd/fund-pending-channel.ts";
export { cancelPendingChannel } from "./lnd/cancel-pending-channel.ts";
export { listChannels } from "./lnd/list-channels.ts";
export { findChannel, findChannelsByMemo } from "./lnd/find-channels-by-memo.ts";
export { closeChannel, type CloseChannelArgs, type CloseChannelResult } from "./lnd/close-channel.ts";
export { getChannelPolicy } from "./lnd/get-channel-policy.ts";
export {
  updateChannelPolicy,
  type PolicyFailure,
  type UpdateChannelPolicyResult,
} from "./lnd/update-channel-policy.ts";
export { getFeeRates } from "./lnd/get-fee-rates.ts";
export { scanLiquidity } from "./lnd/scan-liquidity.ts";
export { getForwards } from "./lnd/get-forwards.ts";
export { getChainBalance } from "./lnd/get-chain-balance.ts";
export { getChannelBalance } from "./lnd/get-channel-balance.ts";
export { createAddress } from "./lnd/create-address.ts";
export { sendCoins } from "./lnd/send-coins.ts";
export { createInvoice } from "./lnd/create-invoice.ts";
export { lookupInvoice } from "./lnd/lookup-invoice.ts";
export { payInvoice } from "./lnd/pay-invoice.ts";
export { createHodlInvoice } from "./lnd/create-hodl-invoice.ts";
export { settleHodlInvoice } from "./lnd/settle-hodl-invoice.ts";
export { cancelHodlInvoice } from "./lnd/cancel-hodl-invoice.ts";
export { getPayment, type PaymentState } from "./lnd/get-payment.ts";
export { addTower } from "./lnd/add-tower.ts";
export { removeTower } from "./lnd/remove-tower.ts";
export { listTowers } from "./lnd/list-towers.ts";
export { getTowerServerInfo } from "./lnd/get-tower-server-info.ts";

export { getTapdInfo } from "./tapd/get-tapd-info.ts";
export { mintGroupedAsset, type MintGroupedAssetArgs } from "./tapd/mint-asset.ts";
export { listAssets } from "./tapd/list-assets.ts";
export { listAssetBalances } from "./tapd/list-asset-balances.ts";
export { listAssetGroups } from "./tapd/list-asset-groups.ts";
export { newAssetAddress } from "./tapd/new-asset-address.ts";
export { sendAsset } from "./tapd/send-asset.ts";
export { listTransfers } from "./tapd/list-transfers.ts";
export { listAddressReceives } from "./tapd/list-address-receives.ts";
export { decodeAssetAddress } from "./tapd/decode-asset-address.ts";

export { getLoopOutTerms } from "./loop/get-loop-out-terms.ts";
export { getLoopInTerms } from "./loop/get-loop-in-terms.ts";
export { getLoopOutQuote } from "./loop/get-loop-out-quote.ts";
export { getLoopInQuote } from "./loop/get-loop-in-quote.ts";
export { loopOut, type LoopOutArgs } from "./loop/loop-out.ts";
export { loopIn } from "./loop/loop-in.ts";
export { listSwaps } from "./loop/list-swaps.ts";
export { getSwap } from "./loop/get-swap.ts";
export { getLiquidityParams } from "./loop/get-liquidity-params.ts";
export { setLiquidityParams } from "./loop/set-liquidity-params.ts";

export {
  canonicalPolicySet,
  channelMemo,
  mergePolicy,
  policyMatches,
  type AppliedPolicy,
  type DesiredPolicy,
} from "./requests/policy.ts";
export { decodePaymentRequest, type PaymentRequest } from "./requests/payment-request.ts";
export { loopInFeeCaps, loopOutFeeCaps, type LoopInFeeCaps, type LoopOutFeeCaps } from "./requests/loop.ts";
export type {
  ChannelFeeRate,
  ChannelRecord,
  ChannelState,
  LiquidityChannel,
  LiquidityScan,
  LocalPolicy,
} from "./responses/lnd-channels.ts";
export { totalFeesMsat } from "./responses/lnd-node.ts";
export type {
  ChainBalance,
  ChannelBalance,
  CreatedInvoice,
  Forward,
  InvoiceStatus,
  NodeInfo,
  PaymentResult,
  PeerInfo,
  Tower,
  TowerServer,
} from "./responses/lnd-node.ts";
export type {
  AssetAddress,
  MintedBatch,
  ReceiveStatus,
  TapAsset,
  TapBalance,
  TapdInfo,
  TapGroup,
  TapReceive,
  TapTransfer,
} from "./responses/tapd.ts";
export type {
  LiquidityParams,
  LiquidityRule,
  LoopInQuote,
  LoopOutQuote,
  Swap,
  SwapStarted,
  SwapState,
  SwapTerms,
} from "./responses/loop.ts";

// The RPC URIs each action calls, for least-privilege macaroons (offchain/relay/daemons/permissions.ts).
export { getNodeInfoRpc } from "./lnd/get-node-info.ts";
export { listPeersRpc } from "./lnd/list-peers.ts";
export { connectPeerRpc } from "./lnd/connect-peer.ts";
export { openChannelRpc } from "./lnd/open-channel.ts";
export { listChannelsRpc } from "./lnd/list-channels.ts";
export { findChannelsRpc } from "./lnd/find-channels-by-memo.ts";
export { closeChannelRpc } from "./lnd/close-channel.ts";
export { getChannelPolicyRpc } from "./lnd/get-channel-policy.ts";
export { updateChannelPolicyRpc } from "./lnd/update-channel-policy.ts";
export { getFeeRatesRpc } from "./lnd/get-fee-rates.ts";
export { scanLiquidityRpc } from "./lnd/scan-liquidity.ts";
export { getForwardsRpc } from "./lnd/get-forwards.ts";
export { getChainBalanceRpc } from "./lnd/get-chain-balance.ts";
export { createAddressRpc } from "./lnd/create-address.ts";
export { listTowersRpc } from "./lnd/list-towers.ts";
export { addTowerRpc } from "./lnd/add-tower.ts";
export { removeTowerRpc } from "./lnd/remove-tower.ts";
export { getChannelBalanceRpc } from "./lnd/get-channel-balance.ts";
export { sendCoinsRpc } from "./lnd/send-coins.ts";
export { getTowerServerInfoRpc } from "./lnd/get-tower-server-info.ts";
export { openChannelForPsbtRpc } from "./lnd/open-channel-for-psbt.ts";
export { fundPendingChannelRpc } from "./lnd/fund-pending-channel.ts";
export { cancelPendingChannelRpc } from "./lnd/cancel-pending-channel.ts";
export { createInvoiceRpc } from "./lnd/create-invoice.ts";
export { lookupInvoiceRpc } from "./lnd/lookup-invoice.ts";
export { payInvoiceRpc } from "./lnd/pay-invoice.ts";
export { createHodlInvoiceRpc } from "./lnd/create-hodl-invoice.ts";
export { settleHodlInvoiceRpc } from "./lnd/settle-hodl-invoice.ts";
export { cancelHodlInvoiceRpc } from "./lnd/cancel-hodl-invoice.ts";
export { getPaymentRpc } from "./lnd/get-payment.ts";
export { listAssetGroupsRpc } from "./tapd/list-asset-groups.ts";
export { decodeAssetAddressRpc } from "./tapd/decode-asset-address.ts";
export { getTapdInfoRpc } from "./tapd/get-tapd-info.ts";
export { listAddressReceivesRpc } from "./tapd/list-address-receives.ts";
export { listAssetBalancesRpc } from "./tapd/list-asset-balances.ts";
export { listAssetsRpc } from "./tapd/list-assets.ts";
export { listTransfersRpc } from "./tapd/list-transfers.ts";
export { newAssetAddressRpc } from "./tapd/new-asset-address.ts";
export { sendAssetRpc } from "./tapd/send-asset.ts";
export { mintGroupedAssetRpc } from "./tapd/mint-asset.ts";
export { getLoopOutTermsRpc } from "./loop/get-loop-out-terms.ts";
export { getLoopInTermsRpc } from "./loop/get-loop-in-terms.ts";
export { getLoopOutQuoteRpc } from "./loop/get-loop-out-quote.ts";
export { getLoopInQuoteRpc } from "./loop/get-loop-in-quote.ts";
export { loopOutRpc } from "./loop/loop-out.ts";
export { loopInRpc } from "./loop/loop-in.ts";
export { listSwapsRpc } from "./loop/list-swaps.ts";
export { getSwapRpc } from "./loop/get-swap.ts";
export { getLiquidityParamsRpc } from "./loop/get-liquidity-params.ts";
export { setLiquidityParamsRpc } from "./loop/set-liquidity-params.ts";
