// Voting on a quadratic proposal: the voter's credits (the votes delegated to it both at the block before the
// proposal and at its snapshot, gt-token.get-votes-held), what the votes typed would cost (votes^2, on top of
// earlier votes), and the vote call once the numbers fit. Before the snapshot block the credits are shown as what
// they can be at most.
// Credits are GT base units and show as GT; votes are the square root of the credits they spend.
import { useCallback, useState } from "react";
import type { TxState } from "../stacks/api.ts";
import type { Proposal, ProposalStatus } from "../stacks/types.ts";
import { useLoad, useTransaction } from "../hooks.ts";
import { AmountError, formatGt, formatInteger, parseWhole } from "../model/amounts.ts";
import { checkVote, maxMoreVotes, voteCost } from "../model/quadratic.ts";
import { useSession } from "../session.tsx";
import { voteCall } from "../wallet/calls.ts";
import { ErrorNote, TxStatus, busy } from "./common.tsx";

export function QuadraticPanel({ proposal, status }: { proposal: Proposal; status: ProposalStatus }) {
  const { account, reads, config, tip } = useSession();
  const [votesText, setVotesText] = useState("");
  // after a vote is mined the typed number has been spent: clear it
  const tx = useTransaction(useCallback((mined: TxState) => mined.status === "success" && setVotesText(""), []));
  const mine = useLoad(async () => {
    if (!account) return null;
    const [held, vote] = await Promise.all([reads.credits(proposal.id, account), reads.vote(proposal.id, account)]);
    return { ...held, vote };
  }, [account, reads, proposal.id, proposal.snapshotHeight, tip?.stacksHeight]);

  if (!account) return <p className="hint">Connect a wallet to vote.</p>;
  if (mine.error) return <ErrorNote>Could not read your credits: {mine.error}</ErrorNote>;
  if (!mine.data) return <p>Loading your credits…</p>;
  const { credits, vote, final, heldFrom, snapshot } = mine.data;
  const prev = vote?.votes ?? 0n;

  let votes: bigint | null = null;
  let inputError: string | null = null;
  if (votesText.trim() !== "") {
    try {
      votes = parseWhole(votesText, "votes");
    } catch (error) {
      if (!(error instanceof AmountError)) throw error;
      inputError = error.message;
    }
  }
  const cost = votes !== null ? voteCost(prev, votes) : null;
  const open = status === "active";

  const cast = (support: boolean): void => {
    if (votes === null) {
      tx.refuse("Type how many votes to cast.");
      return;
    }
    const problem = checkVote({ credits, previous: vote, votes, support });
    if (problem) {
      tx.refuse(`${problem.code}: ${problem.reason}`);
      return;
    }
    void tx.run(voteCall(config.deployer, proposal.id, votes, support));
  };

  return (
    <div className="panel vote-panel">
      <h3>Your vote</h3>
      <p>
        {final ? "Credits" : "Credits, at most"} (the GT you held at both Stacks block {String(heldFrom)} and the
        snapshot, block {String(snapshot)}):{" "}
        <strong role="status" aria-label="credits" title={`${formatInteger(credits)} GT base units`}>
          {formatGt(credits)} GT
        </strong>
        . Votes are the square root of the credits they spend, counted in GT base units (10⁻⁶ GT):{" "}
        <span>
          <em>n</em> votes cost <em>n</em>² base units, so 1,000 votes cost 1 GT.
        </span>
      </p>
      {final ? null : (
        <p className="hint" role="status" aria-label="credits pending">
          Your credits are fixed at the snapshot: GT you move away before block {String(snapshot)} will not count.
        </p>
      )}
      {vote ? (
        <p role="status" aria-label="your vote">
          You hold {formatInteger(vote.votes)} votes {vote.support ? "for" : "against"} (
          <span title={`${formatInteger(vote.creditsSpent)} GT base units`}>{formatGt(vote.creditsSpent)} GT</span> of
          credits spent).
        </p>
      ) : null}
      <label>
        Votes to add{" "}
        <input
          aria-label="votes"
          inputMode="numeric"
          value={votesText}
          onChange={(e) => setVotesText(e.target.value)}
          disabled={!open}
          placeholder="e.g. 1000"
        />
      </label>{" "}
      <small>at most {formatInteger(maxMoreVotes(credits, prev))} more (√ of your credits in base units)</small>
      {inputError ? <ErrorNote>{inputError}</ErrorNote> : null}
      {cost !== null ? (
        <p role="status" aria-label="vote cost" className={cost + prev * prev > credits ? "error" : undefined}>
          Cost: <span title={`${formatInteger(cost)} GT base units`}>{formatGt(cost)} GT</span> of credits; you would
          hold {formatInteger(prev + votes!)} votes = √{formatInteger((prev + votes!) * (prev + votes!))} base units,
          spending {formatGt(cost + prev * prev)} of your {formatGt(credits)} GT of credits.
        </p>
      ) : null}
      <div className="buttons">
        <button type="button" disabled={!open || busy(tx.state) || vote?.support === false} onClick={() => cast(true)}>
          Vote for
        </button>
        <button type="button" disabled={!open || busy(tx.state) || vote?.support === true} onClick={() => cast(false)}>
          Vote against
        </button>
      </div>
      {!open ? (
        <p className="hint">
          Voting is open while the proposal is active (burn blocks {String(proposal.start)}–{String(proposal.end)}).
        </p>
      ) : null}
      <TxStatus state={tx.state} />
    </div>
  );
}
