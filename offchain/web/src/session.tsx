// What every page shares: the configuration, the node API and typed reads, the chain tip (polled), and the
// connected account.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { NodeApi, type Tip } from "./stacks/api.ts";
import { LvdaoReads } from "./stacks/reads.ts";
import type { AppConfig } from "./config.ts";
import { connectWallet, disconnectWallet, storedAddress } from "./wallet/wallet.ts";

export interface Session {
  config: AppConfig;
  api: NodeApi;
  reads: LvdaoReads;
  tip: Tip | null;
  tipError: string | null;
  /** Seconds per burn block as this page has seen them pass; Bitcoin's 600 until it has seen two. */
  burnBlockSeconds: number;
  /** Polls the tip now (after a transaction confirms). */
  refreshTip: () => void;
  account: string | null;
  accountError: string | null;
  connect: () => Promise<void>;
  disconnect: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

function useTip(
  api: NodeApi,
  reads: LvdaoReads,
  pollMs: number,
): { tip: Tip | null; error: string | null; refresh: () => void; burnBlockSeconds: number } {
  const [tip, setTip] = useState<Tip | null>(null);
  const firstSeen = useRef<{ burnHeight: number; at: number } | null>(null);
  const [burnBlockSeconds, setBurnBlockSeconds] = useState(600);
  const [error, setError] = useState<string | null>(null);
  // the running effect's poll, so refresh() polls now without restarting the timer
  const pollNow = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    const poll = async (): Promise<void> => {
      try {
        const next = await api.tip();
        if (stopped) return;
        // before any page reloads for the new tip, so their reads start a fresh cache generation
        reads.observeTip(next);
        const first = firstSeen.current;
        if (!first) firstSeen.current = { burnHeight: next.burnHeight, at: Date.now() };
        else if (next.burnHeight >= first.burnHeight + 2)
          setBurnBlockSeconds((Date.now() - first.at) / 1000 / (next.burnHeight - first.burnHeight));
        setError(null);
        setTip((previous) =>
          previous && previous.stacksHeight === next.stacksHeight && previous.burnHeight === next.burnHeight
            ? previous
            : next,
        );
      } catch (cause) {
        if (!stopped) setError((cause as Error).message);
      }
    };
    pollNow.current = () => void poll();
    void poll();
    const timer = setInterval(() => void poll(), pollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, reads, pollMs]);
  return { tip, error, refresh: useCallback(() => pollNow.current(), []), burnBlockSeconds };
}

export function SessionProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const api = useMemo(() => new NodeApi(config.nodeUrl), [config.nodeUrl]);
  const reads = useMemo(() => new LvdaoReads(api, config), [api, config]);
  const { tip, error: tipError, refresh: refreshTip, burnBlockSeconds } = useTip(api, reads, config.pollMs);
  const [account, setAccount] = useState<string | null>(() => storedAddress(config.network));
  const [accountError, setAccountError] = useState<string | null>(null);

  const connect = useCallback(async () => {
    setAccountError(null);
    try {
      setAccount(await connectWallet(config.network));
    } catch (error) {
      setAccountError((error as Error).message);
    }
  }, [config.network]);
  const disconnect = useCallback(() => {
    disconnectWallet();
    setAccount(null);
  }, []);

  const session = useMemo<Session>(
    () => ({
      config,
      api,
      reads,
      tip,
      tipError,
      burnBlockSeconds,
      refreshTip,
      account,
      accountError,
      connect,
      disconnect,
    }),
    [config, api, reads, tip, tipError, burnBlockSeconds, refreshTip, account, accountError, connect, disconnect],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
