// The tip-keyed read cache: one request per distinct read per tip, a new generation on a new tip, failures retried.
import { describe, expect, it } from "vitest";
import { TipCache } from "../src/stacks/read-cache.ts";

function counter() {
  const calls: string[] = [];
  const load =
    (key: string, fail = false) =>
    () => {
      calls.push(key);
      return fail ? Promise.reject(new Error(`${key} failed`)) : Promise.resolve(`${key}#${calls.length}`);
    };
  return { calls, load };
}

describe("TipCache", () => {
  it("shares one load between the readers of one tip, concurrent or later", async () => {
    const cache = new TipCache();
    const { calls, load } = counter();
    cache.observe("10:100");
    const [a, b] = await Promise.all([
      cache.get("tally(1)", load("tally(1)")),
      cache.get("tally(1)", load("tally(1)")),
    ]);
    const c = await cache.get("tally(1)", load("tally(1)"));
    expect([a, b, c, calls]).toEqual(["tally(1)#1", "tally(1)#1", "tally(1)#1", ["tally(1)"]]);
  });

  it("loads again after the tip moves, and keeps the generation when the same tip is observed again", async () => {
    const cache = new TipCache();
    const { calls, load } = counter();
    cache.observe("10:100");
    await cache.get("status(1)", load("status(1)"));
    cache.observe("10:100");
    await cache.get("status(1)", load("status(1)"));
    cache.observe("11:100");
    expect(cache.size).toBe(0);
    expect(await cache.get("status(1)", load("status(1)"))).toBe("status(1)#2");
    expect(calls).toEqual(["status(1)", "status(1)"]);
  });

  it("drops a failed read so the next reader tries the node again", async () => {
    const cache = new TipCache();
    const { calls, load } = counter();
    await expect(cache.get("vote(1)", load("vote(1)", true))).rejects.toThrow("vote(1) failed");
    expect(await cache.get("vote(1)", load("vote(1)"))).toBe("vote(1)#2");
    expect(calls).toEqual(["vote(1)", "vote(1)"]);
  });
});
