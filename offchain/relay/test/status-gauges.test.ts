// The gauges worked out at scrape time: how far the longest-waiting open action is past its eta, and how long the
// journal has been behind the chain's events.
import { describe, expect, it } from "vitest";
import { journalLagSeconds, OPEN_STATES, overdueBlocks } from "../status/gauges.ts";

describe("scrape-time gauges", () => {
  it("open states are every state but reported and closed", () => {
    expect(OPEN_STATES).toEqual(["seen", "claimed", "executing", "done"]);
  });

  it.each([
    { name: "no open action", etas: [], tip: 100, overdue: 0 },
    { name: "every eta still ahead", etas: [101, 150], tip: 100, overdue: 0 },
    { name: "an eta just reached", etas: [100], tip: 100, overdue: 0 },
    { name: "the oldest eta counts", etas: [90, 97, 120], tip: 100, overdue: 10 },
  ])("overdue blocks: $name -> $overdue", ({ etas, tip, overdue }) => {
    expect(
      overdueBlocks(
        etas.map((eta) => ({ eta })),
        tip,
      ),
    ).toBe(overdue);
  });

  it.each([
    { name: "caught up now", caughtUpAt: 50_000, now: 50_000, lag: 0 },
    { name: "caught up 90 s ago", caughtUpAt: 10_000, now: 100_000, lag: 90 },
    { name: "never caught up: counts from the start", caughtUpAt: undefined, now: 61_500, lag: 60.5 },
  ])("journal lag: $name -> $lag s", ({ caughtUpAt, now, lag }) => {
    expect(journalLagSeconds(caughtUpAt, 1_000, now)).toBe(lag);
  });
});
