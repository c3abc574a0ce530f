// The node's liquidity over time as an inline SVG line chart: outbound and inbound sats over the channels at each
// of the relay's reports to liquidity-oracle. Geometry comes from model/liquidity-history.ts; this only draws it.
import { formatInteger } from "../model/amounts.ts";
import { chartLayout, type ChartBox, type LiquidityPoint } from "../model/liquidity-history.ts";

const BOX: ChartBox = { width: 640, height: 240, left: 92, right: 12, top: 12, bottom: 28 };
const COLOURS = { outboundSats: "#f7931a", inboundSats: "#1e40af" } as const;

export function LiquidityChart({ points }: { points: LiquidityPoint[] }) {
  if (points.length === 0) return <p className="hint">No report yet: the chart starts with the relay's first one.</p>;
  const layout = chartLayout(points, BOX);
  const last = points.at(-1)!;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-label={
          `liquidity history: ${points.length} reports, the last at burn block ${last.burnHeight}: ` +
          `outbound ${formatInteger(last.outboundSats)} sats, inbound ${formatInteger(last.inboundSats)} sats, ` +
          `on-chain ${formatInteger(last.onchainSats)} sats`
        }
      >
        {layout.yTicks.map((tick) => (
          <g key={String(tick.value)}>
            <line x1={BOX.left} x2={BOX.width - BOX.right} y1={tick.y} y2={tick.y} stroke="#e4e4e0" />
            <text x={BOX.left - 6} y={tick.y + 4} textAnchor="end" fontSize="11" fill="#6b6f76">
              {formatInteger(tick.value)}
            </text>
          </g>
        ))}
        {layout.xTicks.map((tick) => (
          <text
            key={String(tick.height)}
            x={tick.x}
            y={BOX.height - 8}
            textAnchor="middle"
            fontSize="11"
            fill="#6b6f76"
          >
            {String(tick.height)}
          </text>
        ))}
        {layout.series.map((s) => (
          <g key={s.key} data-series={s.key}>
            <path d={s.path} fill="none" stroke={COLOURS[s.key]} strokeWidth="2" />
            {s.points.map((p, i) => (
              <circle key={String(points[i]!.burnHeight)} cx={p.x} cy={p.y} r="3" fill={COLOURS[s.key]} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="hint">
        Channel sats by burn block, from each report to liquidity-oracle:{" "}
        {layout.series.map((s, i) => (
          <span key={s.key}>
            {i > 0 ? ", " : ""}
            <span className="swatch" style={{ background: COLOURS[s.key] }} /> {s.label.toLowerCase()}
          </span>
        ))}
        .
      </figcaption>
    </figure>
  );
}
