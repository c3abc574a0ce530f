// The app's frame: navigation, the account bar, the page for the current route, and the node's tip.
import { AccountBar } from "./components/AccountBar.tsx";
import { ErrorNote } from "./components/common.tsx";
import { DelegationPage } from "./pages/DelegationPage.tsx";
import { HistoryPage } from "./pages/HistoryPage.tsx";
import { LiquidityPage } from "./pages/LiquidityPage.tsx";
import { ProposalPage } from "./pages/ProposalPage.tsx";
import { ProposalsPage } from "./pages/ProposalsPage.tsx";
import { ProposePage } from "./pages/ProposePage.tsx";
import { SettingsPage } from "./pages/SettingsPage.tsx";
import { href, useRoute, type Route } from "./routes.ts";
import { useSession } from "./session.tsx";

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "proposals":
      return <ProposalsPage offset={route.offset} />;
    case "proposal":
      return <ProposalPage key={String(route.id)} id={route.id} />;
    case "propose":
      return <ProposePage initialKind={route.kind} />;
    case "liquidity":
      return <LiquidityPage />;
    case "history":
      return <HistoryPage />;
    case "delegation":
      return <DelegationPage />;
    case "settings":
      return <SettingsPage />;
    case "not-found":
      return <ErrorNote>There is no page at {route.hash}.</ErrorNote>;
  }
}

export function App() {
  const route = useRoute();
  const { tip, tipError, config } = useSession();
  const current = (page: Route["page"] | Route["page"][]): string =>
    [page].flat().includes(route.page) ? "current" : "";
  return (
    <>
      <header>
        <a className="brand" href={href.proposals()}>
          lvdao
        </a>
        <nav>
          <a className={current(["proposals", "proposal"])} href={href.proposals()}>
            Proposals
          </a>
          <a className={current("propose")} href={href.propose()}>
            Propose
          </a>
          <a className={current("liquidity")} href={href.liquidity()}>
            Liquidity
          </a>
          <a className={current("history")} href={href.history()}>
            History
          </a>
          <a className={current("delegation")} href={href.delegation()}>
            Delegation
          </a>
          <a className={current("settings")} href={href.settings()}>
            Settings
          </a>
        </nav>
        <AccountBar />
      </header>
      <main>
        {tipError ? (
          <ErrorNote>
            The Stacks node at {config.nodeUrl} does not answer: {tipError}. Check Settings.
          </ErrorNote>
        ) : null}
        <Page route={route} />
      </main>
      <footer>
        {config.network} · {config.nodeUrl} ·{" "}
        {tip ? `Stacks block ${tip.stacksHeight} · burn block ${tip.burnHeight}` : "connecting…"}
      </footer>
    </>
  );
}
