// The proposal-level calls that fit now: conclude, apply (a passed chain action after its timelock),
// execute-proposal (a passed contract-proposal), release-bond, cancel.
import { useTransaction } from "../hooks.ts";
import { availableActions, type ProposalAction, type ProposalFacts } from "../model/proposal-actions.ts";
import { useSession } from "../session.tsx";
import { cancelCall, concludeCall, executeProposalCall, releaseBondCall, type ContractCall } from "../wallet/calls.ts";
import { decodeAction } from "../../../actions/index.ts";
import { TxStatus, busy } from "./common.tsx";

const LABELS: Record<ProposalAction, string> = {
  conclude: "Conclude",
  apply: "Apply (conclude after the timelock)",
  "execute-proposal": "Execute proposal",
  "release-bond": "Release bond",
  cancel: "Cancel proposal",
};

export function ProposalActions({ facts }: { facts: Omit<ProposalFacts, "me"> }) {
  const { account, config } = useSession();
  const tx = useTransaction();
  const actions = availableActions({ ...facts, me: account });
  if (actions.length === 0 && tx.state.phase === "idle") return null;
  const { proposal } = facts;

  const callFor = (action: ProposalAction): ContractCall => {
    switch (action) {
      case "conclude":
      case "apply":
        return concludeCall(config.deployer, proposal.id, proposal.bond);
      case "execute-proposal": {
        const decoded = decodeAction("contract-proposal", proposal.payloadHex);
        return executeProposalCall(config.deployer, proposal.id, decoded.payload.proposal);
      }
      case "release-bond":
        return releaseBondCall(config.deployer, proposal.id, proposal.bond);
      case "cancel":
        return cancelCall(config.deployer, proposal.id, proposal.bond);
    }
  };

  return (
    <div className="panel actions-panel">
      <h3>Next steps</h3>
      {!account ? <p className="hint">Connect a wallet to send these calls.</p> : null}
      <div className="buttons">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            disabled={!account || busy(tx.state)}
            onClick={() => void tx.run(callFor(action))}
          >
            {LABELS[action]}
          </button>
        ))}
      </div>
      <TxStatus state={tx.state} />
    </div>
  );
}
