// The connected account and its GT balance, or the button that opens the wallet picker.
import { formatGt } from "../model/amounts.ts";
import { useLoad } from "../hooks.ts";
import { useSession } from "../session.tsx";
import { ErrorNote, Principal } from "./common.tsx";

export function AccountBar() {
  const { account, accountError, connect, disconnect, reads, tip } = useSession();
  const balance = useLoad(async () => (account ? reads.balance(account) : null), [account, reads, tip?.stacksHeight]);
  if (!account) {
    return (
      <div className="account">
        <button type="button" onClick={() => void connect()}>
          Connect wallet
        </button>
        {accountError ? <ErrorNote>{accountError}</ErrorNote> : null}
      </div>
    );
  }
  return (
    <section className="account" aria-label="account">
      <Principal value={account} />
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
