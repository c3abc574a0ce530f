// One proposal: its text, what it would do (its payload decoded through the codec and said in words; for a
// contract-proposal, its code checked against the deployed source), where it stands and who voted, what the relay
// did once it passed, and the calls that fit now: vote or stake, conclude, apply or execute, release the bond,
// cancel. A closed proposal shows no vote panel.
import { decodeAction, type Action } from "../../../actions/index.ts";
import { loadSummary } from "../stacks/summaries.ts";
import type { Proposal } from "../stacks/types.ts";
import { ErrorNote, Principal, StatusBadge } from "../components/common.tsx";
import { ConvictionPanel } from "../components/ConvictionPanel.tsx";
import { ConvictionView } from "../components/ConvictionView.tsx";
import { ActionView, Participants, ProposalText, RelayReceipts } from "../components/ProposalStory.tsx";
import { ProposalActions } from "../components/ProposalActions.tsx";
import { DeployedCode } from "../components/ProposalCode.tsx";
import { QuadraticPanel } from "../components/QuadraticPanel.tsx";
import { VotingSummary } from "../components/VotingSummary.tsx";
import { useLoad } from "../hooks.ts";
import { formatBps, formatGt, formatInteger } from "../model/amounts.ts";
import { windowText } from "../model/proposal-actions.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";

function decodedPayload(proposal: Proposal): { action: Action } | { error: string } {
  try {
    return { action: decodeAction(proposal.kind, proposal.payloadHex) };
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
  // votes are taken while pending (to show the credits) and active; once the window closes the panel goes
  const open = status === "pending" || status === "active";

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
          burn blocks {String(proposal.start)}–{String(proposal.end)} ({windowText(proposal.start, proposal.end, burn)}
          {"; "}now {String(burn)})
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
        <dd title={`${formatInteger(proposal.bond)} GT base units`}>
          {formatGt(proposal.bond)} GT
          {bond ? ` (${bond.returned ? "returned" : "kept by the DAO"} at burn block ${bond.at})` : " (escrowed)"}
        </dd>
        {outcome ? (
          <>
            <dt>Outcome</dt>
            <dd>
              {outcome.passed ? "the vote passed" : "defeated"} at burn block {String(outcome.concludedAt)}
              {outcome.passed
                ? `; it may be carried out from burn block ${outcome.eta} until ${outcome.expires}, ` +
                  `and the guardians may veto it until ${outcome.vetoCloses}`
                : ""}
              {outcome.passed && status !== "succeeded" && status !== "queued" ? `; now ${status}` : ""}
              {proposal.offchain && outcome.passed ? (
                <>
                  {" "}
                  (see <a href="#relay-receipts">the relay's receipts</a> below, or the{" "}
                  <a href={href.liquidity()}>action queue</a>)
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>

      <ProposalText proposal={proposal} />

      <h2>Action</h2>
      {"action" in payload ? (
        <ActionView action={payload.action} />
      ) : (
        <ErrorNote>The payload does not decode: {payload.error}</ErrorNote>
      )}
      {"action" in payload && payload.action.kind === "contract-proposal" ? (
        <DeployedCode payload={payload.action.payload} />
      ) : null}

      <h2>Count</h2>
      {voting.mechanism === "conviction" ? (
        <ConvictionView proposal={proposal} state={voting.state} status={status} />
      ) : (
        <VotingSummary proposal={proposal} voting={voting} />
      )}
      {proposal.mechanism === "quadratic" ? (
        open ? (
          <QuadraticPanel proposal={proposal} status={status} />
        ) : null
      ) : (
        <ConvictionPanel proposal={proposal} status={status} />
      )}
      <h3>{proposal.mechanism === "quadratic" ? "Voters" : "Stakers"}</h3>
      <Participants proposal={proposal} />

      <div id="relay-receipts">
        <RelayReceipts proposal={proposal} status={status} />
      </div>

      <ProposalActions facts={{ proposal, status, outcome, bond, burnHeight: burn }} />
    </section>
  );
}
