// What every page shares: the configuration, the node API and typed reads, the chain tip (polled), and the
// connected account.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { NodeApi, type Tip } from "./stacks/api.ts";
import { LvdaoReads } from "./stacks/reads.ts";
import type { AppConfig, DevnetAccount } from "./config.ts";
import type { ContractCall } from "./wallet/calls.ts";
import { signWithDevnetAccount } from "./wallet/devnet-signer.ts";
import { connectWallet, disconnectWallet, signAndBroadcast, storedAddress } from "./wallet/wallet.ts";

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
  /** The devnet test account the page signs with itself, when the member signed in with the devnet picker. */
  devnetAccount: DevnetAccount | null;
  accountError: string | null;
  connect: () => Promise<void>;
  /** Signs in with a settings/Devnet.toml account (offered on a local devnet only). */
  signInDevnet: (name: string) => void;
  disconnect: () => void;
  /** Signs and broadcasts through the wallet, or with the devnet account's key; resolves with the txid. */
  sign: (call: ContractCall) => Promise<string>;
}

const DEVNET_ACCOUNT_KEY = "lvdao.devnetAccount";

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
  const [devnetAccount, setDevnetAccount] = useState<DevnetAccount | null>(
    () => config.devnetAccounts.find((a) => a.name === localStorage.getItem(DEVNET_ACCOUNT_KEY)) ?? null,
  );
  const [walletAccount, setAccount] = useState<string | null>(() => storedAddress(config.network));
  const account = devnetAccount?.address ?? walletAccount;
  const [accountError, setAccountError] = useState<string | null>(null);

  const connect = useCallback(async () => {
    setAccountError(null);
    try {
      setAccount(await connectWallet(config.network));
    } catch (error) {
      setAccountError((error as Error).message);
    }
  }, [config.network]);
  const signInDevnet = useCallback(
    (name: string) => {
      const chosen = config.devnetAccounts.find((a) => a.name === name) ?? null;
      setAccountError(chosen ? null : `no devnet account named ${name}`);
      setDevnetAccount(chosen);
      if (chosen) localStorage.setItem(DEVNET_ACCOUNT_KEY, chosen.name);
    },
    [config.devnetAccounts],
  );
  const disconnect = useCallback(() => {
    if (devnetAccount) {
      localStorage.removeItem(DEVNET_ACCOUNT_KEY);
      setDevnetAccount(null);
      return;
    }
    disconnectWallet();
    setAccount(null);
  }, [devnetAccount]);
  const sign = useCallback(
    (call: ContractCall) =>
      devnetAccount
        ? signWithDevnetAccount(call, devnetAccount, config.nodeUrl)
        : signAndBroadcast(call, config.network),
    [devnetAccount, config.nodeUrl, config.network],
  );

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
      devnetAccount,
      accountError,
      connect,
      signInDevnet,
      disconnect,
      sign,
    }),
    [
      config,
      api,
      reads,
      tip,
      tipError,
      burnBlockSeconds,
      refreshTip,
      account,
      devnetAccount,
      accountError,
      connect,
      signInDevnet,
      disconnect,
      sign,
    ],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
