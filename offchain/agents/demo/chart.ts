// The demo's chart as an SVG string: three panels over the run's seconds, sharing the time axis: the DAO node's
// inbound share (with the customer's channel and the pricing's target), the desk's premium, and the LV sold. Pure,
// so a test can check the document it makes.
import type { EconomySample } from "./economy.ts";

export interface ChartOptions {
  title: string;
  targetInboundBps: bigint;
  width?: number;
}

interface Panel {
  label: string;
  unit: string;
  series: { name: string; color: string; dashed?: boolean; values: number[] }[];
  /** a horizontal reference line */
  reference?: { value: number; label: string };
}

const PANEL_HEIGHT = 170;
const MARGIN = { left: 70, right: 170, top: 40, gap: 40, bottom: 40 };

export function economyChartSvg(samples: readonly EconomySample[], options: ChartOptions): string {
  if (samples.length < 2) throw new RangeError("a chart needs at least two samples");
  const width = options.width ?? 900;
  const seconds = samples.map((s) => s.t / 1000);
  const panels: Panel[] = [
    {
      label: "DAO inbound share",
      unit: "%",
      series: [
        { name: "all channels", color: "#1f77b4", values: samples.map((s) => Number(s.inboundBps) / 100) },
        {
          name: "customer channel",
          color: "#ff7f0e",
          dashed: true,
          values: samples.map((s) => Number(s.customerChannelInboundBps) / 100),
        },
      ],
      reference: { value: Number(options.targetInboundBps) / 100, label: "target" },
    },
    {
      label: "Desk premium",
      unit: "bps",
      series: [{ name: "premium", color: "#d62728", values: samples.map((s) => Number(s.premiumBps)) }],
    },
    {
      label: "LV sold (cumulative)",
      unit: "LV",
      series: [{ name: "LV delivered", color: "#2ca02c", values: samples.map((s) => Number(s.lvSold)) }],
    },
  ];
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const height = MARGIN.top + panels.length * (PANEL_HEIGHT + MARGIN.gap) + MARGIN.bottom - MARGIN.gap;
  const tMax = Math.max(seconds[seconds.length - 1] as number, 1e-9);
  const x = (t: number) => MARGIN.left + (t / tMax) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = MARGIN.top + index * (PANEL_HEIGHT + MARGIN.gap);
    const all = panel.series.flatMap((s) => s.values).concat(panel.reference ? [panel.reference.value] : []);
    const lo = Math.min(0, ...all);
    const hi = Math.max(...all, lo + 1);
    const span = niceCeil(hi - lo);
    const y = (v: number) => top + PANEL_HEIGHT - ((v - lo) / span) * PANEL_HEIGHT;
    parts.push(
      `<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`,
      `<text x="${MARGIN.left}" y="${top - 6}" font-weight="bold">${escapeXml(panel.label)} (${panel.unit})</text>`,
    );
    for (let tick = 0; tick <= 4; tick += 1) {
      const value = lo + (span * tick) / 4;
      parts.push(
        `<line x1="${MARGIN.left - 4}" x2="${MARGIN.left}" y1="${fmt(y(value))}" y2="${fmt(y(value))}" stroke="#999"/>`,
        `<text x="${MARGIN.left - 8}" y="${fmt(y(value) + 4)}" text-anchor="end">${label(value)}</text>`,
      );
    }
    if (panel.reference) {
      const ry = fmt(y(panel.reference.value));
      parts.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${ry}" y2="${ry}" stroke="#666" ` +
          `stroke-dasharray="2 4"/>`,
        `<text x="${MARGIN.left + plotWidth + 6}" y="${ry}">${escapeXml(panel.reference.label)}</text>`,
      );
    }
    panel.series.forEach((series, s) => {
      const points = series.values.map((v, i) => `${fmt(x(seconds[i] as number))},${fmt(y(v))}`).join(" ");
      const dash = series.dashed ? ' stroke-dasharray="6 3"' : "";
      parts.push(
        `<polyline fill="none" stroke="${series.color}" stroke-width="2"${dash} points="${points}"/>`,
        `<text x="${MARGIN.left + plotWidth + 6}" y="${top + 16 + s * 16}" fill="${series.color}">` +
          `${escapeXml(series.name)}</text>`,
      );
    });
  });
  const axisY = height - MARGIN.bottom + 16;
  for (let tick = 0; tick <= 5; tick += 1) {
    const t = (tMax * tick) / 5;
    parts.push(`<text x="${fmt(x(t))}" y="${axisY}" text-anchor="middle">${label(t)} s</text>`);
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function label(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function fmt(value: number): string {
  return value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
