// The proposals, newest first: derived status, kind, voting window in burn blocks, and the count so far; filtered
// by status group and kind and searched by title within the page read.
import { useState } from "react";
import { ACTION_KINDS } from "../../../actions/index.ts";
import { loadNewest } from "../stacks/summaries.ts";
import { ErrorNote, StatusBadge } from "../components/common.tsx";
import { ListCount } from "../components/VotingSummary.tsx";
import { useLoad } from "../hooks.ts";
import { windowText } from "../model/proposal-actions.ts";
import { matchesFilter, NO_FILTER, STATUS_GROUPS, type StatusGroup } from "../model/proposal-filter.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";

const PAGE_SIZE = 20;

export function ProposalsPage({ offset }: { offset: number }) {
  const { reads, tip } = useSession();
  // read for a known tip only: a read before the first tip would be read again as soon as the tip arrives
  const page = useLoad(
    () => (tip ? loadNewest(reads, offset, PAGE_SIZE) : new Promise<never>(() => undefined)),
    [reads, offset, tip?.stacksHeight, tip?.burnHeight],
  );
  const burn = tip ? BigInt(tip.burnHeight) : null;
  const [filter, setFilter] = useState(NO_FILTER);
  const shown = page.data?.summaries.filter((summary) => matchesFilter(summary, filter)) ?? [];
  return (
    <section>
      <h1>Proposals</h1>
      <search className="filters">
        <label>
          Status{" "}
          <select value={filter.group} onChange={(e) => setFilter({ ...filter, group: e.target.value as StatusGroup })}>
            {Object.keys(STATUS_GROUPS).map((group) => (
              <option key={group} value={group}>
                {group}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind{" "}
          <select value={filter.kind} onChange={(e) => setFilter({ ...filter, kind: e.target.value })}>
            <option value="">every kind</option>
            {ACTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          Title{" "}
          <input
            type="search"
            value={filter.search}
            onChange={(e) => setFilter({ ...filter, search: e.target.value })}
            placeholder="words of the title"
          />
        </label>
      </search>
      {page.error ? <ErrorNote>Could not read the proposals: {page.error}</ErrorNote> : null}
      {page.data && page.data.lastId === 0n ? (
        <p>
          No proposals yet. <a href={href.propose()}>Make the first one.</a>
        </p>
      ) : null}
      {page.data && page.data.summaries.length > 0 && shown.length === 0 ? (
        <p className="hint">No proposal on this page matches the filters.</p>
      ) : null}
      {shown.length > 0 ? (
        <table className="proposals cards">
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
            {shown.map(({ proposal, status, count }) => (
              <tr key={String(proposal.id)} data-proposal-id={String(proposal.id)}>
                <td data-label="#">{String(proposal.id)}</td>
                <td data-label="Title">
                  <a href={href.proposal(proposal.id)}>{proposal.title}</a>
                </td>
                <td data-label="Kind">
                  <code>{proposal.kind}</code>
                  <br />
                  <small>{proposal.mechanism}</small>
                </td>
                <td data-label="Status">
                  <StatusBadge status={status} />
                </td>
                <td data-label="Window">
                  {String(proposal.start)}–{String(proposal.end)}
                  {burn !== null ? (
                    <>
                      <br />
                      <small>{windowText(proposal.start, proposal.end, burn)}</small>
                    </>
                  ) : null}
                </td>
                <td data-label="Count">
                  <ListCount proposal={proposal} count={count} />
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
