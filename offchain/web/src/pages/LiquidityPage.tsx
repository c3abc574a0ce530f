// The node's liquidity as the relay last reported it (liquidity-oracle) and its history as a chart, the node's
// channels with balances and the fee policy the DAO set on each (the relay's GET /channels), how LV revenue is split
// (lv-ledger), the LV desk's pricing with the premium it gives now and its recorded trade summaries, the LV market
// live (the relay's GET /market/series), and the execution queue: each passed off-chain action with its live status
// and the relay's receipts.
import { queueFromLogs, type QueueStep } from "../stacks/queue.ts";
import { useNodeChannels } from "../components/ChannelPicker.tsx";
import { ErrorNote, Principal, StatusBadge } from "../components/common.tsx";
import { LiquidityChart } from "../components/LiquidityChart.tsx";
import { LvPricingPanel } from "../components/LvPricingPanel.tsx";
import { MarketLive } from "../components/MarketChart.tsx";
import { TradeSummaries } from "../components/TradeSummaries.tsx";
import { useLoad } from "../hooks.ts";
import { formatBps, formatInteger, formatSats } from "../model/amounts.ts";
import { describePolicy, localPercent, shortHex, type ChannelListing } from "../model/channels.ts";
import { liquidityHistory } from "../model/liquidity-history.ts";
import { describeEvidence, describeRelayFailure } from "../model/receipts.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";

/** The newest queued actions whose live status is read. */
const QUEUE_ROWS = 50;

function Step({ kind, step }: { kind: string; step: QueueStep }) {
  switch (step.topic) {
    case "action-queued":
      return (
        <>
          queued (eta {String(step.eta)}, expires {String(step.expires)})
        </>
      );
    case "action-claimed":
      return (
        <>
          claimed by <Principal value={step.relay} /> (attempt {String(step.attempts)}, lease to{" "}
          {String(step.claimExpires)})
        </>
      );
    case "action-executed": {
      const evidence = describeEvidence(kind, step.evidenceHex);
      return (
        <>
          executed: {evidence.label} <code className="hash">{evidence.value}</code>
        </>
      );
    }
    case "action-failed":
      return (
        <>
          failed ({step.retryable && !step.final ? "will retry" : "final"}):{" "}
          {describeRelayFailure(step.code, step.detail)}
        </>
      );
    case "action-expired":
      return <>expired</>;
    case "action-vetoed":
      return <>vetoed by the guardians</>;
  }
}

function ChannelTable({ listing }: { listing: ChannelListing }) {
  if (listing.channels.length === 0) return <p className="hint">The node has no open or opening channel.</p>;
  return (
    <div className="scroll-x">
      <table className="channels" aria-label="channels">
        <thead>
          <tr>
            <th>Channel</th>
            <th>Capacity</th>
            <th>Local / remote</th>
            <th>Fee policy</th>
            <th>Set by</th>
          </tr>
        </thead>
        <tbody>
          {listing.channels.map((c) => {
            const share = localPercent(c);
            return (
              <tr key={c.channelPoint} data-channel={c.channelPoint}>
                <td>
                  <code title={c.channelPoint}>
                    {shortHex(c.txid)}:{c.vout}
                  </code>{" "}
                  <small>
                    to <code title={c.peer}>{shortHex(c.peer)}</code>
                    {c.state === "opening" ? " (opening)" : c.active ? "" : " (inactive)"}
                  </small>
                </td>
                <td>{formatInteger(c.capacitySats)} sats</td>
                <td>
                  {c.localSats === null || c.remoteSats === null ? (
                    "—"
                  ) : (
                    <>
                      {formatInteger(c.localSats)} / {formatInteger(c.remoteSats)} sats
                      <div className="meter" title={`${share}% local`}>
                        <div className="meter-fill" style={{ width: `${share}%` }} />
                      </div>
                    </>
                  )}
                </td>
                <td>{c.policy ? describePolicy(c.policy) : "—"}</td>
                <td>
                  {c.setBy ? (
                    <a href={href.proposal(c.setBy.actionId)}>
                      #{String(c.setBy.actionId)} {c.setBy.kind}
                    </a>
                  ) : (
                    <small className="hint">not by a DAO action</small>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function NodeChannels() {
  const channels = useNodeChannels();
  if (channels.data === null)
    return <p className="hint">The app knows no relay (Settings: relay status URL), so it cannot list the channels.</p>;
  if (!channels.data)
    return channels.error ? (
      <ErrorNote>Could not read the node's channels from the relay: {channels.error}</ErrorNote>
    ) : (
      <p>Loading…</p>
    );
  return (
    <>
      <p className="hint" role="note" aria-label="channel list source">
        {channels.data.channels.length} channel(s), as the relay read them from lnd at{" "}
        {new Date(channels.data.updatedAt).toLocaleTimeString()}. A fee-policy, close or loop proposal picks its channel
        from this list.
      </p>
      <ChannelTable listing={channels.data} />
    </>
  );
}

export function LiquidityPage() {
  const { reads, api, config, tip } = useSession();
  const state = useLoad(async () => {
    const [liquidity, report, allocation, logs, reports, pricing] = await Promise.all([
      reads.liquidity(),
      reads.lastReport(),
      reads.allocation(),
      api.allLogs(`${config.deployer}.execution-queue`),
      api.allLogs(`${config.deployer}.liquidity-oracle`),
      reads.lvPricing(),
    ]);
    const queue = queueFromLogs(logs);
    const newest = queue.actions.slice(0, QUEUE_ROWS);
    const live = await Promise.all(newest.map((history) => reads.action(history.id)));
    return {
      liquidity,
      report,
      allocation,
      actions: newest.map((history, i) => ({ history, live: live[i] ?? null })),
      autonomous: queue.autonomous,
      history: liquidityHistory(reports),
      pricing,
    };
  }, [reads, api, config.deployer, tip?.stacksHeight, tip?.burnHeight]);

  if (state.error && !state.data) return <ErrorNote>Could not read the liquidity: {state.error}</ErrorNote>;
  if (!state.data) return <p>Loading…</p>;
  const { liquidity, report, allocation, actions, autonomous, history, pricing } = state.data;
  return (
    <section className="liquidity">
      <h1>Liquidity</h1>
      <h2>Latest snapshot</h2>
      {report.reporter ? (
        <p className="hint">
          Report {String(report.reports)}, by relay <Principal value={report.reporter} /> at burn block{" "}
          {String(report.burnHeight)}.
        </p>
      ) : (
        <p className="hint">No relay has reported yet; the values are zero.</p>
      )}
      <dl className="facts" aria-label="liquidity snapshot">
        <dt>On-chain</dt>
        <dd>{formatSats(liquidity.onchainSats)}</dd>
        <dt>Outbound</dt>
        <dd>{formatSats(liquidity.outboundSats)}</dd>
        <dt>Inbound</dt>
        <dd>{formatSats(liquidity.inboundSats)}</dd>
        <dt>Channels</dt>
        <dd>{formatInteger(liquidity.channels)}</dd>
        <dt>LV reserve</dt>
        <dd>{formatInteger(liquidity.lvReserve)} LV</dd>
        <dt>LV withdrawal</dt>
        <dd>{formatInteger(liquidity.lvWithdrawal)} LV</dd>
        <dt>Vault</dt>
        <dd>{formatSats(liquidity.vaultSats)}</dd>
      </dl>

      <h2>LV pricing</h2>
      <LvPricingPanel pricing={pricing} liquidity={liquidity} />

      <h2>Desk trade summaries</h2>
      <TradeSummaries pricing={pricing} />

      <h2>History</h2>
      <LiquidityChart points={history} />

      <h2>Channels</h2>
      <NodeChannels />

      <h2>LV market</h2>
      <MarketLive />

      <h2>LV allocation</h2>
      <dl className="facts" aria-label="LV allocation">
        <dt>Infrastructure</dt>
        <dd>{formatBps(allocation.infrastructureBps)}</dd>
        <dt>Channels</dt>
        <dd>{formatBps(allocation.channelBps)}</dd>
        <dt>Reserve</dt>
        <dd>{formatBps(allocation.reserveBps)}</dd>
      </dl>

      <h2>Action queue</h2>
      {actions.length === 0 ? <p className="hint">No action has been queued yet.</p> : null}
      {actions.length > 0 ? (
        <table className="queue" aria-label="action queue">
          <thead>
            <tr>
              <th>Action</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Receipts</th>
            </tr>
          </thead>
          <tbody>
            {actions.map(({ history, live }) => (
              <tr key={String(history.id)} data-action-id={String(history.id)}>
                <td>
                  <a href={href.proposal(history.id)}>#{String(history.id)}</a>
                </td>
                <td>
                  <code>{history.kind}</code>
                </td>
                <td>
                  {live ? <StatusBadge status={live.status} /> : "?"}
                  {live?.failureCode != null ? <small> {describeRelayFailure(live.failureCode)}</small> : null}
                </td>
                <td>{live ? String(live.attempts) : ""}</td>
                <td>
                  <ol className="steps">
                    {history.steps.map((step) => (
                      <li key={`${step.txid}-${step.topic}`}>
                        <Step kind={history.kind} step={step} />{" "}
                        <a
                          className="tx-link"
                          href={`${config.nodeUrl}/extended/v1/tx/0x${step.txid}`}
                          target="_blank"
                          rel="noreferrer"
                        >
                          tx
                        </a>
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {autonomous.length > 0 ? (
        <>
          <h2>Autonomous swaps</h2>
          <table className="queue" aria-label="autonomous swaps">
            <thead>
              <tr>
                <th>Policy</th>
                <th>Kind</th>
                <th>Amount</th>
                <th>Spent this period</th>
                <th>Evidence</th>
              </tr>
            </thead>
            <tbody>
              {autonomous.map((swap) => (
                <tr key={swap.txid}>
                  <td>
                    <a href={href.proposal(swap.policyId)}>#{String(swap.policyId)}</a>
                  </td>
                  <td>
                    <code>{swap.kind}</code>
                  </td>
                  <td>{formatInteger(swap.amount)} sats</td>
                  <td>
                    {formatInteger(swap.spent)} sats (period {String(swap.period)})
                  </td>
                  <td>
                    <code className="hash">{describeEvidence(swap.kind, swap.evidenceHex).value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
