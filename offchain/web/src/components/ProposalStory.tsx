// The parts of a proposal's page that tell its story beyond the count: its text (from proposal-created, checked
// against the stored hash), the action in words with its JSON and units, who voted or staked how much (from the
// voting contracts' events), and once passed, what the relay did about it (execution-queue's events and status).
import { PAYLOAD_TYPES, actionToJson, type Action, type ActionKind } from "../../../actions/index.ts";
import { describeAction } from "../model/describe-action.ts";
import { formatGt, formatInteger } from "../model/amounts.ts";
import { bodyHash } from "../model/details.ts";
import { fieldHint, type Draft } from "../model/payload-form.ts";
import { describeEvidence, describeRelayFailure } from "../model/receipts.ts";
import { proposalTextFromLogs, stakeChangesFromLogs, stakersOf, votersFromLogs } from "../stacks/events.ts";
import { queueFromLogs, type QueueStep } from "../stacks/queue.ts";
import type { Proposal, ProposalStatus } from "../stacks/types.ts";
import { useLoad } from "../hooks.ts";
import { useSession } from "../session.tsx";
import { ErrorNote, Principal, StatusBadge } from "./common.tsx";
import { Markdown } from "./Markdown.tsx";
import { safeHref } from "../model/markdown.ts";

/** The body and link as proposal-created carried them, and whether the body hashes to the stored details hash. */
export function ProposalText({ proposal }: { proposal: Proposal }) {
  const { reads, tip } = useSession();
  const text = useLoad(async () => {
    const found = proposalTextFromLogs(await reads.events("proposals"), proposal.id);
    if (!found?.body) return found ? { ...found, verified: null } : null;
    return { ...found, verified: bodyHash(found.body) === proposal.detailsHash };
  }, [reads, proposal.id, proposal.detailsHash, tip?.stacksHeight]);
  return <ProposalBody proposal={proposal} text={text.data ?? null} error={text.error} />;
}

export function ProposalBody({
  proposal,
  text,
  error,
}: {
  proposal: Proposal;
  text: { body: string | null; link: string | null; verified: boolean | null } | null;
  error?: string | null;
}) {
  const link = text?.link ? safeHref(text.link) : null;
  return (
    <section className="proposal-text" aria-label="proposal text">
      {text?.body ? (
        <>
          <Markdown source={text.body} />
          <p className={text.verified ? "hint ok" : "error"} role="note" aria-label="text check">
            {text.verified
              ? "This text matches the details hash stored with the proposal."
              : "This text does not match the details hash stored with the proposal: do not rely on it."}
          </p>
        </>
      ) : (
        <p className="hint">
          No text was published with this proposal; only its details hash is stored:{" "}
          <code className="hash">{proposal.detailsHash}</code>
        </p>
      )}
      {text?.link ? (
        <p>
          Discussion:{" "}
          {link ? (
            <a href={link} target="_blank" rel="noopener noreferrer nofollow" className="hash">
              {link}
            </a>
          ) : (
            <code className="hash">{text.link}</code>
          )}
        </p>
      ) : null}
      {error ? <ErrorNote>Could not read the proposal's text: {error}</ErrorNote> : null}
    </section>
  );
}

/** The action in words, then its codec JSON and the unit of each field. */
export function ActionView({ action }: { action: Action }) {
  const json = actionToJson(action) as Draft;
  const units = Object.entries(PAYLOAD_TYPES[action.kind as ActionKind])
    .map(([name, type]) => [name, fieldHint(action.kind as ActionKind, name, type, json)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== null);
  return (
    <>
      <p className="action-words" role="note" aria-label="action in words">
        {describeAction(action)}
      </p>
      <details>
        <summary>The payload as the contracts store it (JSON)</summary>
        <pre className="payload" role="note" aria-label="payload">
          {JSON.stringify(json, null, 2)}
        </pre>
        {units.length > 0 ? (
          <p className="hint" role="note" aria-label="payload units">
            Units: {units.map(([name, unit]) => `${name} in ${unit}`).join("; ")}.
          </p>
        ) : null}
      </details>
    </>
  );
}

/** Who voted (quadratic) or staked (conviction), from the voting contract's events. */
export function Participants({ proposal }: { proposal: Proposal }) {
  const { reads, tip } = useSession();
  const quadratic = proposal.mechanism === "quadratic";
  const logs = useLoad(
    () => reads.events(quadratic ? "quadratic-voting" : "conviction-voting"),
    [reads, quadratic, tip?.stacksHeight],
  );
  if (logs.error && !logs.data) return <ErrorNote>Could not read the votes: {logs.error}</ErrorNote>;
  if (!logs.data) return <p className="hint">Reading the votes…</p>;
  if (quadratic) {
    const voters = votersFromLogs(logs.data, proposal.id);
    if (voters.length === 0) return <p className="hint">No votes yet.</p>;
    return (
      <table className="voters cards" aria-label="voters">
        <thead>
          <tr>
            <th>Voter</th>
            <th>Side</th>
            <th>Votes</th>
            <th>Credits spent</th>
          </tr>
        </thead>
        <tbody>
          {voters.map((line) => (
            <tr key={line.voter}>
              <td data-label="Voter">
                <Principal value={line.voter} />
              </td>
              <td data-label="Side" className={line.support ? "for" : "against"}>
                {line.support ? "for" : "against"}
              </td>
              <td data-label="Votes">{formatInteger(line.votes)}</td>
              <td data-label="Credits spent" title={`${formatInteger(line.creditsSpent)} GT base units`}>
                {formatGt(line.creditsSpent)} GT
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const stakers = stakersOf(stakeChangesFromLogs(logs.data, proposal.id));
  if (stakers.length === 0) return <p className="hint">Nobody has stake on it.</p>;
  return (
    <table className="voters cards" aria-label="stakers">
      <thead>
        <tr>
          <th>Staker</th>
          <th>Stake</th>
        </tr>
      </thead>
      <tbody>
        {stakers.map((line) => (
          <tr key={line.who}>
            <td data-label="Staker">
              <Principal value={line.who} />
            </td>
            <td data-label="Stake" title={`${formatInteger(line.stake)} GT base units`}>
              {formatGt(line.stake)} GT
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function stepWords(kind: string, step: QueueStep): string {
  switch (step.topic) {
    case "action-queued":
      return `queued: the relay may run it from burn block ${step.eta} until ${step.expires}`;
    case "action-claimed":
      return `claimed by a relay (attempt ${step.attempts}, lease to burn block ${step.claimExpires})`;
    case "action-executed": {
      const evidence = describeEvidence(kind, step.evidenceHex);
      return `executed; receipt: ${evidence.label} ${evidence.value}`;
    }
    case "action-failed":
      return (
        `${step.final || !step.retryable ? "failed for good" : "failed, to be retried"}: ` +
        describeRelayFailure(step.code, step.detail)
      );
    case "action-expired":
      return "expired before a relay carried it out";
    case "action-vetoed":
      return "vetoed by the guardians";
  }
}

/** What the relay did with a passed off-chain proposal: its queue status and each receipt, with the reason of a failure. */
export function RelayReceipts({ proposal, status }: { proposal: Proposal; status: ProposalStatus }) {
  const { reads, config, tip } = useSession();
  const queued = ["queued", "executing", "executed", "failed", "expired", "vetoed"].includes(status);
  const state = useLoad(async () => {
    if (!queued) return null;
    const [logs, live] = await Promise.all([reads.events("execution-queue"), reads.action(proposal.id)]);
    return { history: queueFromLogs(logs).actions.find((a) => a.id === proposal.id) ?? null, live };
  }, [reads, proposal.id, queued, tip?.stacksHeight]);
  if (!proposal.offchain || !queued) return null;
  if (state.error && !state.data) return <ErrorNote>Could not read the relay's receipts: {state.error}</ErrorNote>;
  if (!state.data) return <p className="hint">Reading the relay's receipts…</p>;
  const { history, live } = state.data;
  const lastFailure = history?.steps.filter((s) => s.topic === "action-failed").at(-1);
  return (
    <section aria-label="relay receipts">
      <h2>Carried out by the relay</h2>
      {live ? (
        <p>
          Action status: <StatusBadge status={live.status} />{" "}
          {live.status === "failed" && lastFailure?.topic === "action-failed" ? (
            <span className="error" role="status" aria-label="failure reason">
              {describeRelayFailure(lastFailure.code, lastFailure.detail)}
            </span>
          ) : live.status === "failed" && live.failureCode !== null ? (
            <span className="error" role="status" aria-label="failure reason">
              {describeRelayFailure(live.failureCode)}
            </span>
          ) : null}
        </p>
      ) : null}
      {history ? (
        <ol className="steps">
          {history.steps.map((step) => (
            <li key={`${step.txid}-${step.topic}`}>
              {stepWords(history.kind, step)}{" "}
              <a href={`${config.nodeUrl}/extended/v1/tx/0x${step.txid}`} target="_blank" rel="noreferrer">
                transaction
              </a>
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">No receipt yet.</p>
      )}
      {live?.relay ? (
        <p className="hint">
          Relay: <Principal value={live.relay} />
        </p>
      ) : null}
    </section>
  );
}
