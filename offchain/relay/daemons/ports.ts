// The narrow interfaces the executor needs from the daemons and the chain. The executor and its kind handlers see
// only these; adapters/ binds them to the real clients (offchain/lightning for lnd, tapd and loopd; stacks/ for
// Stacks), and tests bind them to fakes. Amounts are bigint sats or msat; txids are hex in display order.

import { outpointString, type Outpoint } from "../lightning/index.ts";
import type { AppliedPolicy, DesiredPolicy } from "../lightning/requests/policy.ts";

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
  /** lnd keeps the opener's memo on opening, open and closing channels, not on closed ones */
  memo: string | undefined;
  closingTxid: string | undefined;
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
}

/** lnd, as the executor uses it. The adapter names each call's macaroon permission (offchain/lightning). */
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
  listChannels(): Promise<ChannelInfo[]>;
  closeChannel(request: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint }): Promise<{ closingTxid: string }>;
  /** Lays the policy over each target channel's current one (lnd resets omitted fields) and applies it. */
  applyPolicy(request: { target: Outpoint | "all"; policy: DesiredPolicy }): Promise<PolicyResult>;
  listTowers(): Promise<Tower[]>;
  addTower(request: { pubkey: string; host: string }): Promise<void>;
  removeTower(pubkey: string): Promise<void>;
}

export interface Swap {
  swapHash: string;
  label: string;
  type: "out" | "in";
  state: string;
}

export interface LoopPort {
  loopOut(request: {
    amountSats: bigint;
    dest: string;
    outgoingChanIds: string[];
    label: string;
    maxTotalFeeSats: bigint;
  }): Promise<{ swapHash: string }>;
  loopIn(request: { amountSats: bigint; lastHop: string | undefined; label: string; maxTotalFeeSats: bigint }): Promise<{ swapHash: string }>;
  listSwaps(): Promise<Swap[]>;
}

export interface AssetTransfer {
  label: string;
  anchorTxid: string;
  /** its anchor transaction has confirmed (until then tapd cannot spend the transfer's change) */
  confirmed: boolean;
}

/** One tapd node, holding one LV wallet. */
export interface TapdPort {
  newAddress(request: { assetId: string; amount: bigint }): Promise<string>;
  send(request: { address: string; label: string }): Promise<{ anchorTxid: string }>;
  listTransfers(): Promise<AssetTransfer[]>;
}

export interface ChainTip {
  burnHeight: number;
  stacksHeight: number;
}

/** execution-queue's get-action, as read from the chain. */
export interface OnChainAction {
  id: bigint;
  kind: string;
  payload: Uint8Array;
  eta: number;
  expires: number;
  status: "queued" | "claimed" | "executed" | "failed" | "expired" | "vetoed";
  relay: string | undefined;
  claimExpires: number;
  attempts: number;
}

export type TxOutcome =
  | { status: "success"; resultRepr: string; blockHeight: number }
  | { status: "failed"; resultRepr: string; errorCode: number | undefined; blockHeight: number }
  | { status: "dropped"; reason: string };

/** The execution-queue contract, as the executor drives it. Calls return a txid once broadcast. */
export interface QueuePort {
  readonly relayAddress: string;
  tip(): Promise<ChainTip>;
  getAction(id: bigint): Promise<OnChainAction | undefined>;
  claim(id: bigint): Promise<string>;
  reportSuccess(id: bigint, evidence: Uint8Array): Promise<string>;
  reportFailure(id: bigint, code: number, retryable: boolean, detail: string): Promise<string>;
  /** Resolves once the transaction has the configured confirmations, or is known to be dropped. */
  waitForTx(txid: string): Promise<TxOutcome>;
}
