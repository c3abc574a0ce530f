// Small shared pieces: status badges, transaction progress, shortened principals, errors.
import type { ReactNode } from "react";
import type { TxPhase } from "../hooks.ts";
import { formatGt, formatInteger } from "../model/amounts.ts";
import { useSession } from "../session.tsx";

export function shortPrincipal(principal: string): string {
  const [address = "", name] = principal.split(".");
  const short = address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
  return name ? `${short}.${name}` : short;
}

export function Principal({ value }: { value: string }) {
  return (
    <code className="principal" title={value}>
      {shortPrincipal(value)}
    </code>
  );
}

/** GT base units as GT, with the exact base units in a tooltip. */
export function GtAmount({ base }: { base: bigint }) {
  return <span title={`${formatInteger(base)} GT base units`}>{formatGt(base)} GT</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {status}
    </span>
  );
}

export function ErrorNote({ children }: { children: ReactNode }) {
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

export function TxStatus({ state }: { state: TxPhase }) {
  const { config } = useSession();
  const txLink = (txid: string) => (
    <a href={`${config.nodeUrl}/extended/v1/tx/0x${txid}`} target="_blank" rel="noreferrer">
      <code>{txid.slice(0, 10)}…</code>
    </a>
  );
  switch (state.phase) {
    case "idle":
      return null;
    case "checking":
      return (
        <p className="tx tx-pending" role="status">
          Checking…
        </p>
      );
    case "refused":
      return <ErrorNote>{state.message}</ErrorNote>;
    case "wallet":
      return (
        <p className="tx tx-pending" role="status">
          Confirm in your wallet: {state.summary}
        </p>
      );
    case "pending":
      return (
        <p className="tx tx-pending" role="status">
          Waiting for the transaction {txLink(state.txid)} to be mined…
        </p>
      );
    case "success":
      return (
        <p className="tx tx-success" role="status">
          Done: {state.summary} ({txLink(state.txid)})
        </p>
      );
    case "failed":
      return (
        <p className="tx tx-failed" role="alert">
          Failed: {state.summary}: {state.message}
          {state.txid ? <> ({txLink(state.txid)})</> : null}
        </p>
      );
  }
}

export function busy(state: TxPhase): boolean {
  return state.phase === "checking" || state.phase === "wallet" || state.phase === "pending";
}
