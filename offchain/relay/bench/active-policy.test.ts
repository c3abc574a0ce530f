// activePolicy reads only the stored policies (the RSS benchmark showed that reading every reported row made each
// /status load the whole journal): it must still pick the newest policy whose action is reported as executed.
import { describe, expect, it } from "vitest";
import { activePolicy } from "../executor/kinds/rebalance-policy.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";

async function storePolicy(journal: Journal, id: bigint, end: "reported-success" | "reported-failure" | "executing"): Promise<void> {
  await journal.insertSeen({ id, kind: "rebalance-policy", payloadHex: "00", eta: 0, expires: 10, attempt: 0 }, 1);
  await journal.transition(id, "seen", "claimed", {}, 1);
  await journal.transition(id, "claimed", "executing", {}, 1);
  await journal.setValue(`rebalance-policy:${id}`, JSON.stringify({ actionId: String(id), policy: { minInboundPct: String(id) }, payloadSha256: "ab" }), 1);
  if (end === "executing") return;
  await journal.transition(id, "executing", "done", { outcome: end === "reported-success" ? "success" : "failure" }, 1);
  await journal.transition(id, "done", "reported", {}, 1);
}

const cases: { name: string; policies: [bigint, "reported-success" | "reported-failure" | "executing"][]; active: string | undefined }[] = [
  { name: "no stored policy: none", policies: [], active: undefined },
  { name: "the newest by id, compared as numbers (10 after 9)", policies: [[9n, "reported-success"], [10n, "reported-success"], [2n, "reported-success"]], active: "10" },
  { name: "a newer policy not yet reported leaves the older one active", policies: [[3n, "reported-success"], [4n, "executing"]], active: "3" },
  { name: "a newer policy reported as failed leaves the older one active", policies: [[3n, "reported-success"], [5n, "reported-failure"]], active: "3" },
];

describe("activePolicy", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const journal = await openSqliteJournal(":memory:");
      for (const [id, end] of c.policies) await storePolicy(journal, id, end);
      // other reported actions around them change nothing
      await journal.insertSeen({ id: 100n, kind: "fee-policy", payloadHex: "00", eta: 0, expires: 10, attempt: 0 }, 1);
      expect((await activePolicy(journal))?.actionId).toBe(c.active);
    });
  }
});
