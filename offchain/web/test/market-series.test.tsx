// The Liquidity page's LV market chart: the relay's GET /market/series parsed (integers as decimal strings), laid
// out in three panels, drawn, and read through the relay API with its errors.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarketSeriesChart } from "../src/components/MarketChart.tsx";
import { marketLayout, MarketSeriesError, parseMarketSeries, type MarketPoint } from "../src/model/market-series.ts";
import { fetchMarketSeries, RelayError } from "../src/relay-api.ts";

const sample = (at: number, inboundBps: string, premiumBps: string, lvVolume: string) => ({
  at,
  inboundBps,
  premiumBps,
  lvVolume,
});
const SERIES = {
  samples: [
    sample(1_000, "5000", "1000", "0"),
    sample(3_000, "4500", "1500", "40000"),
    sample(5_000, "6000", "0", "90000"),
  ],
};
const POINTS: MarketPoint[] = parseMarketSeries(SERIES);
const BOX = { width: 300, panelHeight: 100, gap: 20, left: 0, right: 100 };

describe("parseMarketSeries", () => {
  it("reads each sample's integers exactly", () => {
    expect(parseMarketSeries({ samples: [sample(7, "10000", "5000", "18446744073709551616")] })).toEqual([
      { at: 7, inboundBps: 10_000n, premiumBps: 5_000n, lvVolume: 2n ** 64n },
    ]);
  });

  it.each<{ name: string; json: unknown; message: string }>([
    { name: "no samples list", json: { points: [] }, message: "the market series has no samples list" },
    { name: "null", json: null, message: "the market series has no samples list" },
    {
      name: "a number where a string belongs",
      json: { samples: [{ ...sample(1, "1", "1", "1"), premiumBps: 1 }] },
      message: "sample 0: premiumBps must be a non-negative integer as a decimal string",
    },
    {
      name: "a negative volume",
      json: { samples: [sample(1, "1", "1", "-5")] },
      message: "sample 0: lvVolume must be a non-negative integer as a decimal string",
    },
    {
      name: "inbound over 100%",
      json: { samples: [sample(1, "1", "1", "1"), sample(2, "10001", "1", "1")] },
      message: "sample 1: inboundBps is over 10000",
    },
    { name: "a string time", json: { samples: [{ ...sample(1, "1", "1", "1"), at: "1" }] }, message: "sample 0: at" },
  ])("refuses $name", ({ json, message }) => {
    expect(() => parseMarketSeries(json)).toThrow(MarketSeriesError);
    expect(() => parseMarketSeries(json)).toThrow(message);
  });
});

describe("marketLayout", () => {
  it("puts time across and each panel's value up from its bottom", () => {
    const [inbound, premium, volume] = marketLayout(POINTS, BOX);
    // inbound share on a 0..100% axis: 50% is half way up the first panel
    expect(inbound).toMatchObject({ key: "inboundBps", top: 0, max: 100n, last: "60.00%" });
    expect(inbound?.path).toBe("M0 50 L100 55 L200 40");
    // premium up to a round 2000 bps; the second panel starts below the first and its gap
    expect(premium).toMatchObject({ key: "premiumBps", top: 120, max: 2_000n, last: "0 bps" });
    expect(premium?.path).toBe("M0 170 L100 145 L200 220");
    expect(volume).toMatchObject({ key: "lvVolume", top: 240, max: 100_000n, last: "90000 LV" });
    expect(volume?.path).toBe("M0 340 L100 300 L200 250");
  });

  it("puts a single sample at the left edge", () => {
    const [inbound] = marketLayout(POINTS.slice(0, 1), BOX);
    expect(inbound?.path).toBe("M0 50");
  });
});

describe("MarketSeriesChart", () => {
  it("draws one path per panel and says the latest values", () => {
    const html = renderToStaticMarkup(<MarketSeriesChart points={POINTS} />);
    expect(html.match(/<path /g)).toHaveLength(3);
    expect(html).toContain(
      'aria-label="LV market over 4 s, 3 samples: inbound share 60.00%, premium 0 bps, lv sold 90000 LV"',
    );
    for (const key of ["inboundBps", "premiumBps", "lvVolume"]) expect(html).toContain(`data-series="${key}"`);
  });

  it("says so when there is no sample yet", () => {
    expect(renderToStaticMarkup(<MarketSeriesChart points={[]} />)).toContain("No market sample yet");
  });
});

describe("fetchMarketSeries", () => {
  const answering =
    (status: number, body: unknown): typeof fetch =>
    async () =>
      new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  it("reads GET /market/series from the relay", async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (url, init) => {
      seen.push(`${String(url)} ${init?.cache}`);
      return answering(200, SERIES)(url, init);
    };
    expect(await fetchMarketSeries("http://127.0.0.1:9", fetchImpl)).toEqual(POINTS);
    expect(seen).toEqual(["http://127.0.0.1:9/market/series no-store"]);
  });

  it("reports a relay that samples no market with its message", async () => {
    const fetchImpl = answering(503, { error: "unavailable", message: "nothing samples the LV market here (no desk)" });
    await expect(fetchMarketSeries("http://relay", fetchImpl)).rejects.toThrow(
      new RelayError("the relay's /market/series answered 503: nothing samples the LV market here (no desk)"),
    );
  });

  it("reports an unreachable relay", async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(fetchMarketSeries("http://relay", fetchImpl)).rejects.toThrow(
      "the relay at http://relay is unreachable, or does not let this page read it (fetch failed)",
    );
  });
});
