// The relay's one boundary to the daemons: what the executor, the monitors and `lvdao audit` need from lnd, loopd
// and tapd. The executor and the monitors see only these ports; bind.ts connects them once per relay to the
// configured daemons over offchain/lightning (one call per daemon action, inputs and answers checked, errors
// classified, each naming its macaroon permission), and tests bind them to fakes. Amounts are bigint sats, msat or
// asset units; txids are hex in display order.
import { outpointString, type Outpoint, type TapAsset } from "../../lightning/index.ts";
import type { AppliedPolicy, DesiredPolicy } from "../../lightning/requests/policy.ts";
import type { Wallet } from "../config.ts";

export type { AppliedPolicy, DesiredPolicy, Outpoint };
/** `<txid>:<vout>`, the one text form of an outpoint (offchain/lightning's). */
export { outpointString };

/** A channel in any state, as lnd lists it (opening, open, closing, closed). */
export interface ChannelInfo {
  state: "opening" | "open" | "closing" | "closed";
  outpoint: Outpoint;
  /** lnd's short channel id once confirmed ("123x4x0") */
  chanId: string | null;
  pubkey: string;
  capacitySats: bigint;
  active: boolean;
  /** this node opened it */
  isOpener: boolean;
  /** lnd keeps the opener's memo on opening, open and closing channels, not on closed ones */
  memo: string | undefined;
  closingTxid: string | undefined;
}

/** An open channel with its balances, from one ListChannels (the liquidity scan). */
export interface ScannedChannel {
  /** lnd's short channel id ("123x4x0"), as loopd's outgoing channel set takes it */
  chanId: string;
  outpoint: Outpoint;
  pubkey: string;
  localSats: bigint;
  remoteSats: bigint;
  active: boolean;
}

/** An open channel's own forwarding policy; `cltvDelta` null while lnd has no graph edge for it. */
export interface ChannelPolicy {
  channel: Outpoint;
  baseFeeMsat: bigint;
  feeRatePpm: number;
  cltvDelta: number | null;
  /** lnd's sign rule: a discount is negative */
  inboundBaseFeeMsat: number;
  inboundFeeRatePpm: number;
}

export interface Tower {
  pubkey: string;
  addresses: string[];
  active: boolean;
}

export interface PolicyResult {
  /** the full policy applied to each channel (offchain/lightning's AppliedPolicy) */
  applied: AppliedPolicy[];
  /** what each channel in `applied` had just before (same order), to put it back after a partial failure */
  replaced: AppliedPolicy[];
  failures: { channel: Outpoint; reason: string }[];
  /** the canonical text of `applied` (offchain/lightning's canonicalPolicySet), which fee-policy's evidence hashes */
  canonical: string;
}

export interface ForwardRecord {
  at: Date;
  incomingChannel: string;
  outgoingChannel: string;
  feeMsat: bigint;
}

export interface LndPort {
  connectPeer(request: { pubkey: string; host: string }): Promise<void>;
  openChannel(request: {
    pubkey: string;
    localSats: bigint;
    pushSats: bigint;
    private: boolean;
    memo: string;
    baseFeeMsat: bigint;
    feePpm: bigint;
  }): Promise<Outpoint>;
  /** Every channel in every state. */
  listChannels(): Promise<ChannelInfo[]>;
  closeChannel(request: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint }): Promise<{ closingTxid: string }>;
  /** Lays the policy over each target channel's current one (lnd resets omitted fields) and applies it. */
  applyPolicy(request: { target: Outpoint | "all"; policy: DesiredPolicy }): Promise<PolicyResult>;
  /** Each open channel's own forwarding policy. */
  channelPolicies(): Promise<ChannelPolicy[]>;
  listTowers(): Promise<Tower[]>;
  addTower(request: { pubkey: string; host: string }): Promise<void>;
  removeTower(pubkey: string): Promise<void>;
  /** Every open channel with its balances (one ListChannels). */
  scanChannels(): Promise<ScannedChannel[]>;
  /** The on-chain wallet's confirmed balance. */
  chainBalanceSats(): Promise<bigint>;
  /** Forwards in [after, before], oldest first (whole seconds, as lnd keeps them). */
  forwards(after: Date, before: Date): Promise<ForwardRecord[]>;
  /** A fresh on-chain address of the node's wallet (a Loop Out destination). */
  newAddress(): Promise<string>;
}

export interface Swap {
  swapHash: string;
  label: string;
  type: "out" | "in";
  /** loopd's state: INITIATED, PREIMAGE_REVEALED, HTLC_PUBLISHED, INVOICE_SETTLED, SUCCESS, FAILED */
  state: string;
  amountSats: bigint;
}

export const SWAP_FINAL_STATES: readonly string[] = ["SUCCESS", "FAILED"];

export interface SwapTerms {
  minSats: bigint;
  maxSats: bigint;
}

export interface LoopPort {
  /** `maxTotalFeeSats` caps all of the swap's fees; a quote over it is refused (409). */
  loopOut(request: {
    amountSats: bigint;
    dest: string;
    outgoingChanIds: string[];
    label: string;
    maxTotalFeeSats: bigint;
  }): Promise<{ swapHash: string }>;
  loopIn(request: {
    amountSats: bigint;
    lastHop: string | undefined;
    label: string;
    maxTotalFeeSats: bigint;
  }): Promise<{ swapHash: string }>;
  listSwaps(): Promise<Swap[]>;
  terms(type: "out" | "in"): Promise<SwapTerms>;
  /** The fees a swap of this amount would cost now, in total (swap fee plus on-chain fee). */
  quoteFeeSats(type: "out" | "in", amountSats: bigint): Promise<bigint>;
}

/** The LV asset: one grouped asset (by group key) or, before the group is known, one asset id. */
export interface LvAsset {
  groupKey: string | undefined;
  assetId: string | undefined;
}

/** An asset tapd holds, as offchain/lightning reads it (anchorBlockHeight is 0 while the anchor is unconfirmed). */
export type AssetView = Pick<TapAsset, "assetId" | "name" | "amount" | "groupKey" | "anchor" | "anchorBlockHeight">;

export interface AssetTransfer {
  label: string;
  anchorTxid: string;
  /** its anchor transaction has confirmed (until then tapd cannot spend the transfer's change) */
  confirmed: boolean;
}

export interface ReceiptView {
  address: string;
  status: "detected" | "confirmed" | "proof_received" | "completed" | "unknown";
  anchor: Outpoint;
  amount: bigint;
  confirmationHeight: number;
}

/** One tapd node, holding one or more LV wallets. */
export interface TapdPort {
  /** An address for `amount` units of the LV group (V2) or of one asset id; retryable while this tapd has not synced the asset. */
  newLvAddress(lv: LvAsset, amount: bigint): Promise<string>;
  send(request: { address: string; label: string }): Promise<{ anchorTxid: string }>;
  listTransfers(): Promise<AssetTransfer[]>;
  /** Mints `amount` units; into the group `groupKey` (reissue), or creating a new group without it. */
  mint(request: { name: string; amount: bigint; groupKey: string | undefined }): Promise<AssetView>;
  /** Every unspent asset this tapd holds, unconfirmed mints included. */
  assets(): Promise<AssetView[]>;
  /** This node's LV balance (every tranche of the group, or the one asset id). */
  lvBalance(lv: LvAsset): Promise<bigint>;
  receipts(address: string): Promise<ReceiptView[]>;
  /** The chain height this tapd has synced to. */
  blockHeight(): Promise<number>;
}

/** An invoice as the desk follows it: `held` once an HTLC for it waits on the preimage. */
export interface HoldInvoiceView {
  state: "open" | "held" | "settled" | "canceled";
  receivedMsat: bigint;
}

/** A payment this node made, looked up by its hash; `unknown` when lnd never saw it. */
export type PaymentView =
  | { state: "succeeded"; preimage: string; feeMsat: bigint }
  | { state: "pending" | "failed" | "unknown" };

/** What the LV desk needs from lnd: hold invoices it settles only once the LV is delivered, and sellers' payouts. */
export interface DeskLndPort {
  createHoldInvoice(request: {
    paymentHash: string;
    sats: bigint;
    description: string;
    expirySeconds: number;
  }): Promise<{ request: string }>;
  holdInvoice(paymentHash: string): Promise<HoldInvoiceView>;
  settleHoldInvoice(preimage: string): Promise<void>;
  cancelHoldInvoice(paymentHash: string): Promise<void>;
  /** Pays a BOLT 11 request; lnd refuses a second payment of one hash, which keeps a retried payout single. */
  pay(request: { request: string; maxFeeSats: bigint }): Promise<{ preimage: string; feeMsat: bigint }>;
  payment(paymentHash: string): Promise<PaymentView>;
}

/** A Taproot Assets address as tapd decodes it. */
export interface DecodedAssetAddress {
  assetId: string | null;
  groupKey: string | null;
  amount: bigint;
}

/** What the LV desk needs from its tapd: the wallet's port, and decoding a buyer's address before sending to it. */
export interface DeskTapdPort extends TapdPort {
  decodeAddress(address: string): Promise<DecodedAssetAddress>;
}

/** The daemons a relay is bound to; a daemon missing from the config stays unbound. */
export interface Daemons {
  lnd: LndPort | undefined;
  loop: LoopPort | undefined;
  /** the tapd node holding each LV wallet (wallets on one node share one port) */
  tapd: Partial<Record<Wallet, TapdPort>>;
  /** the LV desk's lnd and tapd (the operations wallet's node), when both are bound */
  desk?: { lnd: DeskLndPort; tapd: DeskTapdPort };
  /** Closes the connections (absent for ports that hold none, such as test fakes). */
  close?(): void;
}
