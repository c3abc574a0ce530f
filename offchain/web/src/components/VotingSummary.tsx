// The count so far: for quadratic proposals the tally against quorum and pass share, for conviction proposals
// the conviction against the threshold. The list shows the shorter ListCount, from what its page read returns.
import type { Count, Voting } from "../stacks/summaries.ts";
import type { Proposal } from "../stacks/types.ts";
import { formatBps, formatGt, formatInteger, ratioPercent } from "../model/amounts.ts";
import { passingRule } from "../model/quadratic.ts";
import { describeErrorCode } from "../model/tx-result.ts";

export function VotingSummary({ proposal, voting }: { proposal: Proposal; voting: Voting }) {
  if (voting.mechanism === "quadratic") {
    const { votesFor, votesAgainst, voters } = voting.tally;
    const rule = passingRule(votesFor, votesAgainst, proposal.quorumVotes, proposal.passBps);
    return (
      <section className="voting" aria-label="tally">
        <span className="for">for {formatInteger(votesFor)}</span> ·{" "}
        <span className="against">against {formatInteger(votesAgainst)}</span>
        {" · "}
        {formatInteger(voters)} voter{voters === 1n ? "" : "s"}
        <div className="meter" title={`quorum ${formatInteger(proposal.quorumVotes)} votes`}>
          <div
            className="meter-fill"
            style={{ width: `${Math.min(100, ratioPercent(votesFor + votesAgainst, proposal.quorumVotes || 1n))}%` }}
          />
        </div>
        <small>
          quorum {formatInteger(votesFor + votesAgainst)} / {formatInteger(proposal.quorumVotes)}{" "}
          {rule.quorumMet ? "✓" : ""} · for {formatBps(rule.forBps)} (needs {formatBps(proposal.passBps)})
        </small>
      </section>
    );
  }
  const { conviction, threshold, totalStake } = voting.state;
  if (!threshold.ok) {
    return (
      <section className="voting" aria-label="conviction">
        <span title={`conviction ${formatInteger(conviction)}`}>conviction</span> ·{" "}
        <span className="against">cannot pass now: {describeErrorCode(threshold.code)}</span>
      </section>
    );
  }
  return (
    <section className="voting" aria-label="conviction">
      <span title={`conviction ${formatInteger(conviction)} / threshold ${formatInteger(threshold.value)}`}>
        conviction at {ratioPercent(conviction, threshold.value).toFixed(1)}% of its threshold
      </span>
      <div className="meter">
        <div className="meter-fill" style={{ width: `${Math.min(100, ratioPercent(conviction, threshold.value))}%` }} />
      </div>
      <small title={`${formatInteger(totalStake)} GT base units`}>
        {formatGt(totalStake)} GT staked on this proposal
      </small>
    </section>
  );
}

/** The list's count: the votes against quorum and pass share, or the conviction as a share of its threshold. */
export function ListCount({ proposal, count }: { proposal: Proposal; count: Count }) {
  if (count.mechanism === "quadratic") {
    const { votesFor, votesAgainst } = count;
    const rule = passingRule(votesFor, votesAgainst, proposal.quorumVotes, proposal.passBps);
    return (
      <section className="voting" aria-label="tally">
        <span className="for">for {formatInteger(votesFor)}</span> ·{" "}
        <span className="against">against {formatInteger(votesAgainst)}</span>
        <div className="meter" title={`quorum ${formatInteger(proposal.quorumVotes)} votes`}>
          <div
            className="meter-fill"
            style={{ width: `${Math.min(100, ratioPercent(votesFor + votesAgainst, proposal.quorumVotes || 1n))}%` }}
          />
        </div>
        <small>
          quorum {formatInteger(votesFor + votesAgainst)} / {formatInteger(proposal.quorumVotes)}{" "}
          {rule.quorumMet ? "✓" : ""} · for {formatBps(rule.forBps)} (needs {formatBps(proposal.passBps)})
        </small>
      </section>
    );
  }
  const { conviction, threshold } = count;
  if (threshold === 0n) {
    return (
      <section className="voting" aria-label="conviction">
        <span title={`conviction ${formatInteger(conviction)}`}>conviction</span> ·{" "}
        <span className="against">no threshold it can pass at now</span>
      </section>
    );
  }
  return (
    <section className="voting" aria-label="conviction">
      <span title={`conviction ${formatInteger(conviction)} / threshold ${formatInteger(threshold)}`}>
        conviction at {ratioPercent(conviction, threshold).toFixed(1)}% of its threshold
      </span>
      <div className="meter">
        <div className="meter-fill" style={{ width: `${Math.min(100, ratioPercent(conviction, threshold))}%` }} />
      </div>
    </section>
  );
}
