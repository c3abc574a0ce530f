// The connected member's own history: the proposals they made (and any bond they can release now), their votes and
// their stakes, from the contracts' events, each linking to its proposal.
import { ErrorNote, GtAmount, StatusBadge } from "../components/common.tsx";
import { useLoad } from "../hooks.ts";
import { formatGt, formatInteger } from "../model/amounts.ts";
import { availableActions } from "../model/proposal-actions.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";
import { memberHistoryFromLogs } from "../stacks/events.ts";

export function HistoryPage() {
  const { account, reads, tip } = useSession();
  const history = useLoad(async () => {
    if (!account) return null;
    const [proposals, quadratic, conviction] = await Promise.all([
      reads.events("proposals"),
      reads.events("quadratic-voting"),
      reads.events("conviction-voting"),
    ]);
    const mine = memberHistoryFromLogs(account, { proposals, quadratic, conviction });
    const burnHeight = tip ? BigInt(tip.burnHeight) : 0n;
    const made = await Promise.all(
      mine.proposed.map(async (id) => {
        const [proposal, status, outcome, bond] = await Promise.all([
          reads.proposal(id),
          reads.status(id),
          reads.outcome(id),
          reads.bondSettlement(id),
        ]);
        if (!proposal) return null;
        const releasable = availableActions({ proposal, status, outcome, bond, burnHeight, me: account }).includes(
          "release-bond",
        );
        return { proposal, status, bond, releasable };
      }),
    );
    return { ...mine, made: made.filter((m) => m !== null) };
  }, [account, reads, tip?.stacksHeight, tip?.burnHeight]);

  if (!account)
    return (
      <section className="history">
        <h1>Your history</h1>
        <p className="hint">Connect a wallet (or, on devnet, a test account) to see your history.</p>
      </section>
    );
  if (history.error && !history.data) return <ErrorNote>Could not read your history: {history.error}</ErrorNote>;
  if (!history.data) return <p>Loading…</p>;
  const { made, votes, stakes } = history.data;
  const toRelease = made.filter((m) => m.releasable);
  return (
    <section className="history">
      <h1>Your history</h1>
      <h2>Bonds to release</h2>
      {toRelease.length === 0 ? (
        <p className="hint">No bond of yours is waiting to be released.</p>
      ) : (
        <ul aria-label="bonds to release">
          {toRelease.map(({ proposal }) => (
            <li key={String(proposal.id)}>
              <a href={href.proposal(proposal.id)}>
                #{String(proposal.id)} {proposal.title}
              </a>
              : {formatGt(proposal.bond)} GT (release it on the proposal's page)
            </li>
          ))}
        </ul>
      )}
      <h2>Your proposals</h2>
      {made.length === 0 ? (
        <p className="hint">You have not proposed anything yet.</p>
      ) : (
        <ul aria-label="your proposals">
          {made.map(({ proposal, status, bond }) => (
            <li key={String(proposal.id)}>
              <a href={href.proposal(proposal.id)}>
                #{String(proposal.id)} {proposal.title}
              </a>{" "}
              <StatusBadge status={status} /> bond {formatGt(proposal.bond)} GT
              {bond ? (bond.returned ? ", returned" : ", kept by the DAO") : ""}
            </li>
          ))}
        </ul>
      )}
      <h2>Your votes</h2>
      {votes.length === 0 ? (
        <p className="hint">No votes yet.</p>
      ) : (
        <ul aria-label="your votes">
          {votes.map((vote) => (
            <li key={String(vote.id)}>
              <a href={href.proposal(vote.id)}>#{String(vote.id)}</a>: {formatInteger(vote.votes)} votes{" "}
              {vote.support ? "for" : "against"}, <GtAmount base={vote.creditsSpent} /> of credits spent
            </li>
          ))}
        </ul>
      )}
      <h2>Your stakes</h2>
      {stakes.length === 0 ? (
        <p className="hint">No stakes yet.</p>
      ) : (
        <ul aria-label="your stakes">
          {stakes.map((stake) => (
            <li key={String(stake.id)}>
              <a href={href.proposal(stake.id)}>#{String(stake.id)}</a>:{" "}
              {stake.stake === 0n ? "taken back" : `${formatGt(stake.stake)} GT staked`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
