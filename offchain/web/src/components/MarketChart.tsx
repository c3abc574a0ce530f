// The LV market live, from the relay's GET /market/series: the DAO node's inbound share, the desk's premium and the
// LV sold, as three inline SVG panels over one time axis. Geometry comes from model/market-series.ts; this draws it
// and polls the relay every few seconds while the page is open.
import { useEffect, useState } from "react";
import { useLoad, type Loaded } from "../hooks.ts";
import { marketLayout, type MarketBox, type MarketPoint, type MarketKey } from "../model/market-series.ts";
import { fetchMarketSeries } from "../relay-api.ts";
import { useSession } from "../session.tsx";
import { ErrorNote } from "./common.tsx";

const BOX: MarketBox = { width: 640, panelHeight: 90, gap: 26, left: 12, right: 150 };
const COLOURS: Record<MarketKey, string> = { inboundBps: "#1e40af", premiumBps: "#b91c1c", lvVolume: "#15803d" };
export const MARKET_POLL_MS = 3_000;

export function MarketSeriesChart({ points }: { points: MarketPoint[] }) {
  if (points.length === 0) return <p className="hint">No market sample yet: the chart starts with the desk's first.</p>;
  const panels = marketLayout(points, BOX);
  const height = panels.length * (BOX.panelHeight + BOX.gap);
  const seconds = Math.round(((points.at(-1)?.at ?? 0) - (points[0]?.at ?? 0)) / 1000);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 -14 ${BOX.width} ${height}`}
        role="img"
        aria-label={
          `LV market over ${seconds} s, ${points.length} samples: ` +
          panels.map((p) => `${p.label.toLowerCase()} ${p.last}`).join(", ")
        }
      >
        {panels.map((panel) => (
          <g key={panel.key} data-series={panel.key}>
            <rect
              x={BOX.left}
              y={panel.top}
              width={BOX.width - BOX.left - BOX.right}
              height={BOX.panelHeight}
              fill="none"
              stroke="#e4e4e0"
            />
            <text x={BOX.left} y={panel.top - 3} fontSize="11" fill="#6b6f76">
              {panel.label} (0 to {String(panel.max)} {panel.unit === "%" ? "%" : panel.unit})
            </text>
            <path d={panel.path} fill="none" stroke={COLOURS[panel.key]} strokeWidth="2" />
            <text
              x={BOX.width - BOX.right + 8}
              y={panel.top + BOX.panelHeight / 2}
              fontSize="13"
              fill={COLOURS[panel.key]}
            >
              {panel.last}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="hint">
        From the relay's desk, a sample every few seconds: the node's inbound share prices the premium (higher when
        inbound is short), and LV sold counts what the desk delivered.
      </figcaption>
    </figure>
  );
}

/** The relay's market series, reloaded every MARKET_POLL_MS; null data when the app knows no relay. */
export function useMarketSeries(): Loaded<MarketPoint[] | null> {
  const { config } = useSession();
  const relayUrl = config.relayUrl ?? null;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!relayUrl) return;
    const timer = setInterval(() => setTick((t) => t + 1), MARKET_POLL_MS);
    return () => clearInterval(timer);
  }, [relayUrl]);
  return useLoad(async () => (relayUrl ? fetchMarketSeries(relayUrl) : null), [relayUrl, tick]);
}

export function MarketLive() {
  const series = useMarketSeries();
  if (series.data === null)
    return <p className="hint">The app knows no relay (Settings: relay status URL), so it cannot show the market.</p>;
  if (!series.data)
    return series.error ? (
      <ErrorNote>Could not read the LV market from the relay: {series.error}</ErrorNote>
    ) : (
      <p>Loading…</p>
    );
  return (
    <>
      {series.error ? <ErrorNote>The last reload failed: {series.error}</ErrorNote> : null}
      <MarketSeriesChart points={series.data} />
    </>
  );
}
