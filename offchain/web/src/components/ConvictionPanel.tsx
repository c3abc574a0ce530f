// Staking GT on a conviction proposal: the stake escrows GT while the window is open (post-condition: exactly that
// much leaves the account); unstaking returns it at any time (exactly that much leaves conviction-voting).
import { useCallback, useState } from "react";
import type { TxState } from "../stacks/api.ts";
import type { Proposal, ProposalStatus } from "../stacks/types.ts";
import { useLoad, useTransaction } from "../hooks.ts";
import { AmountError, formatGt, formatInteger, parseGt } from "../model/amounts.ts";
import { useSession } from "../session.tsx";
import { stakeCall, unstakeCall } from "../wallet/calls.ts";
import { ErrorNote, TxStatus, busy } from "./common.tsx";

export function ConvictionPanel({ proposal, status }: { proposal: Proposal; status: ProposalStatus }) {
  const { account, reads, config, tip } = useSession();
  const [amountText, setAmountText] = useState("");
  // after a stake or unstake is mined the typed amount has been used: clear it
  const tx = useTransaction(useCallback((mined: TxState) => mined.status === "success" && setAmountText(""), []));
  const mine = useLoad(async () => {
    if (!account) return null;
    const [stake, balance] = await Promise.all([reads.stake(proposal.id, account), reads.balance(account)]);
    return { stake, balance };
  }, [account, reads, proposal.id, tip?.stacksHeight]);

  if (!account) return <p className="hint">Connect a wallet to stake.</p>;
  if (mine.error) return <ErrorNote>Could not read your stake: {mine.error}</ErrorNote>;
  if (!mine.data) return <p>Loading your stake…</p>;
  const { stake, balance } = mine.data;
  const burn = tip ? BigInt(tip.burnHeight) : 0n;
  const inWindow = burn >= proposal.start && burn < proposal.end && (status === "active" || status === "succeeded");
  const closed = !(status === "pending" || status === "active" || status === "succeeded");
  // a closed proposal has nothing to stake on; only a stake left on it is worth a panel, to take it back
  if (closed && stake === 0n) return null;

  const submit = (kind: "stake" | "unstake"): void => {
    let amount: bigint;
    try {
      amount = parseGt(amountText);
    } catch (error) {
      if (error instanceof AmountError) {
        tx.refuse(error.message);
        return;
      }
      throw error;
    }
    if (amount === 0n) {
      tx.refuse("ERR_ZERO_AMOUNT: stake or unstake more than 0 GT");
      return;
    }
    if (kind === "stake" && amount > balance) {
      tx.refuse(`You hold ${formatGt(balance)} GT; you cannot stake ${formatGt(amount)}.`);
      return;
    }
    if (kind === "unstake" && amount > stake) {
      tx.refuse(`ERR_INSUFFICIENT_STAKE: you have ${formatGt(stake)} GT staked here`);
      return;
    }
    void tx.run(
      kind === "stake"
        ? stakeCall(config.deployer, account, proposal.id, amount)
        : unstakeCall(config.deployer, proposal.id, amount),
    );
  };

  return (
    <div className="panel stake-panel">
      <h3>Your stake</h3>
      <p>
        Staked here:{" "}
        <strong role="status" aria-label="your stake" title={`${formatInteger(stake)} GT base units`}>
          {formatGt(stake)} GT
        </strong>
        ; in your wallet: <span title={`${formatInteger(balance)} GT base units`}>{formatGt(balance)} GT</span>.
      </p>
      <label>
        Amount (GT){" "}
        <input
          aria-label="stake amount"
          inputMode="decimal"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          placeholder="e.g. 1000"
        />
      </label>
      <div className="buttons">
        <button type="button" disabled={!inWindow || busy(tx.state)} onClick={() => submit("stake")}>
          Stake
        </button>
        <button type="button" disabled={stake === 0n || busy(tx.state)} onClick={() => submit("unstake")}>
          Unstake
        </button>
      </div>
      {!inWindow ? (
        <p className="hint">
          Staking is open during burn blocks {String(proposal.start)}–{String(proposal.end)}; unstaking at any time.
        </p>
      ) : null}
      <TxStatus state={tx.state} />
    </div>
  );
}
