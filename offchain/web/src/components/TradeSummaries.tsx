// The LV desk's trade summaries (lv-ledger.get-trade-summary) for the newest complete pricing periods: one read per
// period shown, so the page's reads stay bounded however long the chain runs.
import type { ChainPricing, RecordedTradeSummary } from "../../../market/pricing-chain.ts";
import { useLoad } from "../hooks.ts";
import { formatInteger } from "../model/amounts.ts";
import { completePeriods, SUMMARY_PERIODS, summaryText, type SummaryPeriod } from "../model/trade-summaries.ts";
import { useSession } from "../session.tsx";
import { ErrorNote } from "./common.tsx";

export interface SummaryRow {
  period: SummaryPeriod;
  summary: RecordedTradeSummary | null;
}

export function TradeSummaryTable({ rows }: { rows: SummaryRow[] }) {
  if (rows.length === 0) return <p className="hint">No pricing period has ended yet.</p>;
  return (
    <div className="scroll-x">
      <table className="queue" aria-label="trade summaries">
        <thead>
          <tr>
            <th>Period</th>
            <th>Trades</th>
            <th>LV volume</th>
            <th>Sats volume</th>
            <th>Avg premium</th>
            <th>Trades hash</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ period, summary }) => {
            const label = (
              <td title={`Stacks blocks ${period.firstBlock}-${period.lastBlock}`}>{formatInteger(period.index)}</td>
            );
            if (!summary)
              return (
                <tr key={String(period.index)} data-period={String(period.index)}>
                  {label}
                  <td colSpan={5} className="hint">
                    no summary recorded
                  </td>
                </tr>
              );
            const text = summaryText(summary);
            return (
              <tr key={String(period.index)} data-period={String(period.index)}>
                {label}
                <td>{text.trades}</td>
                <td title={text.lvVolumeRaw}>{text.lvVolume}</td>
                <td title={text.satsVolumeRaw}>{text.satsVolume}</td>
                <td>{text.avgPremium}</td>
                <td>
                  <code title={text.hash}>{text.hashShort}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TradeSummaries({ pricing }: { pricing: ChainPricing | null }) {
  if (!pricing) return <p className="hint">No lv-pricing is set, so the desk records no trade summaries.</p>;
  return <RecordedSummaries period={pricing.period} />;
}

function RecordedSummaries({ period }: { period: bigint }) {
  const { reads, tip } = useSession();
  const height = tip ? BigInt(tip.stacksHeight) : null;
  const state = useLoad(async () => {
    if (height === null) return null;
    const periods = completePeriods(height, period, SUMMARY_PERIODS);
    const summaries = await Promise.all(periods.map((p) => reads.tradeSummary(p.index)));
    return periods.map((p, i) => ({ period: p, summary: summaries[i] ?? null }));
  }, [reads, period, height]);

  if (state.error && !state.data) return <ErrorNote>Could not read the trade summaries: {state.error}</ErrorNote>;
  if (!state.data) return <p>Loading…</p>;
  return <TradeSummaryTable rows={state.data} />;
}
