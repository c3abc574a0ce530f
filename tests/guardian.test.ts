import { describe, expect, it } from "vitest";
import { Cl, ClarityType } from "@stacks/transactions";
import { runAsDao } from "./helpers/lifecycle.ts";
import {
  changeSetting,
  conclude,
  enactQuadratic,
  errorOf,
  eventsWithTopic,
  guardians,
  passQuadratic,
  readOnly,
  relay,
  setting,
  status,
  wallet,
  applyAfterTimelock,
  uintOf,
  gtBalance,
  contractId,
  propose,
  proposalWindow,
  advanceTo,
} from "./helpers/ext-governance.ts";

const G = "guardian";
const err = (name: string) => errorOf(G, name);
const [guardian1, guardian2] = guardians() as [string, string];
const pause = (who: string) => simnet.callPublicFn(G, "pause-execution", [], who);
const veto = (id: bigint, who: string) => simnet.callPublicFn(G, "veto", [Cl.uint(id)], who);
const isPaused = () => readOnly(G, "is-paused");

// A passed off-chain action, queued in execution-queue: a watchtower, the smallest payload.
function queuedWatchtower(): bigint {
  return passQuadratic(
    "watchtower",
    Cl.tuple({
      add: Cl.bool(true),
      pubkey: Cl.bufferFromHex(`03${"22".repeat(32)}`),
      host: Cl.stringAscii("tower.example:9911"),
    }),
  );
}
// A passed chain-kind proposal waiting for its timelock: the window is open, nothing applied yet.
function concludedSetting(key: string, value: bigint): bigint {
  return passQuadratic("setting", Cl.tuple({ key: Cl.stringAscii(key), value: Cl.uint(value) }));
}

describe("set-guardian", () => {
  it("refuses a direct call with ERR_UNAUTHORIZED", () => {
    expect(
      simnet.callPublicFn(G, "set-guardian", [Cl.principal(wallet(1)), Cl.bool(true)], wallet(1)).result,
    ).toStrictEqual(err("ERR_UNAUTHORIZED"));
  });

  it("adds a guardian through a passed guardian-set proposal and prints guardian-set", () => {
    const { applied } = enactQuadratic(
      "guardian-set",
      Cl.tuple({ guardian: Cl.principal(wallet(5)), enabled: Cl.bool(true) }),
    );
    expect(readOnly(G, "is-guardian", [Cl.principal(wallet(5))])).toStrictEqual(Cl.bool(true));
    expect(eventsWithTopic(applied.events, "guardian-set")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("guardian-set"),
        guardian: Cl.principal(wallet(5)),
        enabled: Cl.bool(true),
      }),
    ]);
  });
});

describe("pause-execution", () => {
  it("refuses a caller that is not a guardian with ERR_NOT_GUARDIAN", () => {
    expect(pause(wallet(1)).result).toStrictEqual(err("ERR_NOT_GUARDIAN"));
  });

  it("lets one guardian pause for max-pause blocks, prints execution-paused, and ends by itself", () => {
    const until = BigInt(simnet.burnBlockHeight) + setting("max-pause");
    const { result, events } = pause(guardian1);
    expect(result).toStrictEqual(Cl.ok(Cl.uint(until)));
    expect(eventsWithTopic(events, "execution-paused")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("execution-paused"),
        guardian: Cl.principal(guardian1),
        until: Cl.uint(until),
      }),
    ]);
    expect(setting("paused-until")).toBe(until);
    expect(pause(guardian2).result).toStrictEqual(err("ERR_ALREADY_PAUSED"));
    simnet.mineEmptyBurnBlocks(Number(setting("max-pause")));
    expect(isPaused()).toStrictEqual(Cl.bool(false));
  });

  it("makes execution-queue.claim fail while paused, and claim works once the pause ends", () => {
    const id = queuedWatchtower();
    simnet.mineEmptyBurnBlocks(Number(setting("watchtower:timelock")));
    pause(guardian1);
    const claim = () => simnet.callPublicFn("execution-queue", "claim", [Cl.uint(id)], relay());
    expect(claim().result.type).toBe(ClarityType.ResponseErr);
    simnet.mineEmptyBurnBlocks(Number(setting("max-pause")));
    expect(claim().result.type).toBe(ClarityType.ResponseOk);
  });
});

describe("resume-execution", () => {
  it("refuses a direct call with ERR_UNAUTHORIZED", () => {
    pause(guardian1);
    expect(simnet.callPublicFn(G, "resume-execution", [], wallet(1)).result).toStrictEqual(err("ERR_UNAUTHORIZED"));
  });

  it("ends a pause when the DAO calls it, and prints execution-resumed", () => {
    changeSetting("max-pause", 2016n);
    pause(guardian1);
    const { result, events } = runAsDao("(contract-call? .guardian resume-execution)");
    expect(result).toStrictEqual(Cl.ok(Cl.bool(true)));
    // `by` is the contract that called: here the proposal contract lvdao-core ran
    const [resumed] = eventsWithTopic(events, "execution-resumed");
    expect(resumed?.type === ClarityType.Tuple && Object.keys(resumed.value).sort()).toStrictEqual(["by", "topic"]);
    expect(resumed?.type === ClarityType.Tuple && Cl.prettyPrint(resumed.value.by!)).toMatch(/\.dao-script-/);
    expect(isPaused()).toStrictEqual(Cl.bool(false));
  });

  it("refuses to resume when nothing is paused with ERR_NOT_PAUSED", () => {
    expect(runAsDao("(contract-call? .guardian resume-execution)").result).toStrictEqual(err("ERR_NOT_PAUSED"));
  });

  it("ends a pause early when a setting proposal sets paused-until to 0", () => {
    changeSetting("max-pause", 2016n);
    pause(guardian1);
    changeSetting("paused-until", 0n);
    expect(isPaused()).toStrictEqual(Cl.bool(false));
  });
});

describe("veto", () => {
  it("refuses a caller that is not a guardian with ERR_NOT_GUARDIAN", () => {
    expect(veto(1n, wallet(1)).result).toStrictEqual(err("ERR_NOT_GUARDIAN"));
  });

  it("opens a window once per proposal: a second open-veto-window answers ERR_WINDOW_EXISTS", () => {
    const id = concludedSetting("max-loop-sats", 123_456n);
    expect(runAsDao(`(contract-call? .guardian open-veto-window u${id} u1000000 true)`).result).toStrictEqual(
      err("ERR_WINDOW_EXISTS"),
    );
  });

  it("is opened by proposals.conclude for a passed proposal, closing at min(conclude + veto-window, eta)", () => {
    const id = propose("setting", Cl.tuple({ key: Cl.stringAscii("max-loop-sats"), value: Cl.uint(123_456) }));
    advanceTo(proposalWindow(id).start);
    for (const voter of [wallet(1), wallet(2), wallet(3)]) {
      simnet.callPublicFn("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(900_000), Cl.bool(true)], voter);
    }
    advanceTo(proposalWindow(id).end);
    const { events } = conclude(id);
    const now = BigInt(simnet.burnBlockHeight);
    const closes = [now + setting("veto-window"), now + setting("setting:timelock")].reduce((a, b) => (a < b ? a : b));
    expect(eventsWithTopic(events, "veto-window-opened")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("veto-window-opened"),
        id: Cl.uint(id),
        closes: Cl.uint(closes),
        offchain: Cl.bool(false),
        vetoable: Cl.bool(true),
      }),
    ]);
  });

  it("refuses a proposal that has no veto window with ERR_NO_VETO_WINDOW", () => {
    expect(veto(999n, guardian1).result).toStrictEqual(err("ERR_NO_VETO_WINDOW"));
  });

  it("vetoes at veto-quorum votes: status vetoed, the setting is never applied, the bond is kept", () => {
    const before = setting("max-loop-sats");
    const id = concludedSetting("max-loop-sats", 123_456n);
    const first = veto(id, guardian1);
    expect(first.result).toStrictEqual(Cl.ok(Cl.bool(false)));
    expect(eventsWithTopic(first.events, "veto-cast")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("veto-cast"),
        id: Cl.uint(id),
        guardian: Cl.principal(guardian1),
        votes: Cl.uint(1),
        quorum: Cl.uint(setting("veto-quorum")),
        vetoed: Cl.bool(false),
      }),
    ]);
    expect(readOnly(G, "has-voted", [Cl.uint(id), Cl.principal(guardian1)])).toStrictEqual(Cl.bool(true));
    expect(readOnly(G, "has-voted", [Cl.uint(id), Cl.principal(guardian2)])).toStrictEqual(Cl.bool(false));
    expect(veto(id, guardian1).result).toStrictEqual(err("ERR_ALREADY_VOTED"));
    expect(veto(id, guardian2).result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(readOnly(G, "is-vetoed", [Cl.uint(id)])).toStrictEqual(Cl.bool(true));
    expect(status(id)).toBe("vetoed");
    simnet.mineEmptyBurnBlocks(Number(setting("setting:timelock")) + 1);
    conclude(id);
    expect(setting("max-loop-sats")).toBe(before);
    const proposer = wallet(1);
    const held = gtBalance(proposer);
    const released = simnet.callPublicFn("proposals", "release-bond", [Cl.uint(id)], wallet(5));
    expect(eventsWithTopic(released.events, "bond-settled")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("bond-settled"),
        id: Cl.uint(id),
        amount: Cl.uint(setting("proposal-bond")),
        returned: Cl.bool(false),
        recipient: Cl.principal(contractId("treasury")),
      }),
    ]);
    expect(gtBalance(proposer)).toBe(held);
  });

  it("refuses a further vote on a vetoed proposal with ERR_ALREADY_VETOED", () => {
    enactQuadratic("guardian-set", Cl.tuple({ guardian: Cl.principal(wallet(5)), enabled: Cl.bool(true) }));
    const id = concludedSetting("max-loop-sats", 123_456n);
    veto(id, guardian1);
    veto(id, guardian2);
    expect(veto(id, wallet(5)).result).toStrictEqual(err("ERR_ALREADY_VETOED"));
  });

  it("withdraws a vetoed off-chain action: the relay cannot claim it", () => {
    const id = queuedWatchtower();
    veto(id, guardian1);
    expect(veto(id, guardian2).result).toStrictEqual(Cl.ok(Cl.bool(true)));
    simnet.mineEmptyBurnBlocks(Number(setting("watchtower:timelock")));
    expect(simnet.callPublicFn("execution-queue", "claim", [Cl.uint(id)], relay()).result.type).toBe(
      ClarityType.ResponseErr,
    );
    expect(status(id)).toBe("vetoed");
  });

  it("refuses a veto after the window closed with ERR_VETO_WINDOW_CLOSED", () => {
    const id = concludedSetting("max-loop-sats", 123_456n);
    const window = readOnly(G, "get-veto-window", [Cl.uint(id)]);
    if (window.type !== ClarityType.OptionalSome || window.value.type !== ClarityType.Tuple)
      throw new Error("no window");
    const closes = uintOf(window.value.value.closes!);
    simnet.mineEmptyBurnBlocks(Number(closes) - simnet.burnBlockHeight);
    expect(veto(id, guardian1).result).toStrictEqual(err("ERR_VETO_WINDOW_CLOSED"));
    applyAfterTimelock(id, "setting");
    expect(setting("max-loop-sats")).toBe(123_456n);
  });
});

describe("guardian-sunset", () => {
  it("ends every guardian power with ERR_SUNSET, a veto inside an open window included", () => {
    changeSetting("veto-window", 4_320n);
    changeSetting("setting:timelock", 1_000n);
    // the DAO moves the sunset 400 blocks ahead; a proposal then passes with its veto window open past it
    changeSetting("guardian-sunset", BigInt(simnet.burnBlockHeight) + 400n);
    const id = concludedSetting("max-loop-sats", 123_456n);
    const window = readOnly(G, "get-veto-window", [Cl.uint(id)]);
    if (window.type !== ClarityType.OptionalSome || window.value.type !== ClarityType.Tuple)
      throw new Error("no window");
    const sunset = setting("guardian-sunset");
    expect(uintOf(window.value.value.closes!)).toBeGreaterThan(sunset + 1n);
    advanceTo(sunset);
    expect(readOnly(G, "powers-active")).toStrictEqual(Cl.bool(false));
    expect(BigInt(simnet.burnBlockHeight)).toBeLessThan(uintOf(window.value.value.closes!));
    expect(pause(guardian1).result).toStrictEqual(err("ERR_SUNSET"));
    expect(veto(id, guardian1).result).toStrictEqual(err("ERR_SUNSET"));
  });

  it("ends a running pause at the sunset: a pause is cut to the sunset, and claim works from it", () => {
    const id = queuedWatchtower();
    changeSetting("guardian-sunset", BigInt(simnet.burnBlockHeight) + 300n);
    const sunset = setting("guardian-sunset");
    advanceTo(sunset - 50n);
    expect(pause(guardian1).result).toStrictEqual(Cl.ok(Cl.uint(sunset)));
    const claim = () => simnet.callPublicFn("execution-queue", "claim", [Cl.uint(id)], relay());
    expect(claim().result).toStrictEqual(errorOf("execution-queue", "ERR_PAUSED"));
    advanceTo(sunset);
    expect(isPaused()).toStrictEqual(Cl.bool(false));
    expect(claim().result.type).toBe(ClarityType.ResponseOk);
  });

  it("still ends a pause at the sunset when the DAO moves the sunset earlier during it", () => {
    changeSetting("max-pause", 2_016n);
    changeSetting("pause-budget", 2_016n);
    const id = queuedWatchtower();
    pause(guardian1);
    const early = BigInt(simnet.burnBlockHeight) + 200n;
    changeSetting("guardian-sunset", early);
    expect(setting("paused-until")).toBeGreaterThan(early);
    advanceTo(early);
    expect(isPaused()).toStrictEqual(Cl.bool(false));
    expect(simnet.callPublicFn("execution-queue", "claim", [Cl.uint(id)], relay()).result.type).toBe(
      ClarityType.ResponseOk,
    );
  });
});

describe("the DAO governs its guardians without their consent", () => {
  it("opens an unvetoable window for a guardian-set: ERR_NOT_VETOABLE, and the guardian is removed", () => {
    const id = passQuadratic("guardian-set", Cl.tuple({ guardian: Cl.principal(guardian1), enabled: Cl.bool(false) }));
    expect(veto(id, guardian1).result).toStrictEqual(err("ERR_NOT_VETOABLE"));
    expect(veto(id, guardian2).result).toStrictEqual(err("ERR_NOT_VETOABLE"));
    applyAfterTimelock(id, "guardian-set");
    expect(readOnly(G, "is-guardian", [Cl.principal(guardian1)])).toStrictEqual(Cl.bool(false));
  });

  it.each(["guardian-sunset", "veto-quorum", "max-pause", "pause-cooldown", "pause-budget", "paused-until"])(
    "opens an unvetoable window for a setting of %s",
    (key) => {
      const value =
        key === "guardian-sunset" ? BigInt(simnet.burnBlockHeight) + 500n : key === "paused-until" ? 0n : 2n;
      const id = passQuadratic("setting", Cl.tuple({ key: Cl.stringAscii(key), value: Cl.uint(value) }));
      expect(veto(id, guardian1).result).toStrictEqual(err("ERR_NOT_VETOABLE"));
      applyAfterTimelock(id, "setting");
      expect(setting(key)).toBe(value);
    },
  );

  it("still lets guardians veto a setting that does not govern them", () => {
    const id = concludedSetting("max-loop-sats", 123_456n);
    expect(veto(id, guardian1).result).toStrictEqual(Cl.ok(Cl.bool(false)));
  });
});

describe("pause limits", () => {
  // a fresh pause period, so the budget starts unused
  const toNextPeriod = () => {
    const period = setting("pause-period");
    advanceTo((BigInt(simnet.burnBlockHeight) / period + 1n) * period);
  };

  it("makes a guardian wait pause-cooldown between its own pauses: ERR_PAUSE_COOLDOWN", () => {
    toNextPeriod();
    pause(guardian1);
    simnet.mineEmptyBurnBlocks(Number(setting("max-pause")));
    expect(setting("pause-cooldown")).toBeGreaterThan(setting("max-pause"));
    expect(pause(guardian1).result).toStrictEqual(err("ERR_PAUSE_COOLDOWN"));
  });

  it("caps pauses per period: guardians taking turns stop at pause-budget with ERR_PAUSE_BUDGET", () => {
    toNextPeriod();
    const start = BigInt(simnet.burnBlockHeight);
    const budget = setting("pause-budget");
    let paused = 0n;
    let turn = 0;
    while (paused < budget) {
      const guardian = turn % 2 === 0 ? guardian1 : guardian2;
      // each guardian waits out its own cooldown; the two take turns as soon as they may
      const last = readOnly(G, "get-last-pause", [Cl.principal(guardian)]);
      if (last.type === ClarityType.OptionalSome) advanceTo(uintOf(last.value) + setting("pause-cooldown"));
      const { result } = pause(guardian);
      expect(result.type, `pause ${turn}`).toBe(ClarityType.ResponseOk);
      paused += uintOf(result) - BigInt(simnet.burnBlockHeight);
      simnet.mineEmptyBurnBlocks(Number(uintOf(result)) - simnet.burnBlockHeight);
      turn += 1;
    }
    expect(paused).toBe(budget);
    expect(readOnly(G, "get-paused-in-period", [Cl.uint(start / setting("pause-period"))])).toStrictEqual(
      Cl.uint(budget),
    );
    const next = turn % 2 === 0 ? guardian1 : guardian2;
    const last = readOnly(G, "get-last-pause", [Cl.principal(next)]);
    if (last.type === ClarityType.OptionalSome) advanceTo(uintOf(last.value) + setting("pause-cooldown"));
    expect(BigInt(simnet.burnBlockHeight) / setting("pause-period")).toBe(start / setting("pause-period"));
    expect(pause(next).result).toStrictEqual(err("ERR_PAUSE_BUDGET"));
  });
});
