// Loading chain data into components, and running a wallet transaction through to its mined result.
import { useCallback, useEffect, useRef, useState } from "react";
import type { TxState } from "./stacks/api.ts";
import { explainFailure } from "./model/tx-result.ts";
import { useSession } from "./session.tsx";
import type { ContractCall } from "./wallet/calls.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `deps` change (pages pass the tip, so data follows new blocks). The previous data stays on
 * screen while a reload runs; an answer that arrives after a newer request started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: null, loading: true });
  const sequence = useRef(0);
  useEffect(() => {
    const mine = ++sequence.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => mine === sequence.current && setState({ data, error: null, loading: false }),
      (error: Error) =>
        mine === sequence.current &&
        setState((previous) => ({ data: previous.data, error: error.message, loading: false })),
    );
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` depends on in `deps`
  }, deps);
  return state;
}

export type TxPhase =
  | { phase: "idle" }
  | { phase: "checking" }
  | { phase: "refused"; message: string }
  | { phase: "wallet"; summary: string }
  | { phase: "pending"; summary: string; txid: string }
  | { phase: "success"; summary: string; txid: string; tx: TxState }
  | { phase: "failed"; summary: string; txid: string | null; message: string };

/** Hands a call to the wallet, then polls the node until the transaction is mined, and says how it ended. */
export interface Transaction {
  state: TxPhase;
  /** Shows that checks run before the wallet is asked. */
  begin: () => void;
  run: (call: ContractCall) => Promise<void>;
  refuse: (message: string) => void;
  reset: () => void;
}

export function useTransaction(onMined?: (tx: TxState) => void): Transaction {
  const { api, config, refreshTip, sign } = useSession();
  const [state, setState] = useState<TxPhase>({ phase: "idle" });
  const alive = useRef(true);
  // Set on every mount, not only at creation: React's StrictMode (development builds) mounts, unmounts and mounts
  // again, and a ref left false by the first unmount would silence every later state update.
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const set = useCallback((next: TxPhase): void => {
    if (alive.current) setState(next);
  }, []);

  const run = useCallback(
    async (call: ContractCall) => {
      set({ phase: "wallet", summary: call.summary });
      let txid: string;
      try {
        txid = await sign(call);
      } catch (error) {
        set({ phase: "failed", summary: call.summary, txid: null, message: (error as Error).message });
        return;
      }
      set({ phase: "pending", summary: call.summary, txid });
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(config.pollMs, 1000)));
        if (!alive.current) return;
        let tx: TxState;
        try {
          tx = await api.tx(txid);
        } catch {
          continue; // the node may not list a just-broadcast transaction yet
        }
        if (tx.status === "pending") continue;
        refreshTip();
        if (tx.status === "success" && tx.result.startsWith("(ok"))
          set({ phase: "success", summary: call.summary, txid, tx });
        else set({ phase: "failed", summary: call.summary, txid, message: explainFailure(tx) });
        onMined?.(tx);
        return;
      }
    },
    [api, sign, config.pollMs, refreshTip, onMined, set],
  );
  const begin = useCallback(() => set({ phase: "checking" }), [set]);
  const refuse = useCallback((message: string) => set({ phase: "refused", message }), [set]);
  const reset = useCallback(() => set({ phase: "idle" }), [set]);
  return { state, begin, run, refuse, reset };
}
