// The desk's API over real HTTP, on the relay's status server: each route's answer, and refusals as 4xx
// {error, reason} with nothing made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteJournal } from "../journal/sqlite.ts";
import { createLogger } from "../log.ts";
import { DEFAULT_DESK_OPTIONS, Desk } from "../market/desk.ts";
import { marketApi } from "../market/http.ts";
import { startStatusServer } from "../status/http.ts";
import { FakeDeskLnd, FakeDeskTapd, FakeMarket, LV_GROUP } from "./desk-fakes.ts";

const log = createLogger({ level: "error", sink: () => undefined });
const lnd = new FakeDeskLnd();
const tapd = new FakeDeskTapd();
let server: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  const journal = await openSqliteJournal(":memory:");
  const desk = new Desk({
    store: journal.desk,
    lnd,
    tapd,
    market: new FakeMarket(),
    lv: async () => ({ groupKey: LV_GROUP, assetId: undefined }),
    log,
    options: { ...DEFAULT_DESK_OPTIONS, invoiceNetwork: "regtest" },
  });
  const unused = async () => {
    throw new Error("not asked");
  };
  server = await startStatusServer(
    { host: "127.0.0.1", port: 0 },
    { status: unused, metrics: unused, health: unused, channels: unused },
    log,
    { market: marketApi(desk, log) },
  );
});
afterAll(() => server.stop());

const post = async (path: string, body: unknown) => {
  const res = await fetch(server.url + path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
};

describe("the desk API", () => {
  it("POST /market/quote answers the quote with integers as decimal strings", async () => {
    const { status, body } = await post("/market/quote", { side: "buy", lv: "1000" });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      side: "buy",
      lv: "1000",
      sats: "1055",
      premiumBps: "500",
      inboundBps: "3000",
      groupKey: LV_GROUP,
    });
    expect(body.quoteId).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof body.expiresAt).toBe("number");
  });

  it("POST /market/buy answers a hold invoice; GET /market/trades/{id} shows the trade, not its preimage", async () => {
    const quote = (await post("/market/quote", { side: "buy", lv: "20" })).body;
    const bought = await post("/market/buy", { quoteId: quote.quoteId, tapAddress: tapd.address(LV_GROUP, 20n) });
    expect(bought.status).toBe(200);
    expect(bought.body.invoice).toBe(lnd.invoices.get(bought.body.paymentHash ?? "")?.request);
    const res = await fetch(`${server.url}/market/trades/${bought.body.tradeId}`);
    const trade = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(trade).toMatchObject({ tradeId: bought.body.tradeId, side: "buy", state: "quoted", lv: "20", sats: "22" });
    expect(JSON.stringify(trade)).not.toContain("preimage");
  });

  it.each([
    { name: "a body that is not JSON", path: "/market/quote", body: "{", status: 400, error: "bad-request" },
    {
      name: "an lv that is not a string",
      path: "/market/quote",
      body: { side: "sell", lv: 3 },
      status: 400,
      error: "wrong-amount",
    },
    {
      name: "an unknown quote",
      path: "/market/buy",
      body: { quoteId: "0".repeat(32), tapAddress: "x" },
      status: 404,
      error: "unknown-quote",
    },
    {
      name: "an over-limit quote",
      path: "/market/quote",
      body: { side: "buy", lv: "10001" },
      status: 403,
      error: "over-limit",
    },
  ])("refuses $name: $status $error", async ({ path, body, status, error }) => {
    const before = lnd.invoices.size;
    const answer = await post(path, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toBe(error);
    expect(typeof answer.body.reason).toBe("string");
    expect(lnd.invoices.size).toBe(before);
  });

  it("GET of an unknown trade is 404 unknown-trade; an unknown desk path is 404", async () => {
    const res = await fetch(`${server.url}/market/trades/${"f".repeat(32)}`);
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([404, "unknown-trade"]);
    expect((await fetch(`${server.url}/market/nothing`)).status).toBe(404);
  });
});
