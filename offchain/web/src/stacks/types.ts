// What the app reads from lvdao's contracts, as plain typed records (uints as bigint, buffers as hex).

export const PROPOSAL_STATUSES = [
  "pending",
  "active",
  "defeated",
  "succeeded",
  "queued",
  "executing",
  "executed",
  "failed",
  "expired",
  "cancelled",
  "vetoed",
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export type Mechanism = "quadratic" | "conviction";

export interface Proposal {
  id: bigint;
  kind: string;
  payloadHex: string;
  proposer: string;
  title: string;
  detailsHash: string;
  /** Stacks height of the voting-power snapshot. */
  snapshotHeight: bigint;
  /** Burn heights of the voting window [start, end). */
  start: bigint;
  end: bigint;
  mechanism: Mechanism;
  offchain: boolean;
  createdAt: bigint;
  /** GT base units escrowed at propose. */
  bond: bigint;
  quorumVotes: bigint;
  passBps: bigint;
  timelock: bigint;
  expiry: bigint;
}

export interface Outcome {
  passed: boolean;
  votesFor: bigint;
  votesAgainst: bigint;
  concludedAt: bigint;
  eta: bigint;
  expires: bigint;
  vetoCloses: bigint;
}

export interface Tally {
  votesFor: bigint;
  votesAgainst: bigint;
  voters: bigint;
}

export interface Vote {
  votes: bigint;
  support: boolean;
  creditsSpent: bigint;
}

/** get-threshold: the conviction needed, or the error code when the request cannot pass (r/R >= beta). */
export type Threshold = { ok: true; value: bigint } | { ok: false; code: bigint };

/** The parameters conviction-voting froze for a proposal, and its stored state (docs/conviction.md). */
export interface ConvictionParams {
  /** a per burn block, scale 10^12. */
  decay: bigint;
  /** rho, scale 10^12. */
  weight: bigint;
  maxRatioBps: bigint;
  /** The least S counts as, GT base units: cv-min-stake-bps of the GT supply when the proposal was made. */
  minStake: bigint;
  requested: bigint;
  pool: bigint;
  poolAmount: bigint;
  supporters: bigint;
  minSupporters: bigint;
}

export interface ConvictionState {
  conviction: bigint;
  threshold: Threshold;
  totalStake: bigint;
  /** S before the minimum: GT staked on every open conviction proposal. */
  totalStaked: bigint;
  params: ConvictionParams | null;
}

export interface Liquidity {
  onchainSats: bigint;
  outboundSats: bigint;
  inboundSats: bigint;
  channels: bigint;
  lvReserve: bigint;
  lvWithdrawal: bigint;
  /** The DAO vault's confirmed balance, sats. */
  vaultSats: bigint;
}

export interface LastReport {
  reporter: string | null;
  burnHeight: bigint;
  reports: bigint;
}

export interface Allocation {
  infrastructureBps: bigint;
  channelBps: bigint;
  reserveBps: bigint;
}

export const ACTION_STATUSES = ["queued", "claimed", "executed", "failed", "expired"] as const;

export interface QueuedAction {
  id: bigint;
  kind: string;
  payloadHex: string;
  eta: bigint;
  expires: bigint;
  status: string;
  relay: string | null;
  claimExpires: bigint;
  attempts: bigint;
  evidenceHex: string | null;
  failureCode: bigint | null;
}

export interface BondSettlement {
  amount: bigint;
  returned: boolean;
  at: bigint;
}

export interface ActionConfig {
  mechanism: Mechanism;
  votingDelay: bigint;
  votingPeriod: bigint;
  quorumVotes: bigint;
  passBps: bigint;
  timelock: bigint;
  expiry: bigint;
  membersOnly: boolean;
}
