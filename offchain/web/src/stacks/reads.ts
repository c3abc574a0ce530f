// Typed read-only calls to lvdao's contracts (docs/design.md section 2), through the node's call-read route.
import { Cl, type ClarityValue } from "@stacks/transactions";
import type { PayloadBounds } from "../../../actions/index.ts";
import {
  lvPricingOf,
  tradeSummaryOf,
  type ChainPricing,
  type RecordedTradeSummary,
} from "../../../market/pricing-chain.ts";
import type { AppConfig } from "../config.ts";
import type { LogEntry, NodeApi, Tip } from "./api.ts";
import { TipCache } from "./read-cache.ts";
import { Fields, CvError, boolOf, hexOf, okOf, optionalOf, principalOf, responseOf, stringOf, uintOf } from "./cv.ts";
import {
  PROPOSAL_STATUSES,
  type ActionConfig,
  type Allocation,
  type BondSettlement,
  type ConvictionState,
  type LastReport,
  type Liquidity,
  type Mechanism,
  type Outcome,
  type Proposal,
  type ProposalStatus,
  type QueuedAction,
  type Tally,
  type Threshold,
  type Vote,
} from "./types.ts";

function mechanismOf(code: bigint): Mechanism {
  if (code === 1n) return "quadratic";
  if (code === 2n) return "conviction";
  throw new CvError(`unknown voting mechanism u${code}`);
}

function statusOf(status: string): ProposalStatus {
  if (!(PROPOSAL_STATUSES as readonly string[]).includes(status))
    throw new CvError(`unknown proposal status "${status}"`);
  return status as ProposalStatus;
}

function proposalOf(value: ClarityValue, id: bigint): Proposal {
  const f = new Fields(value, `proposal ${id}`);
  return {
    id,
    kind: f.string("kind"),
    payloadHex: f.hex("payload"),
    proposer: f.principal("proposer"),
    title: f.string("title"),
    detailsHash: f.hex("details-hash"),
    snapshotHeight: f.uint("snapshot-height"),
    start: f.uint("start"),
    end: f.uint("end"),
    mechanism: mechanismOf(f.uint("mechanism")),
    offchain: f.bool("offchain"),
    createdAt: f.uint("created-at"),
    bond: f.uint("bond"),
    quorumVotes: f.uint("quorum-votes"),
    passBps: f.uint("pass-bps"),
    timelock: f.uint("timelock"),
    expiry: f.uint("expiry"),
  } satisfies Proposal;
}

function outcomeOf(value: ClarityValue, id: bigint): Outcome {
  const f = new Fields(value, `outcome ${id}`);
  return {
    passed: f.bool("passed"),
    votesFor: f.uint("votes-for"),
    votesAgainst: f.uint("votes-against"),
    concludedAt: f.uint("concluded-at"),
    eta: f.uint("eta"),
    expires: f.uint("expires"),
    vetoCloses: f.uint("veto-closes"),
  };
}

/** A proposal as the list page reads it: `votesFor`/`votesAgainst` are the conviction and the threshold for a
 * conviction proposal (docs/contracts.md). */
export interface PageEntry {
  proposal: Proposal;
  status: ProposalStatus;
  outcome: Outcome | null;
  votesFor: bigint;
  votesAgainst: bigint;
}

/**
 * Reads through one TipCache: the session tells it each new tip (observeTip), and within a tip each distinct call
 * goes to the node once. A proposal's record never changes once created, so a found one is kept for good.
 */
export class LvdaoReads {
  private readonly cache = new TipCache();
  private readonly proposals = new Map<bigint, Proposal>();

  constructor(
    private readonly api: NodeApi,
    private readonly config: AppConfig,
  ) {}

  /** Called with every tip the session polls, before pages reload for it. */
  observeTip(tip: Tip): void {
    this.cache.observe(`${tip.stacksHeight}:${tip.burnHeight}`);
  }

  private call(contract: string, fn: string, args: ClarityValue[] = []): Promise<ClarityValue> {
    const key = `${contract}.${fn}(${args.map((arg) => Cl.serialize(arg)).join(",")})`;
    return this.cache.get(key, () =>
      this.api.callRead(`${this.config.deployer}.${contract}`, fn, args, this.config.deployer),
    );
  }

  async lastProposalId(): Promise<bigint> {
    return uintOf(await this.call("proposals", "get-last-id"), "get-last-id");
  }

  async proposal(id: bigint): Promise<Proposal | null> {
    const kept = this.proposals.get(id);
    if (kept) return kept;
    const value = optionalOf(await this.call("proposals", "get-proposal", [Cl.uint(id)]), "get-proposal");
    if (!value) return null;
    const proposal = proposalOf(value, id);
    this.proposals.set(id, proposal);
    return proposal;
  }

  /**
   * The proposals with ids `first` to `first + 19` that exist, in id order, with their status and count, in one
   * read (docs/contracts.md, get-proposals-page). A node with default read-only limits refuses it for cost.
   */
  async proposalsPage(first: bigint): Promise<PageEntry[]> {
    const value = await this.call("proposals", "get-proposals-page", [Cl.uint(first)]);
    if (value.type !== "list") throw new CvError(`get-proposals-page answered a ${value.type}, not a list`);
    return value.value.map((item) => {
      const f = new Fields(item, "proposals page entry");
      const id = f.uint("id");
      const proposal = this.proposals.get(id) ?? proposalOf(f.value("proposal"), id);
      this.proposals.set(id, proposal);
      const outcome = f.optional("outcome");
      return {
        proposal,
        status: statusOf(f.string("status")),
        outcome: outcome ? outcomeOf(outcome, id) : null,
        votesFor: f.uint("votes-for"),
        votesAgainst: f.uint("votes-against"),
      };
    });
  }

  async status(id: bigint): Promise<ProposalStatus> {
    return statusOf(
      stringOf(okOf(await this.call("proposals", "get-proposal-status", [Cl.uint(id)]), "get-proposal-status")),
    );
  }

  async outcome(id: bigint): Promise<Outcome | null> {
    const value = optionalOf(await this.call("proposals", "get-outcome", [Cl.uint(id)]), "get-outcome");
    if (!value) return null;
    return outcomeOf(value, id);
  }

  async bondSettlement(id: bigint): Promise<BondSettlement | null> {
    const value = optionalOf(await this.call("proposals", "get-bond-settlement", [Cl.uint(id)]), "get-bond-settlement");
    if (!value) return null;
    const f = new Fields(value, `bond settlement ${id}`);
    return { amount: f.uint("amount"), returned: f.bool("returned"), at: f.uint("at") };
  }

  async openCount(who: string): Promise<bigint> {
    return uintOf(await this.call("proposals", "get-open-count", [Cl.principal(who)]), "get-open-count");
  }

  async tally(id: bigint): Promise<Tally> {
    const f = new Fields(await this.call("quadratic-voting", "get-tally", [Cl.uint(id)]), `tally ${id}`);
    return { votesFor: f.uint("votes-for"), votesAgainst: f.uint("votes-against"), voters: f.uint("voters") };
  }

  async vote(id: bigint, voter: string): Promise<Vote | null> {
    const value = optionalOf(
      await this.call("quadratic-voting", "get-vote", [Cl.uint(id), Cl.principal(voter)]),
      "get-vote",
    );
    if (!value) return null;
    const f = new Fields(value, "vote");
    return { votes: f.uint("votes"), support: f.bool("support"), creditsSpent: f.uint("credits-spent") };
  }

  async conviction(id: bigint): Promise<ConvictionState> {
    const [conviction, threshold, registered, totalStaked] = await Promise.all([
      this.call("conviction-voting", "get-conviction", [Cl.uint(id)]),
      this.call("conviction-voting", "get-threshold", [Cl.uint(id)]),
      this.call("conviction-voting", "get-proposal", [Cl.uint(id)]),
      this.call("conviction-voting", "get-total-staked"),
    ]);
    const result = responseOf(threshold, "get-threshold");
    const state: Threshold = result.ok
      ? { ok: true, value: uintOf(result.value) }
      : { ok: false, code: uintOf(result.value) };
    const proposal = optionalOf(registered, "conviction get-proposal");
    const f = proposal ? new Fields(proposal, "conviction proposal") : null;
    return {
      conviction: uintOf(conviction, "get-conviction"),
      threshold: state,
      totalStake: f ? f.uint("total-stake") : 0n,
      totalStaked: uintOf(totalStaked, "get-total-staked"),
      params: f
        ? {
            decay: f.uint("decay"),
            weight: f.uint("weight"),
            maxRatioBps: f.uint("max-ratio"),
            minStake: f.uint("min-stake"),
            requested: f.uint("requested"),
            pool: f.uint("pool"),
            poolAmount: f.uint("pool-amount"),
            supporters: f.uint("supporters"),
            minSupporters: f.uint("min-supporters"),
          }
        : null,
    };
  }

  /** A contract's print events, oldest first (the newest 1,000), read once per tip. */
  events(contract: string): Promise<LogEntry[]> {
    return this.cache.get(`logs:${contract}`, () => this.api.allLogs(`${this.config.deployer}.${contract}`));
  }

  async stake(id: bigint, who: string): Promise<bigint> {
    return uintOf(await this.call("conviction-voting", "get-stake", [Cl.uint(id), Cl.principal(who)]), "get-stake");
  }

  async balance(who: string): Promise<bigint> {
    return uintOf(okOf(await this.call("gt-token", "get-balance", [Cl.principal(who)]), "get-balance"));
  }

  /**
   * A voter's quadratic credits: the lesser of its delegated votes at the block before the proposal (`held-from`)
   * and at the snapshot. Until the snapshot block is mined the credits are not fixed yet: `final` is false and
   * `credits` is the most they can be (the votes at `held-from`).
   */
  async credits(
    id: bigint,
    who: string,
  ): Promise<{ credits: bigint; final: boolean; heldFrom: bigint; snapshot: bigint }> {
    const value = optionalOf(
      await this.call("quadratic-voting", "get-proposal", [Cl.uint(id)]),
      "quadratic get-proposal",
    );
    if (!value) throw new CvError(`proposal ${id} is not a quadratic proposal`);
    const f = new Fields(value, `quadratic proposal ${id}`);
    const heldFrom = f.uint("held-from");
    const snapshot = f.uint("snapshot-height");
    // credits are the votes delegated to `who` (its own GT while it has not delegated), docs/delegation.md
    const held = responseOf(
      await this.call("gt-token", "get-votes-held", [Cl.principal(who), Cl.uint(heldFrom), Cl.uint(snapshot)]),
    );
    if (held.ok) return { credits: uintOf(held.value, "get-votes-held"), final: true, heldFrom, snapshot };
    const votes = okOf(
      await this.call("gt-token", "get-votes-at", [Cl.principal(who), Cl.uint(heldFrom)]),
      "get-votes-at",
    );
    return { credits: uintOf(votes, "get-votes-at"), final: false, heldFrom, snapshot };
  }

  /** The votes delegated to `who` now: the GT of every holder delegating to it, and its own unless it delegated. */
  async votes(who: string): Promise<bigint> {
    return uintOf(await this.call("gt-token", "get-votes", [Cl.principal(who)]), "get-votes");
  }

  /** The delegate `who`'s GT counts for (`who` itself when it has not delegated). */
  async delegateOf(who: string): Promise<string> {
    return principalOf(await this.call("gt-token", "get-delegate", [Cl.principal(who)]), "get-delegate");
  }

  /** GT at the end of Stacks block `height`. */
  async balanceAt(who: string, height: bigint): Promise<bigint> {
    return uintOf(
      okOf(await this.call("gt-token", "get-balance-at", [Cl.principal(who), Cl.uint(height)]), "get-balance-at"),
    );
  }

  /** The GT the DAO's treasury holds (forfeited bonds), what a treasury-transfer pays from. */
  async treasuryBalance(): Promise<bigint> {
    return uintOf(await this.call("treasury", "get-balance"), "treasury get-balance");
  }

  async setting(key: string): Promise<bigint> {
    return uintOf(okOf(await this.call("dao-settings", "get-setting", [Cl.stringAscii(key)]), `setting ${key}`));
  }

  /** The live settings the payload rules read (codec's PayloadBounds). */
  async payloadBounds(): Promise<PayloadBounds> {
    const [minChannelSats, maxChannelSats, maxFeePpm, maxLoopSats] = await Promise.all(
      ["min-channel-sats", "max-channel-sats", "max-fee-ppm", "max-loop-sats"].map((key) => this.setting(key)),
    );
    return {
      minChannelSats: minChannelSats!,
      maxChannelSats: maxChannelSats!,
      maxFeePpm: maxFeePpm!,
      maxLoopSats: maxLoopSats!,
    };
  }

  async actionConfig(kind: string): Promise<ActionConfig> {
    const f = new Fields(
      okOf(await this.call("dao-settings", "get-action-config", [Cl.stringAscii(kind)]), `action config ${kind}`),
      `action config ${kind}`,
    );
    return {
      mechanism: mechanismOf(f.uint("mechanism")),
      votingDelay: f.uint("voting-delay"),
      votingPeriod: f.uint("voting-period"),
      quorumVotes: f.uint("quorum-votes"),
      passBps: f.uint("pass-bps"),
      timelock: f.uint("timelock"),
      expiry: f.uint("expiry"),
      membersOnly: f.bool("members-only"),
    };
  }

  /** action-validator.validate: null when the chain accepts the payload, else the error code. */
  async validatePayload(kind: string, payloadHex: string): Promise<bigint | null> {
    const result = responseOf(
      await this.call("action-validator", "validate", [Cl.stringAscii(kind), Cl.bufferFromHex(payloadHex)]),
      "validate",
    );
    return result.ok ? null : uintOf(result.value, "validate error");
  }

  async liquidity(): Promise<Liquidity> {
    const f = new Fields(await this.call("liquidity-oracle", "get-liquidity"), "liquidity");
    return {
      onchainSats: f.uint("onchain-sats"),
      outboundSats: f.uint("outbound-sats"),
      inboundSats: f.uint("inbound-sats"),
      channels: f.uint("channels"),
      lvReserve: f.uint("lv-reserve"),
      lvWithdrawal: f.uint("lv-withdrawal"),
      vaultSats: f.uint("vault-sats"),
    };
  }

  /** The LV desk's pricing in force (lv-ledger.get-lv-pricing); null before any lv-pricing has passed. */
  async lvPricing(): Promise<ChainPricing | null> {
    return lvPricingOf(await this.call("lv-ledger", "get-lv-pricing"));
  }

  /** The desk's trade summary of a pricing period; null when none was recorded. */
  async tradeSummary(period: bigint): Promise<RecordedTradeSummary | null> {
    return tradeSummaryOf(await this.call("lv-ledger", "get-trade-summary", [Cl.uint(period)]));
  }

  async lastReport(): Promise<LastReport> {
    const f = new Fields(await this.call("liquidity-oracle", "get-last-report"), "last report");
    const reporter = f.optional("reporter");
    return {
      reporter: reporter ? principalOf(reporter, "last report reporter") : null,
      burnHeight: f.uint("burn-height"),
      reports: f.uint("reports"),
    };
  }

  async allocation(): Promise<Allocation> {
    const f = new Fields(await this.call("lv-ledger", "get-allocation"), "allocation");
    return {
      infrastructureBps: f.uint("infrastructure-bps"),
      channelBps: f.uint("channel-bps"),
      reserveBps: f.uint("reserve-bps"),
    };
  }

  async action(id: bigint): Promise<QueuedAction | null> {
    const value = optionalOf(await this.call("execution-queue", "get-action", [Cl.uint(id)]), "get-action");
    if (!value) return null;
    const f = new Fields(value, `action ${id}`);
    const relay = f.optional("relay");
    const evidence = f.optional("evidence");
    const failure = f.optional("failure-code");
    return {
      id,
      kind: f.string("kind"),
      payloadHex: f.hex("payload"),
      eta: f.uint("eta"),
      expires: f.uint("expires"),
      status: f.string("status"),
      relay: relay ? principalOf(relay, "action relay") : null,
      claimExpires: f.uint("claim-expires"),
      attempts: f.uint("attempts"),
      evidenceHex: evidence ? hexOf(evidence, "evidence") : null,
      failureCode: failure ? uintOf(failure, "failure-code") : null,
    };
  }

  async isMember(who: string): Promise<boolean> {
    return boolOf(await this.call("member-registry", "is-member", [Cl.principal(who)]), "is-member");
  }
}
