import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { call, err, printsWithTopic, read, relay, w } from "./helpers/chain.ts";

const snapshot = (channels = 2n, outbound = 600_000n, inbound = 400_000n) => ({
  "onchain-sats": Cl.uint(5_000_000),
  "outbound-sats": Cl.uint(outbound),
  "inbound-sats": Cl.uint(inbound),
  channels: Cl.uint(channels),
  "lv-reserve": Cl.uint(70_000),
  "lv-withdrawal": Cl.uint(1_000),
  "vault-sats": Cl.uint(2_500_000),
});
const report = (s: ReturnType<typeof snapshot>, caller = relay) =>
  call("liquidity-oracle", "report-liquidity", [Cl.tuple(s)], caller);

describe("report-liquidity", () => {
  it("stores the relay's snapshot and prints liquidity-reported", () => {
    const { result, events } = report(snapshot());
    expect(result).toBeOk(Cl.uint(1));
    expect(printsWithTopic(events, "liquidity-reported")).toEqual([
      Cl.tuple({
        ...snapshot(),
        topic: Cl.stringAscii("liquidity-reported"),
        reporter: Cl.principal(relay),
        "burn-height": Cl.uint(simnet.burnBlockHeight),
      }),
    ]);
    expect(read("liquidity-oracle", "get-liquidity")).toEqual(Cl.tuple(snapshot()));
    expect(report(snapshot(3n)).result).toBeOk(Cl.uint(2));
  });

  it("refuses a non-relay with ERR_NOT_RELAY and keeps the old snapshot", () => {
    expect(report(snapshot(), w[1]).result).toEqual(err("liquidity-oracle", "ERR_NOT_RELAY"));
    const empty = Object.fromEntries(Object.keys(snapshot()).map((key) => [key, Cl.uint(0)]));
    expect(read("liquidity-oracle", "get-liquidity")).toEqual(Cl.tuple(empty));
  });

  it("refuses channel balances without channels with ERR_INCONSISTENT", () => {
    expect(report(snapshot(0n)).result).toEqual(err("liquidity-oracle", "ERR_INCONSISTENT"));
    expect(report(snapshot(0n, 0n, 0n)).result).toBeOk(Cl.uint(1));
  });
});

describe("get-last-report", () => {
  it("says who reported last, when, and how often", () => {
    report(snapshot());
    expect(read("liquidity-oracle", "get-last-report")).toEqual(
      Cl.tuple({
        reporter: Cl.some(Cl.principal(relay)),
        "burn-height": Cl.uint(simnet.burnBlockHeight),
        reports: Cl.uint(1),
      }),
    );
  });
});
