import { describe, expect, it } from "vitest";
import { economyChartSvg } from "./chart.ts";
import type { EconomySample } from "./economy.ts";
import { wellFormedXml } from "./test-xml.ts";

const sample = (t: number, inboundBps: bigint, premiumBps: bigint, lvSold: bigint): EconomySample => ({
  t,
  payments: 0,
  dao: { inboundSats: inboundBps, outboundSats: 10_000n - inboundBps },
  snapshot: { inboundSats: inboundBps, outboundSats: 10_000n - inboundBps },
  inboundBps,
  premiumBps,
  customerChannelInboundBps: inboundBps - 100n,
  lvSold,
  loopOuts: 0,
  loopOutSats: 0n,
});

describe("economyChartSvg", () => {
  const samples = [
    sample(0, 5_000n, 1_000n, 0n),
    sample(5_000, 4_500n, 1_500n, 20_000n),
    sample(10_000, 5_500n, 500n, 50_000n),
  ];

  it("draws the three panels' lines in one well-formed SVG document", () => {
    const svg = economyChartSvg(samples, { title: "robots <3 & sats", targetInboundBps: 6_000n });
    expect(wellFormedXml(svg)).toEqual({ ok: true, root: "svg" });
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain("robots &#60;3 &#38; sats");
    // the inbound panel's first point: 50% on an axis from 0 to 100 (the target is 60%), 170 px high from y 40
    expect(svg).toContain('points="70.0,125.0 ');
    expect(svg).toContain(">10 s</text>");
  });

  it("refuses fewer than two samples", () => {
    expect(() => economyChartSvg(samples.slice(0, 1), { title: "x", targetInboundBps: 0n })).toThrow(
      "a chart needs at least two samples",
    );
  });

  it.each<{ name: string; svg: string; error: RegExp }>([
    { name: "an unclosed tag", svg: "<svg><g></svg>", error: /closes nothing open/ },
    { name: "a bare ampersand", svg: "<svg><text>a & b</text></svg>", error: /bare &/ },
    { name: "two roots", svg: "<svg/><svg/>", error: /more than one root/ },
    { name: "an unquoted attribute", svg: "<svg width=3></svg>", error: /malformed tag/ },
  ])("the well-formedness check catches $name", ({ svg, error }) => {
    const result = wellFormedXml(svg);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(error);
  });
});
