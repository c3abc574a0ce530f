// A new proposal: pick a kind, fill its payload (a form generated from the codec's kind table, or its JSON form),
// and give it a title, a Markdown body and an optional discussion link (both go on-chain in the proposal-created
// event; the proposal keeps the body's hash). The payload is validated with validateAction against the live
// settings, then by action-validator on-chain, before the wallet is asked to sign `propose` with the bond. A
// contract-proposal's code-hash is read from the named contract's deployed source; a treasury-transfer shows what
// the treasury holds.
import { useMemo, useState } from "react";
import { ACTION_KINDS, PAYLOAD_TYPES, isActionKind, type ActionKind } from "../../../actions/index.ts";
import { ErrorNote, TxStatus, busy } from "../components/common.tsx";
import { ChannelPicker, useNodeChannels } from "../components/ChannelPicker.tsx";
import { PayloadFields } from "../components/PayloadFields.tsx";
import { DraftCode } from "../components/ProposalCode.tsx";
import { useLoad, useTransaction } from "../hooks.ts";
import { formatBps, formatGt, formatInteger } from "../model/amounts.ts";
import { BODY_MAX_CHARS, LINK_MAX_CHARS, bodyProblem, linkProblem, titleProblem } from "../model/details.ts";
import { exampleOnNode } from "../model/channels.ts";
import { draftToAction, emptyDraft, exampleDraft, type Draft } from "../model/payload-form.ts";
import { describeErrorCode, okUint } from "../model/tx-result.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";
import { proposeCall } from "../wallet/calls.ts";

export function ProposePage({ initialKind }: { initialKind: string | null }) {
  const { reads, account, config, tip } = useSession();
  const [kind, setKind] = useState<ActionKind>(initialKind && isActionKind(initialKind) ? initialKind : "channel-open");
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(kind));
  const [mode, setMode] = useState<"form" | "json">("form");
  const [jsonText, setJsonText] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [link, setLink] = useState("");
  const tx = useTransaction((mined) => {
    const id = okUint(mined.result);
    if (id !== null) location.hash = href.proposal(id);
  });

  const rules = useLoad(async () => {
    const [bounds, config, threshold, bond, maxActive, treasury] = await Promise.all([
      reads.payloadBounds(),
      reads.actionConfig(kind),
      reads.setting("proposal-threshold"),
      reads.setting("proposal-bond"),
      reads.setting("max-active-per-proposer"),
      kind === "treasury-transfer" ? reads.treasuryBalance() : null,
    ]);
    return { bounds, config, threshold, bond, maxActive, treasury };
  }, [reads, kind]);
  const channels = useNodeChannels();
  const mine = useLoad(
    async () => (account ? { balance: await reads.balance(account), open: await reads.openCount(account) } : null),
    [reads, account, tip?.stacksHeight],
  );

  const checked = useMemo(
    () => (rules.data ? draftToAction(kind, draft, rules.data.bounds) : null),
    [kind, draft, rules.data],
  );

  const replaceDraft = (next: Draft): void => {
    setDraft(next);
    setJsonText(JSON.stringify(next, null, 2));
    setJsonError(null);
  };
  const chooseKind = (next: ActionKind): void => {
    setKind(next);
    replaceDraft(emptyDraft(next));
    tx.reset();
  };
  const editJson = (text: string): void => {
    setJsonText(text);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("the payload must be a JSON object");
      setJsonError(null);
      setDraft(parsed as Draft);
    } catch (error) {
      setJsonError((error as Error).message);
    }
  };

  const submit = async (): Promise<void> => {
    if (!account) return tx.refuse("Connect a wallet first.");
    if (!rules.data || !checked) return tx.refuse("The DAO's settings are not loaded yet.");
    const titleError = titleProblem(title);
    if (titleError) return tx.refuse(titleError);
    const textError = bodyProblem(body) ?? (link.trim() ? linkProblem(link.trim()) : null);
    if (textError) return tx.refuse(textError);
    if (!checked.ok) return tx.refuse(`The payload is not valid: ${checked.error.message}`);
    const { threshold, bond, maxActive } = rules.data;
    if (mine.data && mine.data.balance < threshold)
      return tx.refuse(
        `ERR_BELOW_THRESHOLD: proposing takes ${formatGt(threshold)} GT; you hold ${formatGt(mine.data.balance)} GT`,
      );
    if (mine.data && mine.data.open >= maxActive)
      return tx.refuse(`ERR_TOO_MANY_ACTIVE: you already have ${mine.data.open} open proposals (at most ${maxActive})`);
    tx.begin();
    try {
      const rejected = await reads.validatePayload(kind, checked.payloadHex);
      if (rejected !== null) return tx.refuse(`The chain rejects this payload: ${describeErrorCode(rejected)}`);
      await tx.run(
        proposeCall({
          deployer: config.deployer,
          proposer: account,
          kind,
          payloadHex: checked.payloadHex,
          title: title.trim(),
          body,
          link: link.trim() || null,
          bond,
        }),
      );
    } catch (error) {
      tx.refuse((error as Error).message);
    }
  };

  const rulesFor = rules.data?.config;
  return (
    <section className="propose">
      <h1>New proposal</h1>
      <div className="field">
        <label htmlFor="kind">Kind</label>
        <select id="kind" value={kind} onChange={(e) => chooseKind(e.target.value as ActionKind)}>
          {ACTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </div>
      {rules.error ? <ErrorNote>Could not read the DAO's settings: {rules.error}</ErrorNote> : null}
      {rulesFor ? (
        <p className="hint" role="note" aria-label="voting rules">
          {rulesFor.mechanism === "quadratic"
            ? `Quadratic vote: starts ${rulesFor.votingDelay} burn blocks after proposing, ` +
              `lasts ${rulesFor.votingPeriod}; passes with ${formatInteger(rulesFor.quorumVotes)} votes, ` +
              `${formatBps(rulesFor.passBps)} for.`
            : `Conviction: members stake GT for up to ${rulesFor.votingPeriod} burn blocks; ` +
              "passes once conviction reaches the threshold."}{" "}
          Timelock {String(rulesFor.timelock)} burn blocks. Bond {formatGt(rules.data!.bond)} GT; proposing takes{" "}
          {formatGt(rules.data!.threshold)} GT.
        </p>
      ) : null}
      {rules.data?.treasury != null ? (
        <p className="hint" role="note" aria-label="treasury">
          The treasury holds {formatGt(rules.data.treasury)} GT. A transfer of more than it holds when the proposal is
          applied fails, and the bond is returned.
        </p>
      ) : null}

      <h2>Payload</h2>
      <div className="tabs">
        <button type="button" className={mode === "form" ? "active" : ""} onClick={() => setMode("form")}>
          Form
        </button>
        <button
          type="button"
          className={mode === "json" ? "active" : ""}
          onClick={() => {
            setMode("json");
            replaceDraft(draft);
          }}
        >
          JSON
        </button>
        <button
          type="button"
          className="link"
          onClick={() => replaceDraft(exampleOnNode(kind, exampleDraft(kind), channels.data?.channels ?? null))}
        >
          Fill with the example
        </button>
      </div>
      <ChannelPicker kind={kind} draft={draft} channels={channels} onChange={replaceDraft} />
      {mode === "form" ? (
        <PayloadFields kind={kind} fields={PAYLOAD_TYPES[kind]} draft={draft} onChange={setDraft} />
      ) : (
        <textarea
          aria-label="payload JSON"
          className="json"
          rows={12}
          value={jsonText}
          onChange={(e) => editJson(e.target.value)}
          spellCheck={false}
        />
      )}
      {jsonError ? <ErrorNote>Not JSON: {jsonError}</ErrorNote> : null}
      {kind === "contract-proposal" ? <DraftCode draft={draft} onFill={replaceDraft} /> : null}
      {checked ? (
        checked.ok ? (
          <p className="ok" role="status" aria-label="payload check">
            ✓ valid {kind} payload ({checked.payloadHex.length / 2} bytes)
          </p>
        ) : (
          <p className="error" role="status" aria-label="payload check">
            {checked.error.message}
          </p>
        )
      ) : null}

      <h2>About it</h2>
      <div className="field">
        <label htmlFor="title">Title</label>
        <input id="title" maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="body">
          Body <small>(Markdown, up to {formatInteger(BigInt(BODY_MAX_CHARS))} characters; stored on-chain)</small>
        </label>
        <textarea id="body" rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="link">
          Discussion link <small>(optional, http:// or https://)</small>
        </label>
        <input id="link" type="url" maxLength={LINK_MAX_CHARS} value={link} onChange={(e) => setLink(e.target.value)} />
      </div>
      <button type="button" className="primary" disabled={busy(tx.state)} onClick={() => void submit()}>
        Propose
      </button>
      <TxStatus state={tx.state} />
    </section>
  );
}
