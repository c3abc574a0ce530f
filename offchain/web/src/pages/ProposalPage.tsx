// One proposal: what it would do (its payload decoded through the codec; for a contract-proposal, its code checked
// against the deployed source), where it stands, and the calls that fit now: vote or stake, conclude, apply or
// execute, release the bond, cancel.
import { actionToJson, decodeAction, type Action } from "../../../actions/index.ts";
import { loadSummary } from "../stacks/summaries.ts";
import type { Proposal } from "../stacks/types.ts";
import { ErrorNote, Principal, StatusBadge } from "../components/common.tsx";
import { ConvictionPanel } from "../components/ConvictionPanel.tsx";
import { ProposalActions } from "../components/ProposalActions.tsx";
import { DeployedCode } from "../components/ProposalCode.tsx";
import { QuadraticPanel } from "../components/QuadraticPanel.tsx";
import { VotingSummary } from "../components/VotingSummary.tsx";
import { useLoad } from "../hooks.ts";
import { formatBps, formatGt, formatInteger } from "../model/amounts.ts";
import { windowText } from "../model/proposal-actions.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";

function decodedPayload(proposal: Proposal): { action: Action; json: string } | { error: string } {
  try {
    const action = decodeAction(proposal.kind, proposal.payloadHex);
    return { action, json: JSON.stringify(actionToJson(action), null, 2) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export function ProposalPage({ id }: { id: bigint }) {
  const { reads, tip } = useSession();
  const detail = useLoad(async () => {
    const summary = await loadSummary(reads, id);
    if (!summary) return null;
    const [outcome, bond] = await Promise.all([reads.outcome(id), reads.bondSettlement(id)]);
    return { ...summary, outcome, bond };
  }, [reads, id, tip?.stacksHeight, tip?.burnHeight]);

  if (detail.error && !detail.data)
    return (
      <ErrorNote>
        Could not read proposal {String(id)}: {detail.error}
      </ErrorNote>
    );
  if (detail.data === undefined) return <p>Loading…</p>;
  if (detail.data === null) return <ErrorNote>There is no proposal {String(id)}.</ErrorNote>;
  const { proposal, status, voting, outcome, bond } = detail.data;
  const burn = tip ? BigInt(tip.burnHeight) : proposal.createdAt;
  const payload = decodedPayload(proposal);

  return (
    <section className="proposal">
      <p>
        <a href={href.proposals()}>← Proposals</a>
      </p>
      <h1>
        #{String(proposal.id)} {proposal.title} <StatusBadge status={status} />
      </h1>
      <dl className="facts">
        <dt>Kind</dt>
        <dd>
          <code>{proposal.kind}</code> ({proposal.offchain ? "carried out by the relay" : "applied on-chain"},{" "}
          {proposal.mechanism} voting)
        </dd>
        <dt>Proposer</dt>
        <dd>
          <Principal value={proposal.proposer} />
        </dd>
        <dt>Window</dt>
        <dd>
          burn blocks {String(proposal.start)}–{String(proposal.end)} ({windowText(proposal.start, proposal.end, burn)};
          now {String(burn)})
        </dd>
        <dt>Snapshot</dt>
        <dd>Stacks block {String(proposal.snapshotHeight)}</dd>
        {proposal.mechanism === "quadratic" ? (
          <>
            <dt>Passing rule</dt>
            <dd>
              at least {formatInteger(proposal.quorumVotes)} votes, {formatBps(proposal.passBps)} of them for
            </dd>
          </>
        ) : null}
        <dt>Bond</dt>
        <dd>
          {formatGt(proposal.bond)} GT
          {bond ? ` (${bond.returned ? "returned" : "kept by the DAO"} at burn block ${bond.at})` : " (escrowed)"}
        </dd>
        <dt>Details hash</dt>
        <dd>
          <code className="hash">{proposal.detailsHash}</code>
        </dd>
        {outcome ? (
          <>
            <dt>Outcome</dt>
            <dd>
              {outcome.passed ? "passed" : "defeated"} at burn block {String(outcome.concludedAt)}
              {outcome.passed
                ? `; eta ${outcome.eta}, expires ${outcome.expires}, veto window closes ${outcome.vetoCloses}`
                : ""}
              {proposal.offchain && outcome.passed ? (
                <>
                  {" "}
                  (<a href={href.liquidity()}>action queue</a>)
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>

      <h2>Action</h2>
      {"json" in payload ? (
        <pre className="payload" aria-label="payload">
          {payload.json}
        </pre>
      ) : (
        <ErrorNote>The payload does not decode: {payload.error}</ErrorNote>
      )}
      {"action" in payload && payload.action.kind === "contract-proposal" ? (
        <DeployedCode payload={payload.action.payload} />
      ) : null}

      <h2>Count</h2>
      <VotingSummary proposal={proposal} voting={voting} />
      {proposal.mechanism === "quadratic" ? (
        <QuadraticPanel proposal={proposal} status={status} />
      ) : (
        <ConvictionPanel proposal={proposal} status={status} />
      )}

      <ProposalActions facts={{ proposal, status, outcome, bond, burnHeight: burn }} />
    </section>
  );
}
