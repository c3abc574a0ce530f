// The narrow interfaces the executor needs from the daemons and the chain. The executor and its kind handlers see
// only these; adapters/ binds them to the real clients (offchain/lightning for lnd, tapd and loopd; chain/ for
// Stacks), and tests bind them to fakes. Amounts are bigint sats or msat; txids are hex in display order.

export interface Outpoint {
  txid: string;
  vout: number;
}

export const outpointKey = (outpoint: Outpoint): string => `${outpoint.txid}:${outpoint.vout}`;

export interface OpenChannel {
  outpoint: Outpoint;
  /** lnd's short channel id, decimal */
  chanId: string;
  pubkey: string;
  capacitySats: bigint;
  localSats: bigint;
  remoteSats: bigint;
  active: boolean;
  memo: string | undefined;
}

export interface PendingChannel {
  outpoint: Outpoint;
  pubkey: string;
  capacitySats: bigint;
  memo: string | undefined;
  /** opening: funding unconfirmed; closing: a close is in flight (its txid when known) */
  state: "opening" | "closing";
  closingTxid: string | undefined;
}

export interface ClosedChannel {
  outpoint: Outpoint;
  pubkey: string;
  capacitySats: bigint;
  closingTxid: string;
}

/** A channel's forwarding policy as lnd holds it. Inbound fees are signed: lnd takes a discount as a negative fee. */
export interface ChannelPolicy {
  outpoint: Outpoint;
  baseFeeMsat: bigint;
  feePpm: bigint;
  cltvDelta: number;
  inboundBaseFeeMsat: bigint;
  inboundFeePpm: bigint;
  minHtlcMsat: bigint;
  maxHtlcMsat: bigint;
}

export interface Tower {
  pubkey: string;
  addresses: string[];
  active: boolean;
}

/** lnd, as the executor uses it. Each method names the macaroon permission it needs in the adapter. */
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
  listChannels(): Promise<OpenChannel[]>;
  listPendingChannels(): Promise<PendingChannel[]>;
  listClosedChannels(): Promise<ClosedChannel[]>;
  closeChannel(request: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint }): Promise<{ closingTxid: string }>;
  listPolicies(): Promise<ChannelPolicy[]>;
  updatePolicy(policy: ChannelPolicy): Promise<void>;
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
