// Quadratic voting arithmetic as quadratic-voting.clar does it: a voter's credits are their GT base units at the
// proposal's snapshot; holding `total` votes costs total^2 credits, so casting `votes` more on top of `prev`
// costs (prev+votes)^2 - prev^2. The contract compares through the integer square root; so does this.

export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("isqrt of a negative number");
  if (n < 2n) return n;
  // Start above the root (2^(bits/2+1)) and take Newton steps down until they stop decreasing.
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/** Credits that `votes` more votes cost on top of `prev`. */
export function voteCost(prev: bigint, votes: bigint): bigint {
  const total = prev + votes;
  return total * total - prev * prev;
}

/** The most votes a voter may still add. */
export function maxMoreVotes(credits: bigint, prev: bigint): bigint {
  const most = isqrt(credits) - prev;
  return most > 0n ? most : 0n;
}

export interface VoteCheck {
  credits: bigint;
  previous: { votes: bigint; support: boolean } | null;
  votes: bigint;
  support: boolean;
}

export type VoteProblem = {
  code: "ERR_NO_VOTING_POWER" | "ERR_ZERO_VOTES" | "ERR_SIDE_SWITCH" | "ERR_INSUFFICIENT_CREDITS";
  reason: string;
};

/** The first rule of quadratic-voting.vote that this vote breaks, or null (window and membership are checked by the caller). */
export function checkVote({ credits, previous, votes, support }: VoteCheck): VoteProblem | null {
  if (credits === 0n) return { code: "ERR_NO_VOTING_POWER", reason: "you held no GT at the proposal's snapshot" };
  if (votes <= 0n) return { code: "ERR_ZERO_VOTES", reason: "cast at least one vote" };
  if (previous && previous.support !== support) {
    return {
      code: "ERR_SIDE_SWITCH",
      reason: `you already voted ${previous.support ? "for" : "against"}; a voter cannot switch sides`,
    };
  }
  const prev = previous?.votes ?? 0n;
  if (votes > maxMoreVotes(credits, prev)) {
    return {
      code: "ERR_INSUFFICIENT_CREDITS",
      reason: `at most ${maxMoreVotes(credits, prev)} more votes fit in your credits`,
    };
  }
  return null;
}

export interface PassingRule {
  quorumMet: boolean;
  /** votes-for as bps of all votes (0 when nobody voted) */
  forBps: bigint;
  passes: boolean;
}

/** proposals.clar's rule: some votes for, votes-for + votes-against >= quorum, votes-for * 10000 >= pass-bps * total. */
export function passingRule(votesFor: bigint, votesAgainst: bigint, quorumVotes: bigint, passBps: bigint): PassingRule {
  const total = votesFor + votesAgainst;
  const quorumMet = total >= quorumVotes;
  const forBps = total === 0n ? 0n : (votesFor * 10_000n) / total;
  return { quorumMet, forBps, passes: votesFor > 0n && quorumMet && votesFor * 10_000n >= passBps * total };
}
