// The loopd simulator over real lnd (startRegtest): Loop Out and Loop In move real sats between dao and peer,
// pass through INITIATED -> HTLC_PUBLISHED -> SUCCESS, charge exactly the quoted fees, and are listed by label;
// a Loop Out dao cannot route ends FAILED with everything the server received returned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as L from "../../lightning/index.ts";
import { eventually } from "../../lightning/test/stack.ts";
import { startRegtest, type RegtestHandle } from "../harness/index.ts";

let stack: RegtestHandle;
let loop: L.LoopClient;

beforeAll(async () => {
  stack = await startRegtest();
  loop = L.connectLoop(stack.loop);
});

afterAll(async () => {
  await stack?.stop();
});

interface Balances {
  daoChannel: number;
  peerChannel: number;
  daoChain: number;
  peerChain: number;
}

async function balances(): Promise<Balances> {
  const [daoChannel, peerChannel, daoChain, peerChain] = await Promise.all([
    L.getChannelBalance({ lnd: stack.lnd.dao }),
    L.getChannelBalance({ lnd: stack.lnd.peer }),
    L.getChainBalance({ lnd: stack.lnd.dao }),
    L.getChainBalance({ lnd: stack.lnd.peer }),
  ]);
  return {
    daoChannel: daoChannel.localSats,
    peerChannel: peerChannel.localSats,
    daoChain: daoChain.confirmedSats + daoChain.unconfirmedSats,
    peerChain: peerChain.confirmedSats + peerChain.unconfirmedSats,
  };
}

/** Polls the swap, recording each state seen, until it is `state`. */
async function until(id: string, state: L.SwapState, seen: L.SwapState[], mine = false): Promise<L.Swap> {
  return eventually(
    async () => {
      const swap = await L.getSwap({ loop, id });
      if (seen.at(-1) !== swap.state) seen.push(swap.state);
      if (swap.state === "FAILED" && state !== "FAILED") throw new Error(`swap failed: ${swap.failureReason}`);
      return swap.state === state ? swap : undefined;
    },
    {
      what: `swap ${id.slice(0, 12)} to be ${state}`,
      timeoutMs: 60_000,
      ...(mine ? { mine: () => stack.mine(1) } : {}),
    },
  );
}

/** Waits until lnd's balances settle on `expected` (payments and wallet views update asynchronously). */
const settlesOn = (expected: Balances) =>
  eventually(
    async () => {
      const now = await balances();
      return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
    },
    { what: "balances to settle", timeoutMs: 20_000 },
  ).catch(async (): Promise<Balances> => {
    // Never settled: fail showing the balances field by field against the expected ones.
    const now = await balances();
    expect(now).toEqual(expected);
    return now;
  });

describe("Loop Out through the simulator", () => {
  it("pays peer off chain and receives the amount less the quoted sweep fee on chain, as quoted", async () => {
    const quote = await L.getLoopOutQuote({ loop, amountSats: 500_000 });
    const dest = await stack.newAddress("dao");
    await stack.mine(1);
    const before = await balances();
    const seen: L.SwapState[] = [];
    const started = await L.loopOut({
      loop,
      amountSats: 500_000,
      dest,
      maxTotalFeeSats: 20_000,
      label: "lvdao:4201:out",
    });
    expect(started.htlcAddress).toBe(dest);
    const published = await until(started.id, "HTLC_PUBLISHED", seen);
    expect(published.costServerSats).toBe(0);
    await stack.mine(1);
    const done = await until(started.id, "SUCCESS", seen);
    expect(seen.filter((s) => s !== "INITIATED")).toEqual(["HTLC_PUBLISHED", "SUCCESS"]);
    expect(done).toMatchObject({
      type: "LOOP_OUT",
      amountSats: 500_000,
      costServerSats: quote.swapFeeSats,
      costOnchainSats: quote.htlcSweepFeeSats,
      label: "lvdao:4201:out",
    });
    // A direct channel to the server: no routing fees.
    expect(done.costOffchainSats).toBe(0);
    expect(done.updatedAt.getTime()).toBeGreaterThanOrEqual(done.initiatedAt.getTime());
    const after = await balances();
    expect(after.daoChannel).toBe(before.daoChannel - 500_000 - quote.swapFeeSats);
    expect(after.peerChannel).toBe(before.peerChannel + 500_000 + quote.swapFeeSats);
    expect(after.daoChain).toBe(before.daoChain + 500_000 - quote.htlcSweepFeeSats);
    // peer paid the on-chain amount and its own transaction fee.
    expect(before.peerChain - after.peerChain).toBeGreaterThan(500_000 - quote.htlcSweepFeeSats);
    expect(before.peerChain - after.peerChain).toBeLessThan(500_000 - quote.htlcSweepFeeSats + 10_000);
  });
});

describe("Loop In through the simulator", () => {
  it("pays peer on chain and receives the amount less the quoted swap fee off chain", async () => {
    const quote = await L.getLoopInQuote({ loop, amountSats: 400_000 });
    expect(quote.htlcPublishFeeSats).toBeGreaterThan(0);
    const before = await balances();
    const seen: L.SwapState[] = [];
    const started = await L.loopIn({
      loop,
      amountSats: 400_000,
      maxTotalFeeSats: 20_000,
      label: "lvdao:4202:in",
      lastHopPubkey: stack.nodes.peer.pubkey,
    });
    const published = await until(started.id, "HTLC_PUBLISHED", seen);
    expect(published.htlcAddress).toMatch(/^bcrt1p/);
    await stack.mine(1);
    const done = await until(started.id, "SUCCESS", seen);
    expect(seen.filter((s) => s !== "INITIATED")).toEqual(["HTLC_PUBLISHED", "SUCCESS"]);
    expect(done).toMatchObject({
      type: "LOOP_IN",
      amountSats: 400_000,
      costServerSats: quote.swapFeeSats,
      costOffchainSats: 0,
      label: "lvdao:4202:in",
    });
    // The on-chain fee is what dao's wallet paid for the HTLC, within the cap the client derived from the quote.
    expect(done.costOnchainSats).toBeGreaterThan(0);
    expect(done.costOnchainSats).toBeLessThanOrEqual(20_000 - quote.swapFeeSats);
    const after = await settlesOn({
      daoChannel: before.daoChannel + 400_000 - quote.swapFeeSats,
      peerChannel: before.peerChannel - 400_000 + quote.swapFeeSats,
      daoChain: before.daoChain - 400_000 - done.costOnchainSats,
      peerChain: before.peerChain + 400_000,
    });
    expect(after.peerChain).toBe(before.peerChain + 400_000);
  });
});

describe("swaps by label", () => {
  it("lists each swap under its own label only, and all of them without one", async () => {
    const out = await L.listSwaps({ loop, label: "lvdao:4201:out" });
    const into = await L.listSwaps({ loop, label: "lvdao:4202:in" });
    expect(out.map((s) => [s.type, s.state])).toEqual([["LOOP_OUT", "SUCCESS"]]);
    expect(into.map((s) => [s.type, s.state])).toEqual([["LOOP_IN", "SUCCESS"]]);
    expect(await L.listSwaps({ loop, label: "lvdao:4299" })).toEqual([]);
    expect((await L.listSwaps({ loop })).map((s) => s.label)).toEqual(["lvdao:4201:out", "lvdao:4202:in"]);
  });
});

describe("a Loop Out dao cannot pay", () => {
  it("ends FAILED (off chain) with the prepay refunded and nothing else moved", async () => {
    const local = (await L.getChannelBalance({ lnd: stack.lnd.dao })).localSats;
    const amount = Math.min(4_990_000, local + 1_000);
    const before = await balances();
    const seen: L.SwapState[] = [];
    const started = await L.loopOut({
      loop,
      amountSats: amount,
      dest: await stack.newAddress("dao"),
      maxTotalFeeSats: 40_000,
      label: "lvdao:4203:out",
    });
    const failed = await until(started.id, "FAILED", seen);
    expect(seen).not.toContain("HTLC_PUBLISHED");
    expect(failed).toMatchObject({ failureReason: "FAILURE_REASON_OFFCHAIN", costServerSats: 0, costOnchainSats: 0 });
    await settlesOn(before);
  });
});
