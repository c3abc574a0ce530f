// Simulates the relay process dying just before a given journal write: the write does not happen, and from then on
// every journal call of this "process" fails, so nothing more is recorded. A new executor over the unwrapped
// journal is the restarted relay.
import type { ActionJournal, Journal, JournalState, RowPatch } from "../journal/types.ts";

export class Crash extends Error {
  override readonly name = "Crash";
}

export interface CrashPoint {
  name: string;
  /** true for the write the process dies before */
  matches(method: "move" | "patch", args: { from?: JournalState; to?: JournalState; patch: RowPatch }): boolean;
}

export const CRASH_POINTS: CrashPoint[] = [
  { name: "claim broadcast, txid not journaled", matches: (m, a) => m === "patch" && a.patch.claimTxid != null },
  {
    name: "claim confirmed, not journaled",
    matches: (m, a) => m === "move" && a.from === "seen" && a.to === "claimed",
  },
  { name: "before executing is written", matches: (m, a) => m === "move" && a.to === "executing" },
  { name: "daemon acted, answer not journaled", matches: (m, a) => m === "patch" && a.patch.daemonRef != null },
  { name: "effect final, done not journaled", matches: (m, a) => m === "move" && a.to === "done" },
  { name: "receipt broadcast, txid not journaled", matches: (m, a) => m === "patch" && a.patch.reportTxid != null },
  { name: "receipt confirmed, reported not journaled", matches: (m, a) => m === "move" && a.to === "reported" },
];

/** The write a call of the action journal makes, as the crash points describe it. */
function writeOf(method: string | symbol, args: unknown[]): Parameters<CrashPoint["matches"]> | undefined {
  const from = args[1] as JournalState;
  if (method === "move") return ["move", { from, to: args[2] as JournalState, patch: args[3] as RowPatch }];
  if (method === "close") return ["move", { from, to: "closed", patch: {} }];
  if (method === "requeue") return ["move", { from, to: "seen", patch: {} }];
  if (method === "patch") return ["patch", { patch: args[1] as RowPatch }];
  return undefined;
}

export function crashingJournal(journal: Journal, point: CrashPoint): { journal: Journal; crashed: () => boolean } {
  let dead = false;
  const dying = <T extends object>(store: T, check: boolean): T =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (dead) return Promise.reject(new Crash("the process is gone"));
          const write = check ? writeOf(property, args) : undefined;
          if (write && point.matches(...write)) {
            dead = true;
            return Promise.reject(
              new Crash(`crashed before ${write[0]} ${write[1].from ?? ""} -> ${write[1].to ?? ""}`),
            );
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const wrapped: Journal = {
    backend: journal.backend,
    actions: dying<ActionJournal>(journal.actions, true),
    cursors: dying(journal.cursors, false),
    jobs: dying(journal.jobs, false),
    spend: dying(journal.spend, false),
    proposals: dying(journal.proposals, false),
    desk: dying(journal.desk, false),
    close: () => journal.close(),
  };
  return { journal: wrapped, crashed: () => dead };
}
