// 1,000 fuzzed payloads injected past chain validation: payloads the real action-validator contract refuses (run
// on the Clarinet simnet as the oracle) are queued anyway, as printed action-queued events through the relay's event
// router, against a fake chain and fake daemons. The relay must not crash, must answer every one with report-failure
// code 400, and must never call a daemon. Payloads the chain refuses only for a settings bound (the relay checks
// those at their widest, on purpose) are not counted.
import { join } from "node:path";
import { initSimnet } from "@stacks/clarinet-sdk";
import { Cl, serializeCV, type ClarityValue } from "@stacks/transactions";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../../actions/examples.ts";
import { encodeAction, RELAY_KINDS } from "../../actions/index.ts";
import { ERRORS } from "../../clarity/errors.ts";
import { EventRouter, parseEvent } from "../stacks/events.ts";
import { Executor } from "../executor/executor.ts";
import { registerQueueEvents } from "../executor/queue-events.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import { memoryLogger } from "../log.ts";
import { decodeRelayAction } from "../actions.ts";
import { RelayMetrics } from "../metrics.ts";
import { FakeLnd, FakeLoop, FakeTapd } from "./fakes.ts";
import { FakeQueue } from "./fake-chain.ts";
import { testConfig } from "./harness.ts";
import { REPO } from "./integration-stack.ts";

const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const V = ERRORS["action-validator"];
/** Refusals that depend on dao-settings values the relay deliberately checks at their widest bounds. */
const SETTINGS_BOUND = new Set<number>([V.ERR_CHANNEL_SIZE, V.ERR_LOOP_AMOUNT]);
const FEE_PPM_FROM_SETTINGS = new Set(["channel-open", "fee-policy"]);
const TARGET = 1_000;

interface Fuzzed {
  kind: string;
  payload: Uint8Array;
  chainError: number;
}

const validExamples = EXAMPLES.filter((e) => (RELAY_KINDS as readonly string[]).includes(e.kind)).map((e) => ({
  kind: e.kind,
  bytes: encodeAction(e),
}));

/** A payload candidate for `kind`: random bytes, a mutated valid payload, another kind's payload, or a typed tuple
 * of the kind's fields with random values. */
const candidate = fc.oneof(
  fc.record({ kind: fc.constantFrom(...RELAY_KINDS), payload: fc.uint8Array({ minLength: 0, maxLength: 300 }) }),
  fc
    .record({
      base: fc.constantFrom(...validExamples),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      cut: fc.nat(20),
      extra: fc.uint8Array({ maxLength: 4 }),
    })
    .map(({ base, flips, cut, extra }) => {
      const bytes = Buffer.from(base.bytes);
      for (const [at, x] of flips) bytes[at % bytes.length] = bytes[at % bytes.length]! ^ x;
      const trimmed = cut < 10 ? bytes.subarray(0, Math.max(0, bytes.length - cut)) : bytes;
      return { kind: base.kind, payload: new Uint8Array(Buffer.concat([trimmed, Buffer.from(extra)])) };
    }),
  fc
    .record({ kind: fc.constantFrom(...RELAY_KINDS), other: fc.constantFrom(...validExamples) })
    .map(({ kind, other }) => ({ kind, payload: other.bytes })),
  fc
    .record({
      base: fc.constantFrom(...validExamples),
      uint: fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
      small: fc.bigInt({ min: 0n, max: 300n }),
      buf: fc.uint8Array({ maxLength: 40 }),
      text: fc.string({ maxLength: 100 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
      field: fc.nat(),
      which: fc.nat(3),
    })
    .map(({ base, uint, small, buf, text, field, which }) => {
      // Replace one field of a valid tuple with a random value of its own type (or a small number).
      const tuple = Cl.deserialize(Buffer.from(base.bytes).toString("hex")) as {
        type: "tuple";
        value: Record<string, ClarityValue>;
      };
      const names = Object.keys(tuple.value);
      const name = names[field % names.length]!;
      const current = tuple.value[name]!;
      const replaced: ClarityValue =
        current.type === "uint"
          ? Cl.uint(which === 0 ? small : uint)
          : current.type === "buffer"
            ? Cl.buffer(buf)
            : current.type === "ascii"
              ? Cl.stringAscii(text)
              : Cl.uint(small);
      return {
        kind: base.kind,
        payload: new Uint8Array(Buffer.from(serializeCV(Cl.tuple({ ...tuple.value, [name]: replaced })), "hex")),
      };
    }),
);

const fuzzed: Fuzzed[] = [];

beforeAll(async () => {
  const simnet = await initSimnet(join(REPO, "Clarinet.toml"));
  const seen = new Set<string>();
  for (let seed = 1; fuzzed.length < TARGET; seed++) {
    for (const { kind, payload } of fc.sample(candidate, { numRuns: 500, seed })) {
      const key = `${kind}:${Buffer.from(payload).toString("hex")}`;
      if (seen.has(key) || payload.length > 2048) continue;
      seen.add(key);
      const { result } = simnet.callReadOnlyFn(
        "action-validator",
        "validate",
        [Cl.stringAscii(kind), Cl.buffer(payload)],
        DEPLOYER,
      );
      if (result.type !== "err") continue;
      const code = Number((result.value as { value: bigint }).value);
      if (SETTINGS_BOUND.has(code) || (code === V.ERR_FEE_PPM && FEE_PPM_FROM_SETTINGS.has(kind))) continue;
      fuzzed.push({ kind, payload, chainError: code });
      if (fuzzed.length === TARGET) break;
    }
  }
}, 300_000);

describe("1,000 payloads the chain refuses, queued past its validation", () => {
  it("the sample spans every relay kind and many of the contract's refusals", () => {
    expect(fuzzed).toHaveLength(TARGET);
    expect(new Set(fuzzed.map((f) => f.kind))).toEqual(new Set(RELAY_KINDS));
    expect(new Set(fuzzed.map((f) => f.chainError)).size).toBeGreaterThanOrEqual(10);
  });

  it("each is answered with report-failure 400, the relay never crashes, and no daemon is called", async () => {
    const journal = await openSqliteJournal(":memory:");
    const queue = new FakeQueue();
    const lnd = new FakeLnd();
    const loop = new FakeLoop();
    const tapd = {
      reserve: new FakeTapd("reserve"),
      operations: new FakeTapd("operations"),
      withdrawal: new FakeTapd("withdrawal"),
    };
    const log = memoryLogger({ level: "warn" });
    const executor = new Executor({
      journal,
      queue,
      daemons: { lnd, loop, tapd },
      decode: decodeRelayAction,
      config: testConfig(),
      log,
      metrics: new RelayMetrics(),
      owner: "fuzz",
    });
    const router = new EventRouter();
    registerQueueEvents(router, {
      journal,
      decode: decodeRelayAction,
      limits: testConfig().limits,
      log,
      now: Date.now,
      onWork: () => undefined,
    });

    for (const [index, { kind, payload }] of fuzzed.entries()) {
      const id = BigInt(index + 1);
      // The fake chain holds the action as queued; the relay learns of it from the printed event, as from the chain.
      queue.actions.set(id, {
        id,
        kind,
        payload,
        eta: 0,
        expires: 1_000_000,
        status: "queued",
        relay: undefined,
        claimExpires: 0,
        attempts: 0,
      });
      const printed = serializeCV(
        Cl.tuple({
          topic: Cl.stringAscii("action-queued"),
          id: Cl.uint(id),
          "proposal-id": Cl.uint(id),
          kind: Cl.stringAscii(kind),
          payload: Cl.buffer(payload),
          eta: Cl.uint(0),
          expires: Cl.uint(1_000_000),
        }),
      );
      await router.dispatch(
        parseEvent(printed, {
          contractId: `${DEPLOYER}.execution-queue`,
          txid: "00",
          eventIndex: index,
          blockHeight: 1,
        })!,
      );
    }
    await executor.drain();

    const outcomes = [...queue.actions.values()].map((a) => `${a.status}:${a.failureCode}`);
    expect(outcomes.filter((o) => o === "failed:400")).toHaveLength(TARGET);
    const rows = await journal.actions.list({ limit: 10_000 });
    expect(rows.every((r) => r.state === "reported" && r.failureCode === 400 && r.failureRetryable === false)).toBe(
      true,
    );
    expect([
      lnd.log.calls,
      loop.log.calls,
      tapd.reserve.log.calls,
      tapd.operations.log.calls,
      tapd.withdrawal.log.calls,
    ]).toEqual([[], [], [], [], []]);
    expect(rows.filter((r) => r.failureDetail === null || r.failureDetail.length === 0)).toEqual([]);
  }, 120_000);
});
