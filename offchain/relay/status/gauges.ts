// The gauges the relay works out when it is scraped, from the journal and the chain tip, rather than on each event:
// a value that only grows while nothing happens (a stuck action, a silent event source) must grow between events.
import { JOURNAL_STATES, TERMINAL_STATES, type JournalRow, type JournalState } from "../journal/types.ts";

export const OPEN_STATES: JournalState[] = JOURNAL_STATES.filter((s) => !TERMINAL_STATES.includes(s));

/** Burn blocks since the eta of the longest-waiting open action; 0 when none is past its eta. */
export function overdueBlocks(open: readonly Pick<JournalRow, "eta">[], burnHeight: number): number {
  return open.reduce((most, row) => Math.max(most, burnHeight - row.eta), 0);
}

/**
 * Seconds the journal has been behind the chain: since the event intake last held every contract event, or since
 * the relay started when it has not caught up once.
 */
export function journalLagSeconds(caughtUpAt: number | undefined, startedAt: number, now: number): number {
  return Math.max(0, now - (caughtUpAt ?? startedAt)) / 1000;
}
