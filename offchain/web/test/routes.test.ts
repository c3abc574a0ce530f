// Hash routes: every page's link parses back to the page, and anything else is "not-found", never a crash.
import { describe, expect, it } from "vitest";
import { href, parseRoute } from "../src/routes.ts";

describe("parseRoute", () => {
  it.each([
    ["", { page: "proposals", offset: 0 }],
    ["#/", { page: "proposals", offset: 0 }],
    ["#/proposals?offset=20", { page: "proposals", offset: 20 }],
    ["#/proposals?offset=-3", { page: "proposals", offset: 0 }],
    ["#/proposals?offset=abc", { page: "proposals", offset: 0 }],
    ["#/proposals/12", { page: "proposal", id: 12n }],
    ["#/propose?kind=loop-out", { page: "propose", kind: "loop-out" }],
    ["#/propose", { page: "propose", kind: null }],
    ["#/liquidity", { page: "liquidity" }],
    ["#/settings", { page: "settings" }],
    ["#/history", { page: "history" }],
    ["#/delegation", { page: "delegation" }],
    ["#/proposals/0", { page: "not-found", hash: "#/proposals/0" }],
    ["#/proposals/x1", { page: "not-found", hash: "#/proposals/x1" }],
    ["#/nowhere", { page: "not-found", hash: "#/nowhere" }],
  ])("%j", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it("round-trips every href", () => {
    expect(parseRoute(href.proposals(40))).toEqual({ page: "proposals", offset: 40 });
    expect(parseRoute(href.proposal(2n ** 64n))).toEqual({ page: "proposal", id: 2n ** 64n });
    expect(parseRoute(href.propose("fee-policy"))).toEqual({ page: "propose", kind: "fee-policy" });
    expect(parseRoute(href.liquidity())).toEqual({ page: "liquidity" });
    expect(parseRoute(href.settings())).toEqual({ page: "settings" });
    expect(parseRoute(href.history())).toEqual({ page: "history" });
    expect(parseRoute(href.delegation())).toEqual({ page: "delegation" });
  });
});
