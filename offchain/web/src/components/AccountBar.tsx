// The connected account and its GT balance, or the button that opens the wallet picker; on a local devnet also
// a picker of settings/Devnet.toml's test accounts, which the page signs with itself.
import { useState } from "react";
import { formatGt } from "../model/amounts.ts";
import { useLoad } from "../hooks.ts";
import { useSession } from "../session.tsx";
import { ErrorNote, Principal } from "./common.tsx";

export function AccountBar() {
  const { account, accountError, connect, disconnect, reads, tip, config, devnetAccount, signInDevnet } = useSession();
  const [chosen, setChosen] = useState(config.devnetAccounts[0]?.name ?? "");
  const balance = useLoad(async () => (account ? reads.balance(account) : null), [account, reads, tip?.stacksHeight]);
  if (!account) {
    return (
      <div className="account">
        <button type="button" onClick={() => void connect()}>
          Connect wallet
        </button>
        {config.devnetAccounts.length > 0 ? (
          <span className="devnet-picker">
            <label>
              <span className="devnet-label">devnet only</span> test account{" "}
              <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
                {config.devnetAccounts.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.name} ({a.address.slice(0, 6)}…{a.address.slice(-4)})
                  </option>
                ))}
              </select>
            </label>{" "}
            <button type="button" onClick={() => signInDevnet(chosen)}>
              Use devnet account
            </button>
          </span>
        ) : null}
        {accountError ? <ErrorNote>{accountError}</ErrorNote> : null}
      </div>
    );
  }
  return (
    <section className="account" aria-label="account">
      <Principal value={account} />
      {devnetAccount ? (
        <span className="devnet-label" title="a public settings/Devnet.toml key the page signs with; devnet only">
          devnet {devnetAccount.name}
        </span>
      ) : null}
      <span className="gt-balance" role="status" aria-label="GT balance">
        {balance.data === undefined || balance.data === null ? "…" : `${formatGt(balance.data)} GT`}
      </span>
      <button type="button" className="link" onClick={disconnect}>
        Disconnect
      </button>
      {balance.error ? <ErrorNote>{balance.error}</ErrorNote> : null}
    </section>
  );
}
