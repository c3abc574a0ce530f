// What the background loops need from the daemons, beyond the executor's ports (ports.ts): the liquidity scan,
// wallet balance and forwarding history from lnd; quotes, terms and swap states from loopd; minting, balances and
// address receipts from tapd. monitors/daemons.ts binds them to offchain/lightning; unit tests bind them to fakes.
// Sats, msat and asset units are bigint.
import type { LoopPort, Outpoint, TapdPort } from "../ports.ts";

export interface ScannedChannel {
  /** lnd's short channel id ("123x4x0"), as loopd's outgoing channel set takes it */
  chanId: string;
  outpoint: Outpoint;
  pubkey: string;
  localSats: bigint;
  remoteSats: bigint;
  active: boolean;
}

export interface ForwardRecord {
  at: Date;
  incomingChannel: string;
  outgoingChannel: string;
  feeMsat: bigint;
}

export interface MonitorLnd {
  /** Every open channel with its balances (one ListChannels). */
  scanChannels(): Promise<ScannedChannel[]>;
  /** The on-chain wallet's confirmed balance. */
  chainBalanceSats(): Promise<bigint>;
  /** Forwards in [after, before), oldest first. */
  forwards(after: Date, before: Date): Promise<ForwardRecord[]>;
  /** A fresh on-chain address of the node's wallet (Loop Out destination). */
  newAddress(): Promise<string>;
}

export interface SwapTermsView {
  minSats: bigint;
  maxSats: bigint;
}

export interface SwapView {
  swapHash: string;
  label: string;
  type: "out" | "in";
  /** loopd's state: INITIATED, PREIMAGE_REVEALED, HTLC_PUBLISHED, INVOICE_SETTLED, SUCCESS, FAILED */
  state: string;
  amountSats: bigint;
}

export const SWAP_FINAL_STATES: readonly string[] = ["SUCCESS", "FAILED"];

export interface MonitorLoop extends Pick<LoopPort, "loopOut" | "loopIn"> {
  terms(type: "out" | "in"): Promise<SwapTermsView>;
  /** The fees a swap of this amount would cost now, in total (swap fee plus on-chain fee). */
  quoteFeeSats(type: "out" | "in", amountSats: bigint): Promise<bigint>;
  swaps(): Promise<SwapView[]>;
}

export interface AssetView {
  assetId: string;
  name: string;
  amount: bigint;
  groupKey: string | null;
  anchor: Outpoint;
  /** 0 while the anchoring transaction is unconfirmed */
  anchorBlockHeight: number;
}

export interface ReceiptView {
  address: string;
  status: "detected" | "confirmed" | "proof_received" | "completed" | "unknown";
  anchor: Outpoint;
  amount: bigint;
  confirmationHeight: number;
}

/** The LV asset: one grouped asset (by group key) or, before the group is known, one asset id. */
export interface LvAsset {
  groupKey: string | undefined;
  assetId: string | undefined;
}

/** One tapd node holding one or more LV wallets. */
export interface MonitorTapd extends TapdPort {
  /** Mints `amount` units; into the group `groupKey` (reissue), or creating a new group without it. */
  mint(request: { name: string; amount: bigint; groupKey: string | undefined }): Promise<AssetView>;
  /** Every asset this tapd holds, unconfirmed mints included. */
  assets(): Promise<AssetView[]>;
  /** This node's LV balance (every tranche of the group, or the one asset id). */
  lvBalance(lv: LvAsset): Promise<bigint>;
  /** An address for `amount` units of the LV group (V2) or of one asset id. */
  newLvAddress(lv: LvAsset, amount: bigint): Promise<string>;
  receipts(address: string): Promise<ReceiptView[]>;
  /** The chain height this tapd has synced to. */
  blockHeight(): Promise<number>;
}
