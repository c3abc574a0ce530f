// `lvdao market quote` on the node emulation with the real contracts: no quote before the DAO sets a price, then
// the quote from a passed lv-pricing and the relay's liquidity report, or from channel balances given, and the
// pricing's limits refused with exit 65.
import { Cl } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { encodeAction } from "../../actions/index.ts";
import { EXAMPLES } from "../../actions/examples.ts";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { main } from "../cli/main.ts";
import { DEPLOYER, passAction, send } from "../../devnet/governance.ts";

const REPO = resolve(import.meta.dirname, "../../..");

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
});

async function quote(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const code = await main(["market", "quote", "--api", devnet.url, "--deployer", DEPLOYER, ...argv], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("lvdao market quote", () => {
  it("refuses to quote before any lv-pricing has passed", async () => {
    const result = await quote("--side", "buy", "--lv", "1000");
    expect([result.code, result.err]).toEqual([
      65,
      "lvdao: no lv-pricing has passed: the DAO has not set a price, so there is no quote",
    ]);
  });

  it("quotes from the passed pricing and the oracle's snapshot, or from the balances given", async () => {
    // the example pricing: 1000 msat per LV, 100 bps spread, target 50% inbound, 20 bps per 1%, cap 500 bps
    const pricing = EXAMPLES.find((a) => a.kind === "lv-pricing")!;
    const id = await passAction(devnet, "lv-pricing", encodeAction(pricing), "Price LV");
    await devnet.mine({ burn: 12 });
    await send(devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
    await send(devnet, "wallet_6", "liquidity-oracle", "report-liquidity", [
      Cl.tuple({
        "onchain-sats": Cl.uint(1_000_000),
        "outbound-sats": Cl.uint(7_000_000),
        "inbound-sats": Cl.uint(3_000_000),
        channels: Cl.uint(2),
        "lv-reserve": Cl.uint(0),
        "lv-withdrawal": Cl.uint(0),
        "vault-sats": Cl.uint(0),
      }),
    ]);

    // 30% inbound: 400 bps premium; 100,000 LV at 1 sat each, x 1.045 to buy, x 1.035 to sell
    const buy = await quote("--side", "buy", "--lv", "100000");
    expect([buy.code, buy.err]).toEqual([0, ""]);
    expect(buy.out.split("\n")[0]).toBe("buy 100000 LV base units: a buyer pays 104500 sats");
    expect(buy.out).toContain("premium 400 bps at inbound 3000 bps (3000000 in / 7000000 out, liquidity-oracle)");
    const sell = await quote("--side", "sell", "--lv", "100000", "--json");
    expect(JSON.parse(sell.out)).toMatchObject({
      side: "sell",
      lv: "100000",
      sats: "103500",
      premiumBps: "400",
      inboundBps: "3000",
      quoteTtl: "60",
      liquidity: { source: "liquidity-oracle" },
    });
    // balances given instead of the snapshot: at the target there is no premium
    const given = await quote("--side", "buy", "--lv", "100000", "--inbound", "5", "--outbound", "5");
    expect(given.out.split("\n")[0]).toBe("buy 100000 LV base units: a buyer pays 100500 sats");

    const over = await quote("--side", "buy", "--lv", "1000001");
    expect([over.code, over.err]).toEqual([
      65,
      "lvdao: over-limit: lv 1000001 is above the DAO's max-trade-lv of 1000000 LV base units",
    ]);
  }, 120_000);

  it.each([
    ["no side", ["--lv", "5"], "market quote needs --side buy or --side sell"],
    ["a fractional amount", ["--side", "buy", "--lv", "1.5"], '--lv must be a whole number, got "1.5"'],
    [
      "inbound without outbound",
      ["--side", "buy", "--lv", "5", "--inbound", "5"],
      "give both --inbound and --outbound, or neither to read the liquidity oracle",
    ],
  ])("refuses %s with a usage error", async (_, argv, message) => {
    const result = await quote(...argv);
    expect(result.code).toBe(2);
    expect(result.err.split("\n")[0]).toBe(`lvdao: ${message}`);
  });
});
