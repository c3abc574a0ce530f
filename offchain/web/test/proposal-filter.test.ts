// The proposals list's filters, as a table of proposals against filters.
import { describe, expect, it } from "vitest";
import { matchesFilter, NO_FILTER, type ProposalFilter } from "../src/model/proposal-filter.ts";
import type { ProposalStatus } from "../src/stacks/types.ts";

const item = (title: string, kind: string, status: ProposalStatus) => ({ proposal: { title, kind }, status });
const open = item("Open a channel to ACINQ", "channel-open", "active");
const failed = item("Fees for the big channel", "fee-policy", "failed");
const done = item("Grant for the docs", "gt-grant", "executed");
const queued = item("Close the old channel", "channel-close", "queued");
const lost = item("Raise the bond", "setting", "defeated");
const all = [open, failed, done, queued, lost];

describe("matchesFilter", () => {
  it.each<[string, Partial<ProposalFilter>, unknown[]]>([
    ["nothing filtered", {}, all],
    ["active", { group: "active" }, [open]],
    ["passed, not yet carried out", { group: "passed" }, [queued]],
    ["executed", { group: "executed" }, [done]],
    ["failed", { group: "failed" }, [failed]],
    ["defeated", { group: "defeated" }, [lost]],
    ["by kind", { kind: "fee-policy" }, [failed]],
    ["title words in any order and case", { search: "CHANNEL open" }, [open]],
    ["title word", { search: "channel" }, [open, failed, queued]],
    ["group, kind and search together", { group: "passed", kind: "channel-close", search: "old" }, [queued]],
    ["nothing matches", { group: "executed", kind: "channel-open" }, []],
  ])("%s", (_name, filter, expected) => {
    expect(all.filter((p) => matchesFilter(p, { ...NO_FILTER, ...filter }))).toEqual(expected);
  });
});
