// --dry-run (log the plan, call no daemon and no chain), and what the executor does with queue events.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { CHAIN_KINDS, encodeAction } from "../../actions/index.ts";
import { EXAMPLES } from "../../actions/examples.ts";
import { EventRouter, parseEvent } from "../stacks/events.ts";
import { registerQueueEvents } from "../executor/queue-events.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import { memoryLogger } from "../log.ts";
import { testDecoder, testPayload } from "./fake-chain.ts";
import { harness, PEER, testConfig } from "./harness.ts";

describe("dry run", () => {
  it("logs what it would do, including a limit refusal, and touches neither the chain nor a daemon", async () => {
    const h = await harness({ dryRun: true, limits: { maxLoopSats: 1_000n } });
    await h.queueAction(1n, {
      kind: "channel-open",
      payload: {
        peer: PEER,
        host: "127.0.0.1:9735",
        localSats: 1_000_000n,
        pushSats: 0n,
        private: false,
        baseFeeMsat: 1n,
        feePpm: 1n,
        cltvDelta: 40n,
      },
    });
    await h.queueAction(2n, {
      kind: "loop-out",
      payload: { amountSats: 50_000n, channel: null, dest: "bcrt1qexampleexampleexample", maxFeeSats: 100n },
    });
    await h.drainUntilSettled(2);
    expect(h.queue.log.calls).toEqual([]);
    expect([...h.lnd.log.calls, ...h.loop.log.calls]).toEqual([]);
    const plans = h.log.lines
      .map((l) => JSON.parse(l) as { msg: string; plan?: string })
      .filter((l) => l.msg.startsWith("dry run"));
    expect(plans.map((p) => p.plan)).toEqual([
      `open a channel of 1000000 sats (push 0) to ${PEER}@127.0.0.1:9735, policy 1 msat + 1 ppm, cltv 40`,
      "loop out 50000 sats to bcrt1qexampleexampleexample, " +
        "fees at most 100 sats -- would fail 403: amount-sats 50000 exceeds the relay's max loop amount 1000",
    ]);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "closed", closedReason: "dry-run" });
  });
});

const event = (topic: string, fields: Record<string, Parameters<typeof Cl.tuple>[0][string]>) =>
  parseEvent(serializeCV(Cl.tuple({ topic: Cl.stringAscii(topic), ...fields })), {
    contractId: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.execution-queue",
    txid: "00",
    eventIndex: 0,
    blockHeight: 1,
  })!;

async function wired() {
  const journal = await openSqliteJournal(":memory:");
  const router = new EventRouter();
  let work = 0;
  registerQueueEvents(router, {
    journal,
    decode: testDecoder,
    limits: testConfig().limits,
    log: memoryLogger(),
    now: () => 1,
    onWork: () => void work++,
  });
  return { journal, router, work: () => work };
}

const loopOut = {
  kind: "loop-out" as const,
  payload: { amountSats: 50_000n, channel: null, dest: "bcrt1qexampleexampleexample", maxFeeSats: 100n },
};

describe("queue events", () => {
  it("records a queued relay action once, ignores chain kinds", async () => {
    const { journal, router, work } = await wired();
    const queued = event("action-queued", {
      id: Cl.uint(4),
      kind: Cl.stringAscii("loop-out"),
      payload: Cl.buffer(Buffer.from(testPayload(loopOut), "hex")),
      eta: Cl.uint(5),
      expires: Cl.uint(50),
    });
    await router.dispatch(queued);
    await router.dispatch(queued);
    await router.dispatch(
      event("action-queued", {
        id: Cl.uint(5),
        kind: Cl.stringAscii("setting"),
        payload: Cl.buffer(new Uint8Array(1)),
        eta: Cl.uint(5),
        expires: Cl.uint(50),
      }),
    );
    expect(await journal.actions.get(4n)).toMatchObject({ kind: "loop-out", state: "seen", eta: 5, expires: 50 });
    expect(await journal.actions.get(5n)).toBeUndefined();
    expect(work()).toBe(1);
  });

  it.each(CHAIN_KINDS.map((kind) => [kind]))(
    "leaves a queued %s to the chain and notes its proposal as not-relay",
    async (kind) => {
      const { journal, router, work } = await wired();
      const payload = Cl.buffer(encodeAction(EXAMPLES.find((a) => a.kind === kind)!));
      await router.dispatch(
        event("action-queued", {
          id: Cl.uint(7),
          kind: Cl.stringAscii(kind),
          payload,
          eta: Cl.uint(5),
          expires: Cl.uint(50),
        }),
      );
      await router.dispatch(
        parseEvent(
          serializeCV(
            Cl.tuple({
              topic: Cl.stringAscii("proposal-created"),
              id: Cl.uint(8),
              kind: Cl.stringAscii(kind),
              payload,
            }),
          ),
          {
            contractId: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.proposals",
            txid: "00",
            eventIndex: 0,
            blockHeight: 1,
          },
        )!,
      );
      expect(await journal.actions.get(7n)).toBeUndefined();
      expect(work()).toBe(0);
      expect((await journal.proposals.list(10)).map((p) => [p.id, p.kind, p.verdict])).toEqual([
        [8n, kind, "not-relay"],
      ]);
    },
  );

  it("closes a waiting job that ended on-chain; reopens a finished one another relay failed retryably", async () => {
    const { journal, router } = await wired();
    await journal.actions.insertSeen(
      { id: 1n, kind: "loop-out", payloadHex: testPayload(loopOut), eta: 0, expires: 9, attempt: 0 },
      1,
    );
    await journal.actions.insertSeen(
      { id: 2n, kind: "loop-out", payloadHex: testPayload(loopOut), eta: 0, expires: 9, attempt: 0 },
      1,
    );
    await router.dispatch(event("action-vetoed", { id: Cl.uint(1) }));
    expect(await journal.actions.get(1n)).toMatchObject({ state: "closed", closedReason: "vetoed" });
    await journal.actions.move(2n, "seen", "closed", { closedReason: "lease held elsewhere" }, 2);
    await router.dispatch(event("action-failed", { id: Cl.uint(2), final: Cl.bool(false), attempts: Cl.uint(1) }));
    expect(await journal.actions.get(2n)).toMatchObject({ state: "seen", attempt: 1, closedReason: null });
  });

  it("flags a proposal the relay would refuse, before the vote ends", async () => {
    const { journal, router } = await wired();
    const proposal = (id: number, action: unknown, kind = "loop-out") =>
      parseEvent(
        serializeCV(
          Cl.tuple({
            topic: Cl.stringAscii("proposal-created"),
            id: Cl.uint(id),
            kind: Cl.stringAscii(kind),
            payload: Cl.buffer(Buffer.from(testPayload(action as never), "hex")),
          }),
        ),
        {
          contractId: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.proposals",
          txid: "00",
          eventIndex: 0,
          blockHeight: 1,
        },
      )!;
    await router.dispatch(proposal(1, loopOut));
    await router.dispatch(proposal(2, { ...loopOut, payload: { ...loopOut.payload, amountSats: 5_000_000n } }));
    await router.dispatch(
      proposal(3, { kind: "watchtower", payload: { add: true, pubkey: PEER, host: "10.0.0.1:9911" } }, "loop-out"),
    );
    expect((await journal.proposals.list(10)).map((p) => [p.id, p.verdict])).toEqual([
      [3n, "invalid"],
      [2n, "over-limit"],
      [1n, "ok"],
    ]);
  });
});
