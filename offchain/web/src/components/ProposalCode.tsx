// A contract-proposal's code as voters check it: the code hash the payload pins, whether the contract's deployed
// source has that hash, and the contracts that code calls (by name, and through traits to targets chosen at run
// time). The source comes from the node's /v2/contracts/source; the verdict is the codec's.
import { useEffect, useRef } from "react";
import {
  describeProposalCode,
  proposalCode,
  type ContractProposal,
  type ProposalCode,
} from "../../../actions/index.ts";
import { useLoad } from "../hooks.ts";
import { draftContract, draftProposal, fillCodeHash } from "../model/proposal-code.ts";
import type { Draft } from "../model/payload-form.ts";
import { useSession } from "../session.tsx";
import { ErrorNote } from "./common.tsx";

export function ProposalCodePanel({ check }: { check: ProposalCode }) {
  return (
    <section className="panel code-panel" aria-label="proposal code">
      <h3>Code</h3>
      <dl className="facts">
        <dt>Code hash</dt>
        <dd>
          <code className="hash">{check.payloadHash}</code>
        </dd>
        <dt>Deployed source</dt>
        <dd className={check.state === "matches" ? "ok" : "error"}>
          <span role="status" aria-label="code check">
            {describeProposalCode(check)}
          </span>
        </dd>
        {check.state !== "missing" ? (
          <>
            <dt>Calls</dt>
            <dd>
              <section aria-label="contracts called">
                {check.calls.contracts.length === 0 ? (
                  "no contract by name"
                ) : (
                  <ul className="calls">
                    {check.calls.contracts.map((called) => (
                      <li key={called.contract}>
                        <code>{called.contract}</code>: {called.functions.join(", ")}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </dd>
            {check.calls.throughTraits.length > 0 ? (
              <>
                <dt>Through a trait</dt>
                <dd>
                  <section aria-label="calls through a trait">
                    <span className="hint">The target is whatever contract the caller passes; check each one.</span>
                    <ul className="calls">
                      {check.calls.throughTraits.map((call) => (
                        <li key={`${call.line}-${call.via}-${call.function}`}>
                          line {call.line}: <code>{call.via}</code> {call.function}{" "}
                          {call.trait ? <code>{call.trait}</code> : "(no declared trait)"}
                        </li>
                      ))}
                    </ul>
                  </section>
                </dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** A proposal's payload against the contract's deployed source. */
export function DeployedCode({ payload }: { payload: ContractProposal }) {
  const { api } = useSession();
  const source = useLoad(() => api.contractSource(payload.proposal), [api, payload.proposal]);
  if (source.error && source.data === undefined)
    return (
      <ErrorNote>
        Could not read the source of {payload.proposal}: {source.error}
      </ErrorNote>
    );
  if (source.data === undefined) return <p className="hint">Reading the source of {payload.proposal}…</p>;
  return <ProposalCodePanel check={proposalCode(payload, source.data ?? undefined)} />;
}

/**
 * The propose form's contract-proposal: reads the named contract's source, fills code-hash from it until the
 * proposer types their own, and shows the check of the draft as it stands.
 */
export function DraftCode({ draft, onFill }: { draft: Draft; onFill: (draft: Draft) => void }) {
  const { api } = useSession();
  const contract = draftContract(draft);
  const source = useLoad(
    async () => (contract ? { contract, source: await api.contractSource(contract) } : null),
    [api, contract],
  );
  const lastFilled = useRef<string | null>(null);
  const current = source.data && source.data.contract === contract ? source.data : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on a new source or hash, not per keystroke
  useEffect(() => {
    if (!current?.source) return;
    const filled = fillCodeHash(draft, current.source, lastFilled.current);
    if (filled === draft) return;
    lastFilled.current = filled["code-hash"] as string;
    onFill(filled);
  }, [current, draft["code-hash"]]);

  if (!contract)
    return <p className="hint">Name the proposal contract (address.name) to read its code hash from the chain.</p>;
  if (source.error && !current)
    return (
      <ErrorNote>
        Could not read the source of {contract}: {source.error}
      </ErrorNote>
    );
  if (!current) return <p className="hint">Reading the source of {contract}…</p>;
  const payload = draftProposal(draft);
  if (current.source === null) {
    return (
      <ErrorNote>
        No contract {contract} is deployed: the chain refuses this proposal (ERR_CONTRACT_MISSING). Deploy it first.
      </ErrorNote>
    );
  }
  return payload ? <ProposalCodePanel check={proposalCode(payload, current.source)} /> : null;
}
