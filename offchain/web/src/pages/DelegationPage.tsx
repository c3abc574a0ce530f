// Delegation (docs/delegation.md): the connected account's delegate and votes, a form to delegate them to another
// address or back to itself, and who delegates to whom with how much GT, from gt-token's delegate-changed events
// joined with each delegator's balance.
import { useState } from "react";
import { ErrorNote, GtAmount, Principal, TxStatus, busy } from "../components/common.tsx";
import { useLoad, useTransaction } from "../hooks.ts";
import { currentDelegations, delegateLines, parseDelegate } from "../model/delegation.ts";
import { useSession } from "../session.tsx";
import { delegateChangesFromLogs } from "../stacks/events.ts";
import { delegateCall } from "../wallet/calls.ts";

export function DelegationPage() {
  const { account, reads, tip, config } = useSession();
  const [toText, setToText] = useState("");
  const tx = useTransaction();
  const mine = useLoad(async () => {
    if (!account) return null;
    const [delegate, votes, balance] = await Promise.all([
      reads.delegateOf(account),
      reads.votes(account),
      reads.balance(account),
    ]);
    return { delegate, votes, balance };
  }, [account, reads, tip?.stacksHeight]);
  const table = useLoad(async () => {
    const delegations = currentDelegations(delegateChangesFromLogs(await reads.events("gt-token")));
    const delegators = [...new Set(delegations.map((d) => d.delegator))];
    const balances = await Promise.all(delegators.map((who) => reads.balance(who)));
    return delegateLines(delegations, new Map(delegators.map((who, i) => [who, balances[i]!])));
  }, [reads, tip?.stacksHeight]);

  const delegate = (to: string): void => {
    if (mine.data && mine.data.delegate === to) {
      tx.refuse(to === account ? "Your votes already count for you." : "You already delegate to that address.");
      return;
    }
    void tx.run(delegateCall(config.deployer, to));
  };
  const submit = (): void => {
    let to: string;
    try {
      to = parseDelegate(toText);
    } catch (error) {
      tx.refuse((error as Error).message);
      return;
    }
    delegate(to);
  };

  return (
    <section className="delegation">
      <h1>Delegation</h1>
      <p className="hint">
        Your GT counts as votes of one delegate: yourself until you delegate. Delegating moves no GT; GT you receive
        later follows your delegate. Quadratic credits are the votes delegated to a voter.
      </p>
      <h2>Your votes</h2>
      {!account ? (
        <p className="hint">Connect a wallet (or, on devnet, a test account) to delegate.</p>
      ) : mine.error && !mine.data ? (
        <ErrorNote>Could not read your delegation: {mine.error}</ErrorNote>
      ) : !mine.data ? (
        <p>Loading…</p>
      ) : (
        <>
          <p role="status" aria-label="your delegate">
            Your GT (<GtAmount base={mine.data.balance} />) counts for{" "}
            {mine.data.delegate === account ? "you" : <Principal value={mine.data.delegate} />}.
          </p>
          <p role="status" aria-label="your votes">
            Votes delegated to you: <GtAmount base={mine.data.votes} />
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <label>
              Delegate to{" "}
              <input
                aria-label="delegate address"
                value={toText}
                onChange={(e) => setToText(e.target.value)}
                placeholder="ST… address"
                spellCheck={false}
              />
            </label>{" "}
            <button type="submit" disabled={busy(tx.state)}>
              Delegate
            </button>{" "}
            <button
              type="button"
              disabled={busy(tx.state) || mine.data.delegate === account}
              onClick={() => delegate(account)}
            >
              Take my votes back
            </button>
          </form>
          <TxStatus state={tx.state} />
        </>
      )}
      <h2>Who delegates to whom</h2>
      {table.error && !table.data ? (
        <ErrorNote>Could not read the delegations: {table.error}</ErrorNote>
      ) : !table.data ? (
        <p>Loading…</p>
      ) : table.data.length === 0 ? (
        <p className="hint">No one delegates to another account.</p>
      ) : (
        <table aria-label="delegations">
          <thead>
            <tr>
              <th scope="col">Delegate</th>
              <th scope="col">Delegated GT</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {table.data.map((line) => (
              <tr key={line.delegate}>
                <td>
                  <Principal value={line.delegate} />
                </td>
                <td>
                  <GtAmount base={line.delegated} />
                </td>
                <td>
                  <ul>
                    {line.delegators.map(({ delegator, balance }) => (
                      <li key={delegator}>
                        <Principal value={delegator} />: <GtAmount base={balance} />
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
