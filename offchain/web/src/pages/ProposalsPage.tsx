// The proposals, newest first: derived status, kind, voting window in burn blocks, and the count so far.
import { loadNewest } from "../stacks/summaries.ts";
import { ErrorNote, StatusBadge } from "../components/common.tsx";
import { VotingSummary } from "../components/VotingSummary.tsx";
import { useLoad } from "../hooks.ts";
import { windowText } from "../model/proposal-actions.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";

const PAGE_SIZE = 20;

export function ProposalsPage({ offset }: { offset: number }) {
  const { reads, tip } = useSession();
  const page = useLoad(() => loadNewest(reads, offset, PAGE_SIZE), [reads, offset, tip?.stacksHeight, tip?.burnHeight]);
  const burn = tip ? BigInt(tip.burnHeight) : null;
  return (
    <section>
      <h1>Proposals</h1>
      {page.error ? <ErrorNote>Could not read the proposals: {page.error}</ErrorNote> : null}
      {page.data && page.data.lastId === 0n ? (
        <p>
          No proposals yet. <a href={href.propose()}>Make the first one.</a>
        </p>
      ) : null}
      {page.data && page.data.summaries.length > 0 ? (
        <table className="proposals">
          <thead>
            <tr>
              <th>#</th>
              <th>Title</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Window (burn blocks)</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {page.data.summaries.map(({ proposal, status, voting }) => (
              <tr key={String(proposal.id)} data-proposal-id={String(proposal.id)}>
                <td>{String(proposal.id)}</td>
                <td>
                  <a href={href.proposal(proposal.id)}>{proposal.title}</a>
                </td>
                <td>
                  <code>{proposal.kind}</code>
                  <br />
                  <small>{proposal.mechanism}</small>
                </td>
                <td>
                  <StatusBadge status={status} />
                </td>
                <td>
                  {String(proposal.start)}–{String(proposal.end)}
                  {burn !== null ? (
                    <>
                      <br />
                      <small>{windowText(proposal.start, proposal.end, burn)}</small>
                    </>
                  ) : null}
                </td>
                <td>
                  <VotingSummary proposal={proposal} voting={voting} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page.data ? (
        <nav className="pager">
          {offset > 0 ? <a href={href.proposals(Math.max(0, offset - PAGE_SIZE))}>← newer</a> : null}
          {BigInt(offset + PAGE_SIZE) < page.data.lastId ? (
            <a href={href.proposals(offset + PAGE_SIZE)}>older →</a>
          ) : null}
        </nav>
      ) : page.loading ? (
        <p>Loading…</p>
      ) : null}
    </section>
  );
}
