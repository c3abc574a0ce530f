import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import {
  advanceToBurn,
  bytesOf,
  call,
  deployer,
  err,
  mineBurn,
  outsider,
  printsWithTopic,
  read,
  relay,
  setting,
  uint,
  w,
} from "./helpers/chain.ts";
import { outcome, proposal, runAsDao } from "./helpers/lifecycle.ts";
import { channelOpen, rebalancePolicy, relaySet, settingPayload } from "./helpers/payloads.ts";

/** A passed channel-open, due now (eta reached). */
function dueAction() {
  const p = proposal("channel-open", channelOpen());
  p.pass();
  p.advanceToEta();
  return p;
}

const action = (id: bigint) => read("execution-queue", "get-action", [Cl.uint(id)]);
const statusOf = (id: bigint) => {
  const found = action(id);
  if (found.type !== "some" || found.value.type !== "tuple") throw new Error("no action");
  const status = found.value.value.status!;
  return status.type === "ascii" ? status.value : "";
};

describe("set-relay", () => {
  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(call("execution-queue", "set-relay", [Cl.principal(w[1]), Cl.bool(true)], w[1]).result).toEqual(
      err("execution-queue", "ERR_UNAUTHORIZED"),
    );
  });

  it("adds a relay through a passed relay-set proposal and prints relay-set", () => {
    const p = proposal("relay-set", relaySet(w[5]));
    p.pass();
    p.advanceToEta();
    const { result, events } = p.conclude();
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "relay-set")).toEqual([
      Cl.tuple({ topic: Cl.stringAscii("relay-set"), relay: Cl.principal(w[5]), enabled: Cl.bool(true) }),
    ]);
    expect(read("execution-queue", "is-relay", [Cl.principal(w[5])])).toBeBool(true);
  });
});

describe("queue-action", () => {
  it("is queued by conclude and prints action-queued with the payload", () => {
    const p = proposal("channel-open", channelOpen());
    const receipt = p.pass();
    const { eta, expires, vetoCloses } = outcome(p.id);
    expect(printsWithTopic(receipt.events, "action-queued")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("action-queued"),
        id: Cl.uint(p.id),
        "proposal-id": Cl.uint(p.id),
        kind: Cl.stringAscii("channel-open"),
        payload: bytesOf(channelOpen()),
        eta: Cl.uint(eta),
        expires: Cl.uint(expires),
        "veto-closes": Cl.uint(vetoCloses),
        vetoable: Cl.bool(true),
      }),
    ]);
    // the veto window is kept beside the action
    expect(read("execution-queue", "get-veto-window", [Cl.uint(p.id)])).toBeSome(
      Cl.tuple({
        closes: Cl.uint(vetoCloses),
        vetoable: Cl.bool(true),
        "opened-at": Cl.uint(simnet.burnBlockHeight),
      }),
    );
    expect(action(p.id)).toBeSome(
      Cl.tuple({
        "proposal-id": Cl.uint(p.id),
        kind: Cl.stringAscii("channel-open"),
        payload: bytesOf(channelOpen()),
        eta: Cl.uint(eta),
        expires: Cl.uint(expires),
        status: Cl.stringAscii("queued"),
        relay: Cl.none(),
        "claim-expires": Cl.uint(0),
        attempts: Cl.uint(0),
        evidence: Cl.none(),
        "failure-code": Cl.none(),
      }),
    );
  });

  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(
      call(
        "execution-queue",
        "queue-action",
        [
          Cl.uint(99),
          Cl.stringAscii("loop-out"),
          Cl.bufferFromHex("00"),
          Cl.uint(1),
          Cl.uint(2),
          Cl.uint(1),
          Cl.bool(true),
        ],
        outsider,
      ).result,
    ).toEqual(err("execution-queue", "ERR_UNAUTHORIZED"));
  });

  it("refuses an empty window with ERR_BAD_WINDOW and a second queueing with ERR_ACTION_EXISTS", () => {
    expect(
      runAsDao(`(contract-call? '${deployer}.execution-queue queue-action u900 "loop-out" 0x00 u10 u10 u10 true)`)
        .result,
    ).toEqual(err("execution-queue", "ERR_BAD_WINDOW"));
    const p = dueAction();
    expect(
      runAsDao(`(contract-call? '${deployer}.execution-queue queue-action u${p.id} "loop-out" 0x00 u10 u20 u10 true)`)
        .result,
    ).toEqual(err("execution-queue", "ERR_ACTION_EXISTS"));
  });
});

describe("claim", () => {
  it("gives the relay a lease and prints action-claimed", () => {
    const p = dueAction();
    const lease = BigInt(simnet.burnBlockHeight) + setting("claim-lease");
    const { result, events } = p.claim();
    expect(result).toBeOk(Cl.uint(lease));
    expect(printsWithTopic(events, "action-claimed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("action-claimed"),
        id: Cl.uint(p.id),
        relay: Cl.principal(relay),
        "claim-expires": Cl.uint(lease),
        attempts: Cl.uint(0),
      }),
    ]);
    expect(statusOf(p.id)).toBe("claimed");
    expect(p.status()).toBe("executing");
  });

  it("refuses a non-relay with ERR_NOT_RELAY", () => {
    expect(dueAction().claim(w[1]).result).toEqual(err("execution-queue", "ERR_NOT_RELAY"));
  });

  it("refuses an unknown action with ERR_UNKNOWN_ACTION", () => {
    expect(call("execution-queue", "claim", [Cl.uint(4242)], relay).result).toEqual(
      err("execution-queue", "ERR_UNKNOWN_ACTION"),
    );
  });

  it("refuses before eta with ERR_NOT_READY and at expiry with ERR_EXPIRED", () => {
    const p = proposal("channel-open", channelOpen());
    p.pass();
    expect(p.claim().result).toEqual(err("execution-queue", "ERR_NOT_READY"));
    advanceToBurn(outcome(p.id).expires);
    expect(p.claim().result).toEqual(err("execution-queue", "ERR_EXPIRED"));
  });

  it("refuses a second claim while the lease is live (ERR_LEASE_HELD), and allows one after it runs out", () => {
    const p = dueAction();
    expect(p.claim().result.type).toBe("ok");
    expect(p.claim().result).toEqual(err("execution-queue", "ERR_LEASE_HELD"));
    mineBurn(setting("claim-lease"));
    expect(p.claim().result.type).toBe("ok");
  });

  it("refuses while a guardian pause runs (ERR_PAUSED), and allows after it ends", () => {
    const p = dueAction();
    expect(call("guardian", "pause-execution", [], w[7]).result.type).toBe("ok");
    expect(p.claim().result).toEqual(err("execution-queue", "ERR_PAUSED"));
    mineBurn(setting("max-pause"));
    expect(p.claim().result.type).toBe("ok");
  });

  it("refuses a finished action with ERR_FINISHED", () => {
    const p = dueAction();
    p.claim();
    p.reportSuccess();
    expect(p.claim().result).toEqual(err("execution-queue", "ERR_FINISHED"));
  });
});

describe("report-success", () => {
  it("records the evidence, prints action-executed, and the proposal reads executed", () => {
    const p = dueAction();
    p.claim();
    const evidence = "11".repeat(32) + "00000001";
    const { result, events } = p.reportSuccess(evidence);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "action-executed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("action-executed"),
        id: Cl.uint(p.id),
        kind: Cl.stringAscii("channel-open"),
        relay: Cl.principal(relay),
        evidence: Cl.bufferFromHex(evidence),
      }),
    ]);
    expect(p.status()).toBe("executed");
  });

  it("refuses a report by a relay that did not claim (ERR_NOT_CLAIMANT) and by a non-relay (ERR_NOT_RELAY)", () => {
    const p = proposal("relay-set", relaySet(w[5]));
    p.enact();
    const q = dueAction();
    q.claim();
    expect(q.reportSuccess("aa", w[5]).result).toEqual(err("execution-queue", "ERR_NOT_CLAIMANT"));
    expect(q.reportSuccess("aa", w[1]).result).toEqual(err("execution-queue", "ERR_NOT_RELAY"));
  });

  it("refuses an unclaimed action and a replayed report with ERR_NOT_CLAIMED", () => {
    const p = dueAction();
    expect(p.reportSuccess().result).toEqual(err("execution-queue", "ERR_NOT_CLAIMED"));
    p.claim();
    expect(p.reportSuccess().result.type).toBe("ok");
    expect(p.reportSuccess().result).toEqual(err("execution-queue", "ERR_NOT_CLAIMED"));
  });

  it("refuses empty evidence with ERR_EMPTY_EVIDENCE", () => {
    const p = dueAction();
    p.claim();
    expect(call("execution-queue", "report-success", [Cl.uint(p.id), Cl.bufferFromHex("")], relay).result).toEqual(
      err("execution-queue", "ERR_EMPTY_EVIDENCE"),
    );
  });

  it("accepts the claimant's late report after its lease ran out, as long as nobody took over", () => {
    const p = dueAction();
    p.claim();
    mineBurn(setting("claim-lease") + 5n);
    expect(p.reportSuccess().result).toBeOk(Cl.bool(true));
  });

  it("refuses an unknown action with ERR_UNKNOWN_ACTION", () => {
    expect(call("execution-queue", "report-success", [Cl.uint(777), Cl.bufferFromHex("aa")], relay).result).toEqual(
      err("execution-queue", "ERR_UNKNOWN_ACTION"),
    );
  });
});

describe("report-failure", () => {
  it("requeues a retryable failure and prints action-failed", () => {
    const p = dueAction();
    p.claim();
    const { result, events } = p.reportFailure(503n, true);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "action-failed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("action-failed"),
        id: Cl.uint(p.id),
        relay: Cl.principal(relay),
        code: Cl.uint(503),
        retryable: Cl.bool(true),
        detail: Cl.stringAscii("lnd unreachable"),
        attempts: Cl.uint(1),
        final: Cl.bool(false),
      }),
    ]);
    expect(statusOf(p.id)).toBe("queued");
    expect(p.claim().result.type).toBe("ok");
  });

  it("fails for good after max-attempts retryable failures", () => {
    const p = dueAction();
    for (let attempt = 1n; attempt <= setting("max-attempts"); attempt++) {
      expect(p.claim().result.type).toBe("ok");
      expect(p.reportFailure(503n, true).result).toBeOk(Cl.bool(attempt < setting("max-attempts")));
    }
    expect(statusOf(p.id)).toBe("failed");
    expect(p.status()).toBe("failed");
  });

  it("ends a terminal failure as failed with its code", () => {
    const p = dueAction();
    p.claim();
    expect(p.reportFailure(409n, false, "unknown channel").result).toBeOk(Cl.bool(false));
    expect(p.status()).toBe("failed");
  });

  it("refuses code 0 with ERR_BAD_FAILURE_CODE, and a report from a non-relay with ERR_NOT_RELAY", () => {
    const p = dueAction();
    p.claim();
    expect(p.reportFailure(0n, true).result).toEqual(err("execution-queue", "ERR_BAD_FAILURE_CODE"));
    expect(p.reportFailure(400n, false, "x", w[2]).result).toEqual(err("execution-queue", "ERR_NOT_RELAY"));
  });
});

describe("expire", () => {
  it("refuses before expiry with ERR_NOT_EXPIRABLE, then ends the action and prints action-expired", () => {
    const p = dueAction();
    expect(call("execution-queue", "expire", [Cl.uint(p.id)], w[3]).result).toEqual(
      err("execution-queue", "ERR_NOT_EXPIRABLE"),
    );
    advanceToBurn(outcome(p.id).expires);
    expect(p.status()).toBe("expired");
    const { result, events } = call("execution-queue", "expire", [Cl.uint(p.id)], w[3]);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "action-expired")).toEqual([
      Cl.tuple({ topic: Cl.stringAscii("action-expired"), id: Cl.uint(p.id) }),
    ]);
    expect(call("execution-queue", "expire", [Cl.uint(p.id)], w[3]).result).toEqual(
      err("execution-queue", "ERR_FINISHED"),
    );
  });

  it("refuses an unknown action", () => {
    expect(call("execution-queue", "expire", [Cl.uint(31337)], w[3]).result).toEqual(
      err("execution-queue", "ERR_UNKNOWN_ACTION"),
    );
  });
});

describe("veto-action", () => {
  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(call("execution-queue", "veto-action", [Cl.uint(1)], w[1]).result).toEqual(
      err("execution-queue", "ERR_UNAUTHORIZED"),
    );
  });

  it("refuses an unknown or finished action", () => {
    expect(runAsDao(`(contract-call? '${deployer}.execution-queue veto-action u5555)`).result).toEqual(
      err("execution-queue", "ERR_UNKNOWN_ACTION"),
    );
    const p = dueAction();
    p.claim();
    p.reportSuccess();
    expect(runAsDao(`(contract-call? '${deployer}.execution-queue veto-action u${p.id})`).result).toEqual(
      err("execution-queue", "ERR_FINISHED"),
    );
  });
});

describe("report-autonomous", () => {
  function activePolicy(budget = 500_000n) {
    const p = proposal("rebalance-policy", rebalancePolicy({ "budget-sats": Cl.uint(budget) }));
    p.pass();
    p.advanceToEta();
    p.claim();
    p.reportSuccess();
    return p.id;
  }
  const report = (policy: bigint, kind: string, amount: bigint, evidence = "ee".repeat(32), caller = relay) =>
    call(
      "execution-queue",
      "report-autonomous",
      [Cl.uint(policy), Cl.stringAscii(kind), Cl.uint(amount), Cl.bufferFromHex(evidence)],
      caller,
    );

  it("records swaps within the budget and prints autonomous-action", () => {
    const policy = activePolicy();
    const { result, events } = report(policy, "loop-out", 300_000n);
    expect(result).toBeOk(Cl.uint(300_000));
    expect(printsWithTopic(events, "autonomous-action")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("autonomous-action"),
        "policy-id": Cl.uint(policy),
        kind: Cl.stringAscii("loop-out"),
        amount: Cl.uint(300_000),
        evidence: Cl.bufferFromHex("ee".repeat(32)),
        period: Cl.uint(0),
        spent: Cl.uint(300_000),
        relay: Cl.principal(relay),
      }),
    ]);
    expect(report(policy, "loop-in", 200_000n).result).toBeOk(Cl.uint(500_000));
  });

  it("refuses over the budget (ERR_OVER_BUDGET) until the next period", () => {
    const policy = activePolicy(100_000n);
    expect(report(policy, "loop-out", 100_001n).result).toEqual(err("execution-queue", "ERR_OVER_BUDGET"));
    expect(report(policy, "loop-out", 100_000n).result.type).toBe("ok");
    mineBurn(144);
    expect(report(policy, "loop-out", 100_000n).result).toBeOk(Cl.uint(100_000));
  });

  it("refuses without an active policy, or for another policy id, with ERR_NOT_ACTIVE_POLICY", () => {
    expect(report(1n, "loop-out", 1n).result).toEqual(err("execution-queue", "ERR_NOT_ACTIVE_POLICY"));
    const policy = activePolicy();
    expect(report(policy + 1n, "loop-out", 1n).result).toEqual(err("execution-queue", "ERR_NOT_ACTIVE_POLICY"));
    expect(read("execution-queue", "get-active-policy").type).toBe("some");
  });

  it("refuses a bad kind, a zero amount, empty evidence and a non-relay", () => {
    const policy = activePolicy();
    expect(report(policy, "channel-open", 1n).result).toEqual(err("execution-queue", "ERR_BAD_KIND"));
    expect(report(policy, "loop-out", 0n).result).toEqual(err("execution-queue", "ERR_ZERO_AMOUNT"));
    expect(report(policy, "loop-out", 1n, "").result).toEqual(err("execution-queue", "ERR_EMPTY_EVIDENCE"));
    expect(report(policy, "loop-out", 1n, "aa", w[1]).result).toEqual(err("execution-queue", "ERR_NOT_RELAY"));
    expect(read("execution-queue", "get-autonomous-spent", [Cl.uint(policy), Cl.uint(0)])).toBeUint(0);
  });
});

describe("claims and relays", () => {
  function enableSecondRelay() {
    proposal("relay-set", relaySet(w[5])).enact();
  }

  it("a second relay takes over a claim whose lease ran out; the old claimant's receipt: ERR_NOT_CLAIMANT", () => {
    enableSecondRelay();
    const p = dueAction();
    const claimExpires = uint(p.claim().result);
    expect(p.claim(w[5]).result).toEqual(err("execution-queue", "ERR_LEASE_HELD"));
    advanceToBurn(claimExpires);
    expect(p.claim(w[5]).result).toBeOk(Cl.uint(BigInt(simnet.burnBlockHeight) + setting("claim-lease")));
    expect(p.reportSuccess("aa".repeat(32), relay).result).toEqual(err("execution-queue", "ERR_NOT_CLAIMANT"));
    expect(p.reportSuccess("bb".repeat(32), w[5]).result).toBeOk(Cl.bool(true));
    expect(statusOf(p.id)).toBe("executed");
  });

  it("voids a disabled relay's claim at once: its receipt fails ERR_NOT_RELAY and another relay may claim", () => {
    enableSecondRelay();
    proposal("setting", settingPayload("claim-lease", 1_008n)).enact();
    const p = dueAction();
    const claimExpires = uint(p.claim().result);
    proposal("relay-set", relaySet(relay, false)).enact();
    // the lease would still run, but its holder is no relay any more
    expect(BigInt(simnet.burnBlockHeight)).toBeLessThan(claimExpires);
    expect(p.reportSuccess("aa".repeat(32), relay).result).toEqual(err("execution-queue", "ERR_NOT_RELAY"));
    expect(p.reportFailure(500n, true, "x", relay).result).toEqual(err("execution-queue", "ERR_NOT_RELAY"));
    expect(p.claim(w[5]).result.type).toBe("ok");
    expect(p.reportSuccess("bb".repeat(32), w[5]).result).toBeOk(Cl.bool(true));
  });
});

describe("receipts and expiry agree", () => {
  function claimedJustBeforeExpiry() {
    const p = dueAction();
    advanceToBurn(outcome(p.id).expires - 2n);
    const claimExpires = uint(p.claim().result);
    expect(claimExpires).toBeGreaterThan(outcome(p.id).expires);
    return { p, claimExpires };
  }

  it("lets a live lease win over the expiry: get-action says claimed, expire is refused, the receipt lands", () => {
    const { p } = claimedJustBeforeExpiry();
    advanceToBurn(outcome(p.id).expires + 1n);
    expect(statusOf(p.id)).toBe("claimed");
    expect(call("execution-queue", "expire", [Cl.uint(p.id)], w[3]).result).toEqual(
      err("execution-queue", "ERR_NOT_EXPIRABLE"),
    );
    expect(p.reportSuccess().result).toBeOk(Cl.bool(true));
  });

  it("past the expiry, lease run out: get-action says expired, the receipt fails ERR_EXPIRED, expire works", () => {
    const { p, claimExpires } = claimedJustBeforeExpiry();
    advanceToBurn(claimExpires);
    expect(statusOf(p.id)).toBe("expired");
    expect(p.reportSuccess().result).toEqual(err("execution-queue", "ERR_EXPIRED"));
    expect(p.reportFailure(500n, true).result).toEqual(err("execution-queue", "ERR_EXPIRED"));
    expect(call("execution-queue", "expire", [Cl.uint(p.id)], w[3]).result).toBeOk(Cl.bool(true));
  });
});

describe("the active rebalance-policy", () => {
  it("keeps the newest passed policy when an older one is reported after it", () => {
    const older = proposal("rebalance-policy", rebalancePolicy({ "budget-sats": Cl.uint(111) }));
    older.pass();
    const newer = proposal("rebalance-policy", rebalancePolicy({ "budget-sats": Cl.uint(222) }), w[2]);
    newer.pass();
    expect(outcome(newer.id).eta).toBeGreaterThan(outcome(older.id).eta);
    newer.advanceToEta();
    older.claim();
    newer.claim();
    expect(newer.reportSuccess().result).toBeOk(Cl.bool(true));
    expect(older.reportSuccess().result).toBeOk(Cl.bool(true));
    const active = read("execution-queue", "get-active-policy");
    expect(active.type === "some" && active.value.type === "tuple" && active.value.value.id).toEqual(Cl.uint(newer.id));
    expect(active.type === "some" && active.value.type === "tuple" && active.value.value["budget-sats"]).toEqual(
      Cl.uint(222),
    );
  });
});
