// Simulates the relay process dying just before a given journal write: the write does not happen, and from then on
// every journal call of this "process" fails, so nothing more is recorded. A new executor over the unwrapped
// journal is the restarted relay.
import type { Journal, JournalState, RowPatch } from "../journal/types.ts";

export class Crash extends Error {
  override readonly name = "Crash";
}

export interface CrashPoint {
  name: string;
  /** true for the write the process dies before */
  matches(method: "transition" | "patch", args: { from?: JournalState; to?: JournalState; patch: RowPatch }): boolean;
}

export const CRASH_POINTS: CrashPoint[] = [
  { name: "claim broadcast, txid not journaled", matches: (m, a) => m === "patch" && a.patch.claimTxid != null },
  { name: "claim confirmed, not journaled", matches: (m, a) => m === "transition" && a.from === "seen" && a.to === "claimed" },
  { name: "before executing is written", matches: (m, a) => m === "transition" && a.to === "executing" },
  { name: "daemon acted, answer not journaled", matches: (m, a) => m === "patch" && a.patch.daemonRef != null },
  { name: "effect final, done not journaled", matches: (m, a) => m === "transition" && a.to === "done" },
  { name: "receipt broadcast, txid not journaled", matches: (m, a) => m === "patch" && a.patch.reportTxid != null },
  { name: "receipt confirmed, reported not journaled", matches: (m, a) => m === "transition" && a.to === "reported" },
];

export function crashingJournal(journal: Journal, point: CrashPoint): { journal: Journal; crashed: () => boolean } {
  let dead = false;
  const wrapped = new Proxy(journal, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (dead) return Promise.reject(new Crash("the process is gone"));
        if (property === "transition" && point.matches("transition", { from: args[1] as JournalState, to: args[2] as JournalState, patch: args[3] as RowPatch })) {
          dead = true;
          return Promise.reject(new Crash(`crashed before ${String(args[1])} -> ${String(args[2])}`));
        }
        if (property === "patch" && point.matches("patch", { patch: args[1] as RowPatch })) {
          dead = true;
          return Promise.reject(new Crash("crashed before a patch"));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { journal: wrapped, crashed: () => dead };
}
