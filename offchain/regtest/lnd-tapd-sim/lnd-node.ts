// One simulated lnd node's own state: identity, peers, invoices, payments it made, HTLCs it forwarded and its
// watchtower client and server. Channels live in the shared SimNetwork because both ends see them.
import { EventEmitter } from "node:events";
import { newKeyPair, type KeyPair } from "./keys.ts";

/** lnd's default routing policy on regtest (`bitcoin.basefee`, `bitcoin.feerate`, `bitcoin.timelockdelta`). */
export const DEFAULT_POLICY = { baseFeeMsat: 1000n, feeRatePpm: 1, timeLockDelta: 80, minHtlcMsat: 1000n };

export interface SimInvoice {
  memo: string;
  preimage: Buffer;
  hash: Buffer;
  valueMsat: bigint;
  paymentRequest: string;
  paymentAddr: Buffer;
  createdAt: number;
  expiry: number;
  cltvExpiry: number;
  private: boolean;
  addIndex: number;
  /** ACCEPTED: a hold invoice's HTLC is held, waiting for SettleInvoice (the preimage) or CancelInvoice. */
  state: "OPEN" | "ACCEPTED" | "SETTLED" | "CANCELED";
  /** a hold invoice (invoicesrpc AddHoldInvoice): its preimage is not known until SettleInvoice */
  hold?: boolean;
  settleIndex: number;
  settledAt: number;
  amtPaidMsat: bigint;
  /** The HTLC that settled it: the channel it arrived on and when. */
  htlc: { chanId: string; acceptHeight: number; acceptTime: number; amtMsat: bigint } | null;
}

export interface RouteHop {
  chanId: string;
  chanCapacity: number;
  /** The node this hop delivers to. */
  pubkey: string;
  amtToForwardMsat: bigint;
  feeMsat: bigint;
  expiry: number;
}

export interface SimRoute {
  hops: RouteHop[];
  totalAmtMsat: bigint;
  totalFeesMsat: bigint;
  totalTimeLock: number;
}

export interface SimPayment {
  hash: string;
  preimage: string;
  valueMsat: bigint;
  feeMsat: bigint;
  paymentRequest: string;
  status: "IN_FLIGHT" | "SUCCEEDED" | "FAILED";
  failureReason: string;
  createdAtNs: bigint;
  resolvedAtNs: bigint;
  paymentIndex: number;
  route: SimRoute | null;
  /** The invoice's payment secret, echoed in the final hop's MPP record. */
  paymentAddr: Buffer;
}

export interface ForwardEvent {
  timestampNs: bigint;
  chanIdIn: string;
  chanIdOut: string;
  amtInMsat: bigint;
  amtOutMsat: bigint;
  feeMsat: bigint;
  incomingHtlcId: number;
  outgoingHtlcId: number;
}

export interface TowerEntry {
  pubkey: string;
  addresses: string[];
  /** Sessions negotiated: 1 once the tower answered (a simulated tower at that address), else 0. */
  sessions: number;
}

export interface SimLndOptions {
  name: string;
  /** Runs the watchtower client (`--wtclient.active`). */
  towerClient: boolean;
  /** Runs a watchtower server (`--watchtower.active`). */
  towerServer: boolean;
}

export class SimLnd {
  readonly name: string;
  readonly alias: string;
  readonly keys: KeyPair;
  readonly color = "#3399ff";
  readonly towerClient: boolean;
  /** The watchtower's own identity key (lnd derives it apart from the node key). */
  readonly towerKeys: KeyPair | null;
  p2pHost = "";
  towerHost = "";
  readonly peers = new Map<string, { address: string; inbound: boolean; since: number }>();
  readonly invoices = new Map<string, SimInvoice>();
  readonly payments = new Map<string, SimPayment>();
  readonly forwards: ForwardEvent[] = [];
  readonly towers = new Map<string, TowerEntry>();
  /** Emits "invoice" (SimInvoice) whenever one of this node's invoices changes state. */
  readonly events = new EventEmitter().setMaxListeners(0);
  nextAddIndex = 1;
  nextSettleIndex = 1;
  nextPaymentIndex = 1;
  nextHtlcId = 0;

  constructor(options: SimLndOptions) {
    this.name = options.name;
    // Labelled as a simulator wherever lnd shows who it is.
    this.alias = `${options.name} (lvdao simulator)`;
    this.keys = newKeyPair();
    this.towerClient = options.towerClient;
    this.towerKeys = options.towerServer ? newKeyPair() : null;
  }

  get pubkey(): string {
    return this.keys.publicKey;
  }

  /** The wallet id this node's coins are kept under in the shared chain. */
  get wallet(): string {
    return `lnd:${this.name}`;
  }
}
