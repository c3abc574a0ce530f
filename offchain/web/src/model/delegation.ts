// Who delegates their votes to whom (docs/delegation.md): gt-token's delegate-changed events, the latest per
// delegator, joined with each delegator's balance. The chain keeps only each holder's current delegate, so the
// events are the only list of delegators; a balance is read live, as GT received after delegating follows it.
import { validateStacksAddress } from "@stacks/transactions";

export interface DelegateChange {
  delegator: string;
  from: string;
  to: string;
  txid: string;
}

export interface Delegation {
  delegator: string;
  delegate: string;
  /** The txid of the delegator's latest delegate call. */
  txid: string;
}

/**
 * Each delegator's current delegate from its changes (oldest first): the latest change wins, and a delegator who
 * delegated back to itself counts for itself again, so it is left out. Sorted by delegate, then delegator.
 */
export function currentDelegations(changes: DelegateChange[]): Delegation[] {
  const latest = new Map<string, Delegation>();
  for (const change of changes) {
    latest.delete(change.delegator);
    if (change.to !== change.delegator)
      latest.set(change.delegator, { delegator: change.delegator, delegate: change.to, txid: change.txid });
  }
  return [...latest.values()].sort((a, b) => compare(a.delegate, b.delegate) || compare(a.delegator, b.delegator));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface DelegateLine {
  delegate: string;
  /** The delegated GT (base units): the sum of its delegators' balances. */
  delegated: bigint;
  delegators: { delegator: string; balance: bigint }[];
}

/**
 * One line per delegate with what each delegator gives it, most delegated first (then by delegate). A delegator
 * whose balance is not in `balances` is an error: the table would understate the delegate's votes.
 */
export function delegateLines(delegations: Delegation[], balances: ReadonlyMap<string, bigint>): DelegateLine[] {
  const lines = new Map<string, DelegateLine>();
  for (const { delegator, delegate } of delegations) {
    const balance = balances.get(delegator);
    if (balance === undefined) throw new Error(`no balance read for delegator ${delegator}`);
    const line = lines.get(delegate) ?? { delegate, delegated: 0n, delegators: [] };
    line.delegated += balance;
    line.delegators.push({ delegator, balance });
    lines.set(delegate, line);
  }
  return [...lines.values()].sort((a, b) =>
    a.delegated !== b.delegated ? (b.delegated > a.delegated ? 1 : -1) : compare(a.delegate, b.delegate),
  );
}

/** A delegate typed by a person: a Stacks address, or a contract principal (address.name). */
export function parseDelegate(text: string): string {
  const clean = text.trim();
  const [address = "", name, extra] = clean.split(".");
  const nameOk = name === undefined || /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/.test(name);
  if (!validateStacksAddress(address) || !nameOk || extra !== undefined)
    throw new Error(`"${text}" is not a Stacks address (or address.contract-name)`);
  return clean;
}
