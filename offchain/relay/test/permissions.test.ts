// daemons/permissions.ts against the code: every port method a kind's handler or an always-on part calls is in its
// table row and nothing else is (read from the source files that implement them), and `lvdao macaroon bake` prints
// the lncli command for exactly the URIs those methods declare. Whether lnd accepts the calls with such a macaroon
// is offchain/regtest/least-privilege.regtest.test.ts.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { RELAY_KINDS } from "../../actions/index.ts";
import { main } from "../cli/main.ts";
import { adminMacaroonWarnings } from "../cli/macaroon.ts";
import type { RelayConfig } from "../config.ts";
import {
  ALWAYS_CALLS,
  KIND_CALLS,
  OPTIONAL_CALLS,
  OPTIONAL_PARTS,
  relayPermissions,
  type OptionalPart,
  type PortCalls,
} from "../daemons/permissions.ts";

const RELAY = resolve(import.meta.dirname, "..");
const PORT_METHODS = [
  "connectPeer",
  "openChannel",
  "listChannels",
  "closeChannel",
  "applyPolicy",
  "channelPolicies",
  "listTowers",
  "addTower",
  "removeTower",
  "scanChannels",
  "chainBalanceSats",
  "forwards",
  "newAddress",
  "loopOut",
  "loopIn",
  "listSwaps",
  "terms",
  "quoteFeeSats",
  "newLvAddress",
  "send",
  "listTransfers",
  "mint",
  "assets",
  "lvBalance",
  "receipts",
  "blockHeight",
  "openChannelForPsbt",
  "fundPendingChannel",
  "cancelPendingChannel",
  "createHoldInvoice",
  "holdInvoice",
  "settleHoldInvoice",
  "cancelHoldInvoice",
  "pay",
  "payment",
  "decodeAddress",
];

/** The port methods called in a source file, e.g. `lnd.listChannels(` or a chained `.applyPolicy(`. */
function calledIn(files: string[]): string[] {
  const text = files.map((file) => readFileSync(resolve(RELAY, file), "utf8")).join("\n");
  const called = new Set<string>();
  // `this.x(` is the file's own method (the revenue sweeper's `this.pay`), never a daemon port's.
  for (const match of text.matchAll(new RegExp(`(?<!this)\\.(${PORT_METHODS.join("|")})\\(`, "g")))
    called.add(match[1] as string);
  return [...called].sort();
}
const declared = (calls: PortCalls): string[] =>
  [
    ...new Set([
      ...(calls.lnd ?? []),
      ...(calls.tapd ?? []),
      ...(calls.loop ?? []),
      ...(calls.deskLnd ?? []),
      ...(calls.deskTapd ?? []),
    ]),
  ].sort();

const KIND_FILES: Record<string, string[]> = {
  "channel-open": ["executor/kinds/channel-open.ts"],
  "channel-close": ["executor/kinds/channel-close.ts"],
  "fee-policy": ["executor/kinds/fee-policy.ts"],
  "rebalance-policy": ["executor/kinds/rebalance-policy.ts", "monitors/liquidity-monitor.ts"],
  "loop-out": ["executor/kinds/loop.ts"],
  "loop-in": ["executor/kinds/loop.ts"],
  "lv-transfer": ["executor/kinds/lv-transfer.ts"],
  watchtower: ["executor/kinds/watchtower.ts"],
};
const OPTIONAL_FILES: Record<OptionalPart, string[]> = {
  vault: ["vault/funding.ts"],
  desk: ["market/desk.ts", "market/steps.ts"],
  "price-oracle": ["workers.ts"],
};
const ALWAYS_FILES: Record<string, string[]> = {
  "liquidity-reporter": ["monitors/liquidity-reporter.ts"],
  "revenue-sweeper": ["monitors/revenue-sweeper.ts"],
  "pledge-watcher": ["monitors/pledge-watcher.ts"],
  "status /channels": ["status/channels.ts"],
};

describe("the relay's port calls", () => {
  it("name every relay kind", () => {
    expect(Object.keys(KIND_CALLS).sort()).toEqual([...RELAY_KINDS].sort());
  });

  // loop.ts holds both loop kinds: each row names its own swap call, and both rows together what the file calls.
  it.each(RELAY_KINDS.filter((kind) => !kind.startsWith("loop-")))("%s: the table is what its code calls", (kind) => {
    expect(declared(KIND_CALLS[kind])).toEqual(calledIn(KIND_FILES[kind] ?? []));
  });

  it("loop-out and loop-in together: what executor/kinds/loop.ts calls", () => {
    const both = declared({
      lnd: [...(KIND_CALLS["loop-out"].lnd ?? []), ...(KIND_CALLS["loop-in"].lnd ?? [])],
      loop: [...(KIND_CALLS["loop-out"].loop ?? []), ...(KIND_CALLS["loop-in"].loop ?? [])],
    });
    expect(both).toEqual(calledIn(["executor/kinds/loop.ts"]));
    expect(KIND_CALLS["loop-out"].loop).not.toContain("loopIn");
    expect(KIND_CALLS["loop-in"].loop).not.toContain("loopOut");
  });

  it.each(Object.keys(ALWAYS_FILES))("%s: the table is what its code calls", (part) => {
    expect(declared(ALWAYS_CALLS[part] ?? {})).toEqual(calledIn(ALWAYS_FILES[part] ?? []));
  });

  it.each(OPTIONAL_PARTS)("optional part %s: the table is what its code calls", (part) => {
    expect(declared(OPTIONAL_CALLS[part])).toEqual(calledIn(OPTIONAL_FILES[part]));
  });
});

describe("relayPermissions", () => {
  it.each([
    [
      ["fee-policy"],
      [
        "/lnrpc.Lightning/ClosedChannels",
        "/lnrpc.Lightning/FeeReport",
        "/lnrpc.Lightning/ForwardingHistory",
        "/lnrpc.Lightning/GetChanInfo",
        "/lnrpc.Lightning/GetInfo",
        "/lnrpc.Lightning/ListChannels",
        "/lnrpc.Lightning/PendingChannels",
        "/lnrpc.Lightning/UpdateChannelPolicy",
        "/lnrpc.Lightning/WalletBalance",
      ],
      [],
    ],
    [
      ["watchtower", "loop-out"],
      [
        "/lnrpc.Lightning/ClosedChannels",
        "/lnrpc.Lightning/FeeReport",
        "/lnrpc.Lightning/ForwardingHistory",
        "/lnrpc.Lightning/GetChanInfo",
        "/lnrpc.Lightning/GetInfo",
        "/lnrpc.Lightning/ListChannels",
        "/lnrpc.Lightning/PendingChannels",
        "/lnrpc.Lightning/WalletBalance",
        "/wtclientrpc.WatchtowerClient/AddTower",
        "/wtclientrpc.WatchtowerClient/ListTowers",
        "/wtclientrpc.WatchtowerClient/Policy",
        "/wtclientrpc.WatchtowerClient/RemoveTower",
        "/wtclientrpc.WatchtowerClient/Stats",
      ],
      ["/looprpc.SwapClient/ListSwaps", "/looprpc.SwapClient/LoopOut", "/looprpc.SwapClient/LoopOutQuote"],
    ],
  ] as const)("%j: lnd and loopd URIs", (kinds, lnd, loopd) => {
    const permissions = relayPermissions(kinds);
    expect(permissions.lnd).toEqual(lnd);
    expect(permissions.loopd).toEqual(loopd);
  });

  it("never asks for lnd's on-chain send or invoices, whatever the kinds", () => {
    const all = relayPermissions(RELAY_KINDS).lnd;
    expect(all).not.toContain("/lnrpc.Lightning/SendCoins");
    expect(all.filter((uri) => /Invoice|SendPayment|Signer|WalletKit\/(Sign|Fund)|FundingStateStep/.test(uri))).toEqual(
      [],
    );
  });

  it.each([
    [
      "vault",
      [
        "/lnrpc.Lightning/ConnectPeer",
        "/lnrpc.Lightning/FundingStateStep",
        "/lnrpc.Lightning/ListPeers",
        "/lnrpc.Lightning/OpenChannel",
      ],
      [],
    ],
    [
      "desk",
      [
        "/invoicesrpc.Invoices/AddHoldInvoice",
        "/invoicesrpc.Invoices/CancelInvoice",
        "/invoicesrpc.Invoices/SettleInvoice",
        "/lnrpc.Lightning/LookupInvoice",
        "/routerrpc.Router/SendPaymentV2",
        "/routerrpc.Router/TrackPaymentV2",
      ],
      ["/taprpc.TaprootAssets/DecodeAddr", "/taprpc.TaprootAssets/NewAddr", "/taprpc.TaprootAssets/SendAsset"],
    ],
  ] as const)("--with %s adds its calls and only those", (part, lnd, tapd) => {
    const without = relayPermissions(["fee-policy"]);
    const withPart = relayPermissions(["fee-policy"], [part]);
    expect(withPart.lnd).toEqual([...new Set([...without.lnd, ...lnd])].sort());
    expect(withPart.tapd).toEqual([...new Set([...without.tapd, ...tapd])].sort());
    expect(withPart.loopd).toEqual(without.loopd);
  });
});

describe("lvdao macaroon bake", () => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err: err.join("\n") };
  };

  it("prints the lncli bakemacaroon command with every URI as uri:<URI>", async () => {
    const result = await run("macaroon", "bake", "--kinds", "fee-policy");
    expect(result.code).toBe(0);
    expect(result.out[1]).toBe(
      `lncli bakemacaroon --save_to lvdao-relay.macaroon ${relayPermissions(["fee-policy"])
        .lnd.map((uri) => `uri:${uri}`)
        .join(" ")}`,
    );
  });

  it.each([
    [["macaroon", "bake"], "macaroon bake needs --kinds"],
    [["macaroon", "bake", "--kinds", "fee-policy,setting"], '--kinds: "setting" is not a relay kind'],
    [["macaroon", "mint", "--kinds", "all"], "unknown macaroon command: mint"],
    [["macaroon", "bake", "--kinds", "all", "--with", "desk,vaults"], '--with: "vaults" is not a relay part'],
  ])("%j is a usage error", async (argv, text) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(text);
  });

  it("--json gives the kinds and the three lists; all is every relay kind", async () => {
    const result = await run("macaroon", "bake", "--kinds", "all", "--json");
    expect(JSON.parse(result.out.join("\n"))).toEqual({
      kinds: [...RELAY_KINDS],
      parts: [],
      ...relayPermissions(RELAY_KINDS),
    });
  });
});

describe("relay start's admin.macaroon warning", () => {
  const config = (files: Record<string, string | undefined>) =>
    ({
      lnd: files.lnd ? { macaroonFile: files.lnd } : undefined,
      tapd: files.tapd ? { macaroonFile: files.tapd } : undefined,
      lvWallets: { reserve: files.tapd ? { macaroonFile: files.tapd } : undefined },
      loop: files.loop ? { macaroonFile: files.loop } : undefined,
    }) as unknown as RelayConfig;

  it.each([
    [{ lnd: "/home/lnd/.lnd/data/chain/bitcoin/mainnet/admin.macaroon" }, ["lnd"]],
    [{ lnd: "lvdao-relay.macaroon", tapd: "/var/lib/tapd/admin.macaroon" }, ["tapd"]],
    [{ lnd: "readonly.macaroon", loop: "loop.macaroon" }, []],
  ])("%j warns about %j", (files, sections) => {
    const warnings = adminMacaroonWarnings(config(files));
    expect(warnings.map((w) => /^warning: ([a-z_.]+)\.macaroon_file/.exec(w)?.[1])).toEqual(sections);
  });
});
