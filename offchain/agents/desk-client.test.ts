import { afterEach, describe, expect, it } from "vitest";
import { deskClient } from "./desk-client.ts";
import { AgentError } from "./errors.ts";
import { GROUP_KEY, startFakeDesk, type FakeDesk, type FakeDeskOptions } from "./test/fake-desk.ts";

let desk: FakeDesk | undefined;
afterEach(async () => {
  await desk?.stop();
  desk = undefined;
});

const start = async (options: Partial<FakeDeskOptions> = {}) => {
  desk = await startFakeDesk({ satsPerKiloLv: 1_050n, premiumBps: 250n, inboundBps: 3_000n, ...options });
  return { desk, client: deskClient({ url: desk.url }) };
};

const caught = async (promise: Promise<unknown>): Promise<AgentError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
};

describe("deskClient", () => {
  it("quotes, buys and follows a trade, parsing every integer exactly", async () => {
    const { desk, client } = await start({ tradeStates: ["held", "sending", "settled"] });
    const quote = await client.quote("buy", 12_345n);
    expect(quote).toEqual({
      quoteId: "q1",
      side: "buy",
      lv: 12_345n,
      sats: 12_963n,
      premiumBps: 250n,
      inboundBps: 3_000n,
      expiresAt: expect.any(Number),
      groupKey: GROUP_KEY,
    });
    expect(desk.requests[0]).toEqual({ method: "POST", path: "/market/quote", body: { side: "buy", lv: "12345" } });
    const bought = await client.buy(quote.quoteId, "taprt1qqq");
    expect(bought).toEqual({ tradeId: "t2", invoice: "lnbcrt-fake-12963" });
    expect((await client.trade("t2")).state).toBe("held");
    expect((await client.trade("t2")).state).toBe("sending");
    expect(await client.trade("t2")).toEqual({
      tradeId: "t2",
      side: "buy",
      state: "settled",
      lv: 12_345n,
      sats: 12_963n,
    });
  });

  it.each<{ name: string; act: (c: ReturnType<typeof deskClient>) => Promise<unknown>; deskCode: string }>([
    { name: "an unknown quote", act: (c) => c.buy("nope", "taprt1qqq"), deskCode: "unknown-quote" },
    {
      name: "a bad address",
      act: async (c) => c.buy((await c.quote("buy", 10n)).quoteId, "bc1qnotatap"),
      deskCode: "bad-address",
    },
    { name: "an unknown trade", act: (c) => c.trade("t99"), deskCode: "unknown-trade" },
  ])("keeps the desk's code for $name", async ({ act, deskCode }) => {
    const { client } = await start();
    const error = await caught(act(client));
    expect(error.code).toBe("desk");
    expect(error.deskCode).toBe(deskCode);
  });

  it("reports an expired quote as the desk's quote-expired", async () => {
    let clock = 1_000;
    const { client } = await start({ now: () => clock });
    const quote = await client.quote("buy", 10n);
    clock += 61;
    const error = await caught(client.buy(quote.quoteId, "taprt1qqq"));
    expect([error.code, error.deskCode]).toEqual(["desk", "quote-expired"]);
  });

  it.each<{ name: string; body: string; status: number; message: RegExp }>([
    { name: "non-JSON", body: "<html>", status: 200, message: /non-JSON/ },
    { name: "an array", body: "[]", status: 200, message: /not an object/ },
    {
      name: "sats as a float",
      body: JSON.stringify({ quoteId: "q", side: "buy", lv: "10", sats: "1.5", premiumBps: "0", inboundBps: "0" }),
      status: 200,
      message: /sats must be a non-negative integer/,
    },
    {
      name: "a negative premium",
      body: JSON.stringify({ quoteId: "q", side: "buy", lv: "10", sats: "10", premiumBps: "-1", inboundBps: "0" }),
      status: 200,
      message: /premiumBps must be/,
    },
    {
      name: "a quote for another amount",
      body: JSON.stringify({
        quoteId: "q",
        side: "buy",
        lv: "11",
        sats: "10",
        premiumBps: "0",
        inboundBps: "0",
        expiresAt: "1",
        groupKey: GROUP_KEY,
      }),
      status: 200,
      message: /asked a buy quote for 10 LV, got buy for 11/,
    },
  ])("refuses a quote answer that is $name", async ({ body, status, message }) => {
    const { client } = await start({ override: { "/market/quote": { status, body } } });
    const error = await caught(client.quote("buy", 10n));
    expect(error.code).toBe("desk-answer");
    expect(error.message).toMatch(message);
  });

  it("reports an unreachable desk with code desk/unreachable", async () => {
    const { desk, client } = await start();
    await desk.stop();
    const error = await caught(client.quote("buy", 10n));
    expect([error.code, error.deskCode]).toEqual(["desk", "unreachable"]);
  });

  it.each(["not a url", "ftp://127.0.0.1/"])("refuses the desk url %s", (url) => {
    expect(() => deskClient({ url })).toThrow(/desk url/);
  });

  it("refuses lv 0 before asking", async () => {
    const { desk, client } = await start();
    await expect(client.quote("buy", 0n)).rejects.toThrow(/lv > 0/);
    expect(desk.requests).toEqual([]);
  });
});
