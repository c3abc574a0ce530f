import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { tx } from "@stacks/clarinet-sdk";
import {
  GT_1M,
  advanceToBurn,
  bytesOf,
  call,
  contract,
  deployer,
  err,
  gtBalance,
  mineBurn,
  outsider,
  printsWithTopic,
  read,
  setting,
  uint,
  w,
} from "./helpers/chain.ts";
import { facts, outcome, proposal, runAsDao, status } from "./helpers/lifecycle.ts";
import { bodyHash } from "../offchain/actions/proposal-text.ts";
import { hexToBytes } from "../offchain/actions/bytes.ts";
import {
  channelOpen,
  contractProposal,
  feePolicy,
  lvTransfer,
  gtGrant,
  guardianSet,
  lvAllocation,
  memberAttestor,
  relaySet,
  settingPayload,
} from "./helpers/payloads.ts";

const BOND = 100_000_000n;

/** floor(sqrt(n)), as Clarity's sqrti. */
function isqrt(n: bigint): bigint {
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}
const propose = (
  kind: string,
  payload: Parameters<typeof bytesOf>[0],
  caller = w[1],
  title = "t",
  body = "Why: a test.",
  link: string | null = null,
) =>
  call(
    "proposals",
    "propose",
    [
      Cl.stringAscii(kind),
      bytesOf(payload),
      Cl.stringUtf8(title),
      Cl.stringUtf8(body),
      link === null ? Cl.none() : Cl.some(Cl.stringAscii(link)),
    ],
    caller,
  );
const stake = (id: bigint, amount: bigint, who: string) =>
  call("conviction-voting", "stake", [Cl.uint(id), Cl.uint(amount)], who);

/** Stakes 500,000 GT from wallet_1..3 on a conviction proposal and mines until conviction >= threshold. */
function convictionReached(id: bigint) {
  for (const who of [w[1], w[2], w[3]]) expect(stake(id, 500_000_000_000n, who).result.type).toBe("ok");
  const threshold = uint(read("conviction-voting", "get-threshold", [Cl.uint(id)]));
  for (let i = 0; i < 400 && uint(read("conviction-voting", "get-conviction", [Cl.uint(id)])) < threshold; i++)
    mineBurn(5);
}

describe("propose", () => {
  it("creates a proposal, escrows the bond and prints proposal-created with the body and link", () => {
    const before = gtBalance(w[1]);
    const body = "## Why\n\nFees on *this* channel are too high. ✓";
    const link = "https://forum.example.org/t/lower-fees/12";
    const { result, events } = propose("fee-policy", feePolicy(), w[1], "Lower fees", body, link);
    expect(result).toBeOk(Cl.uint(1));
    const f = facts(1n);
    // the snapshot lies voting-delay blocks after the block before propose, out of the proposer's choosing
    expect(f.snapshotHeight).toBe(BigInt(simnet.blockHeight - 1) + setting("fee-policy:voting-delay"));
    expect(f.start).toBe(BigInt(simnet.burnBlockHeight) + setting("fee-policy:voting-delay"));
    expect(printsWithTopic(events, "proposal-created")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("proposal-created"),
        id: Cl.uint(1),
        kind: Cl.stringAscii("fee-policy"),
        proposer: Cl.principal(w[1]),
        payload: bytesOf(feePolicy()),
        title: Cl.stringUtf8("Lower fees"),
        body: Cl.stringUtf8(body),
        link: Cl.some(Cl.stringAscii(link)),
        "details-hash": Cl.bufferFromHex(bodyHash(body)),
        start: Cl.uint(f.start),
        end: Cl.uint(f.end),
        "snapshot-height": Cl.uint(f.snapshotHeight),
        mechanism: Cl.uint(1),
        bond: Cl.uint(BOND),
      }),
    ]);
    expect(gtBalance(w[1])).toBe(before - BOND);
    expect(gtBalance(contract("proposals"))).toBe(BOND);
    expect(status(1n)).toBe("pending");
  });

  it("never gives an id to a malformed payload", () => {
    expect(propose("channel-open", channelOpen({ "cltv-delta": Cl.uint(5) })).result).toEqual(
      err("action-validator", "ERR_CLTV_DELTA"),
    );
    expect(propose("lv-allocation", Cl.uint(1)).result).toEqual(err("action-validator", "ERR_MALFORMED_PAYLOAD"));
    expect(propose("no-such-kind", Cl.uint(1)).result).toEqual(err("action-validator", "ERR_UNKNOWN_KIND"));
    expect(read("proposals", "get-last-id")).toBeUint(0);
  });

  it("refuses a holder below the proposal threshold with ERR_BELOW_THRESHOLD", () => {
    expect(propose("fee-policy", feePolicy(), outsider).result).toEqual(err("proposals", "ERR_BELOW_THRESHOLD"));
  });

  it("measures the threshold at the previous block: GT received in the same block does not count", () => {
    const block = simnet.mineBlock([
      tx.callPublicFn(
        "gt-token",
        "transfer",
        [Cl.uint(GT_1M), Cl.principal(w[2]), Cl.principal(outsider), Cl.none()],
        w[2],
      ),
      tx.callPublicFn(
        "proposals",
        "propose",
        [Cl.stringAscii("fee-policy"), bytesOf(feePolicy()), Cl.stringUtf8("t"), Cl.stringUtf8("b"), Cl.none()],
        outsider,
      ),
    ]);
    expect(block[1]!.result).toEqual(err("proposals", "ERR_BELOW_THRESHOLD"));
    expect(propose("fee-policy", feePolicy(), outsider).result).toBeOk(Cl.uint(1));
  });

  it("refuses a contract proposing with the holder's GT (tx-sender phishing)", () => {
    simnet.deployContract(
      "phish-propose",
      `(define-public (go (payload (buff 2048)))
  (contract-call? '${deployer}.proposals propose "fee-policy" payload u"free GT" u"free GT" none))`,
      { clarityVersion: 4 },
      deployer,
    );
    expect(call("phish-propose", "go", [bytesOf(feePolicy())], w[1]).result).toEqual(
      err("proposals", "ERR_BELOW_THRESHOLD"),
    );
  });

  it("limits open proposals per proposer with ERR_TOO_MANY_ACTIVE", () => {
    for (let i = 0; i < Number(setting("max-active-per-proposer")); i++)
      expect(propose("fee-policy", feePolicy()).result.type).toBe("ok");
    expect(propose("fee-policy", feePolicy()).result).toEqual(err("proposals", "ERR_TOO_MANY_ACTIVE"));
    expect(read("proposals", "get-open-count", [Cl.principal(w[1])])).toBeUint(3);
  });

  it("refuses an empty title with ERR_EMPTY_TITLE and an empty body with ERR_EMPTY_BODY", () => {
    expect(propose("fee-policy", feePolicy(), w[1], "").result).toEqual(err("proposals", "ERR_EMPTY_TITLE"));
    expect(propose("fee-policy", feePolicy(), w[1], "t", "").result).toEqual(err("proposals", "ERR_EMPTY_BODY"));
    expect(read("proposals", "get-last-id")).toBeUint(0);
  });

  it.each([
    ["ftp://example.org/x", false],
    ["https://", false],
    ["http://", false],
    ["https://example.org/a b", false],
    ["example.org", false],
    ["HTTPS://example.org", false],
    ["https://e", true],
    ["http://forum.local/t/1", true],
    [`https://${"a".repeat(248)}`, true],
  ])("takes the discussion link %j only as an http(s) URL (else ERR_BAD_LINK): %s", (link, accepted) => {
    const { result } = propose("fee-policy", feePolicy(), w[1], "t", "b", link);
    if (accepted) expect(result).toBeOk(Cl.uint(1));
    else expect(result).toEqual(err("proposals", "ERR_BAD_LINK"));
  });

  it("keeps only the body's hash, which proposals.body-hash and the codec's bodyHash compute alike", () => {
    const bodies = ["b", "## Title\n\n- one\n- two", "Ünïcödé 🚀 text", "x".repeat(4096), "🚀".repeat(4096)];
    for (const body of bodies) {
      expect(read("proposals", "body-hash", [Cl.stringUtf8(body)])).toBeBuff(hexToBytes(bodyHash(body)));
    }
    expect(propose("fee-policy", feePolicy(), w[1], "t", bodies[4]).result).toBeOk(Cl.uint(1));
    const stored = read("proposals", "get-proposal", [Cl.uint(1)]);
    expect(stored).toBeSome(expect.anything());
    expect(Cl.prettyPrint(stored)).toContain(`details-hash: 0x${bodyHash(bodies[4]!)}`);
    expect(Cl.prettyPrint(stored)).not.toContain("🚀");
  });

  it("refuses a proposer who cannot pay the bond, with gt-token's error", () => {
    proposal("setting", settingPayload("proposal-threshold", 0n)).enact();
    expect(propose("fee-policy", feePolicy(), outsider).result).toEqual(err("gt-token", "ERR_INSUFFICIENT_BALANCE"));
  });

  it("copies the voting config, so a later settings change does not move a running vote", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    const end = facts(p.id).end;
    proposal("setting", settingPayload("fee-policy:voting-period", 1000n), w[2]).enact();
    expect(facts(p.id).end).toBe(end);
  });
});

describe("cancel", () => {
  it("returns the bond before voting starts and prints proposal-cancelled", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    const before = gtBalance(w[1]);
    const { result, events } = call("proposals", "cancel", [Cl.uint(p.id)], w[1]);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "proposal-cancelled")).toEqual([
      Cl.tuple({ topic: Cl.stringAscii("proposal-cancelled"), id: Cl.uint(p.id), late: Cl.bool(false) }),
    ]);
    expect(gtBalance(w[1])).toBe(before + BOND);
    expect(p.status()).toBe("cancelled");
  });

  it("sends the bond to the treasury when cancelled after voting started", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    p.advanceToStart();
    const { result, events } = call("proposals", "cancel", [Cl.uint(p.id)], w[1]);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "bond-settled")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("bond-settled"),
        id: Cl.uint(p.id),
        amount: Cl.uint(BOND),
        returned: Cl.bool(false),
        recipient: Cl.principal(contract("treasury")),
      }),
    ]);
    expect(gtBalance(contract("treasury"))).toBe(BOND);
  });

  it("refuses anyone but the proposer (ERR_NOT_PROPOSER), unknown ids and closed proposals", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    expect(call("proposals", "cancel", [Cl.uint(p.id)], w[2]).result).toEqual(err("proposals", "ERR_NOT_PROPOSER"));
    expect(call("proposals", "cancel", [Cl.uint(77)], w[2]).result).toEqual(err("proposals", "ERR_UNKNOWN_PROPOSAL"));
    call("proposals", "cancel", [Cl.uint(p.id)], w[1]);
    expect(call("proposals", "cancel", [Cl.uint(p.id)], w[1]).result).toEqual(err("proposals", "ERR_CLOSED"));
    expect(p.conclude().result).toEqual(err("proposals", "ERR_CLOSED"));
  });
});

describe("conclude", () => {
  it("queues a passed off-chain action with eta = now + timelock and prints concluded and queued", () => {
    const p = proposal("channel-open", channelOpen());
    p.propose();
    p.advanceToStart();
    p.voteThrough();
    p.vote(w[4], 10n, false);
    p.advanceToEnd();
    expect(p.status()).toBe("succeeded");
    const { result, events } = p.conclude();
    expect(result).toBeOk(Cl.bool(true));
    const eta = BigInt(simnet.burnBlockHeight) + setting("channel-open:timelock");
    expect(printsWithTopic(events, "proposal-concluded")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("proposal-concluded"),
        id: Cl.uint(p.id),
        passed: Cl.bool(true),
        "votes-for": Cl.uint(2_700_000),
        "votes-against": Cl.uint(10),
      }),
    ]);
    expect(printsWithTopic(events, "proposal-queued")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("proposal-queued"),
        id: Cl.uint(p.id),
        eta: Cl.uint(eta),
        expires: Cl.uint(eta + 1008n),
      }),
    ]);
    expect(p.status()).toBe("queued");
  });

  it("defeats a proposal below quorum and returns its bond", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    p.advanceToStart();
    p.vote(w[2], 999_999n);
    p.advanceToEnd();
    expect(p.status()).toBe("defeated");
    const before = gtBalance(w[1]);
    const { result, events } = p.conclude();
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "proposal-concluded")[0]).toEqual(
      Cl.tuple({
        topic: Cl.stringAscii("proposal-concluded"),
        id: Cl.uint(p.id),
        passed: Cl.bool(false),
        "votes-for": Cl.uint(999_999),
        "votes-against": Cl.uint(0),
      }),
    );
    expect(gtBalance(w[1])).toBe(before + BOND);
    expect(p.status()).toBe("defeated");
  });

  it("defeats a proposal whose for-share is below pass-bps", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    p.advanceToStart();
    p.vote(w[2], 600_000n);
    p.vote(w[3], 600_001n, false);
    p.advanceToEnd();
    p.conclude();
    expect(p.status()).toBe("defeated");
  });

  it("refuses before the voting period ends with ERR_VOTING_NOT_ENDED", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    p.advanceToStart();
    expect(p.status()).toBe("active");
    expect(p.conclude().result).toEqual(err("proposals", "ERR_VOTING_NOT_ENDED"));
  });

  it("concludes once: a second conclude of an off-chain action is ERR_ALREADY_CONCLUDED", () => {
    const p = proposal("fee-policy", feePolicy());
    p.pass();
    expect(p.conclude().result).toEqual(err("proposals", "ERR_ALREADY_CONCLUDED"));
    p.advanceToEta();
    expect(p.conclude().result).toEqual(err("proposals", "ERR_ALREADY_CONCLUDED"));
  });

  it("refuses an unknown id with ERR_UNKNOWN_PROPOSAL", () => {
    expect(call("proposals", "conclude", [Cl.uint(404)], w[1]).result).toEqual(
      err("proposals", "ERR_UNKNOWN_PROPOSAL"),
    );
  });

  it.each([
    ["setting", settingPayload("max-fee-ppm", 4000n), () => expect(setting("max-fee-ppm")).toBe(4000n)],
    [
      "relay-set",
      relaySet(w[5]),
      () => expect(read("execution-queue", "is-relay", [Cl.principal(w[5])])).toBeBool(true),
    ],
    [
      "member-attestor",
      memberAttestor(w[5]),
      () => expect(read("member-registry", "is-attestor", [Cl.principal(w[5])])).toBeBool(true),
    ],
    [
      "guardian-set",
      guardianSet(w[5]),
      () => expect(read("guardian", "is-guardian", [Cl.principal(w[5])])).toBeBool(true),
    ],
  ] as const)("applies a passed %s once, after its timelock", (kind, payload, check) => {
    const p = proposal(kind, payload);
    p.pass();
    expect(p.conclude().result).toEqual(err("proposals", "ERR_NOT_READY"));
    p.advanceToEta();
    const { result, events } = p.conclude();
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "proposal-executed")).toEqual([
      Cl.tuple({ topic: Cl.stringAscii("proposal-executed"), id: Cl.uint(p.id), kind: Cl.stringAscii(kind) }),
    ]);
    check();
    expect(p.status()).toBe("executed");
    expect(p.conclude().result).toEqual(err("proposals", "ERR_ALREADY_CONCLUDED"));
  });

  it("applies a chain action in the first conclude when its timelock is 0", () => {
    proposal("setting", settingPayload("setting:timelock", 0n)).enact();
    const p = proposal("setting", settingPayload("max-loop-sats", 5_000_000n), w[2]);
    const { events } = p.pass();
    expect(printsWithTopic(events, "proposal-executed")).toHaveLength(1);
    expect(setting("max-loop-sats")).toBe(5_000_000n);
  });

  it("lets a passed chain action expire (ERR_EXPIRED)", () => {
    const p = proposal("setting", settingPayload("max-fee-ppm", 4000n));
    p.pass();
    advanceToBurn(outcome(p.id).expires);
    expect(p.status()).toBe("expired");
    expect(p.conclude().result).toEqual(err("proposals", "ERR_EXPIRED"));
  });

  it("does not apply a vetoed chain action (ERR_VETOED)", () => {
    const p = proposal("setting", settingPayload("max-fee-ppm", 4000n));
    p.pass();
    call("guardian", "veto", [Cl.uint(p.id)], w[7]);
    call("guardian", "veto", [Cl.uint(p.id)], w[8]);
    expect(p.status()).toBe("vetoed");
    p.advanceToEta();
    expect(p.conclude().result).toEqual(err("proposals", "ERR_VETOED"));
    expect(setting("max-fee-ppm")).toBe(5000n);
  });

  it("passes a conviction proposal as soon as conviction reaches the threshold, and mints a gt-grant", () => {
    const p = proposal("gt-grant", gtGrant(outsider, 7_000_000n));
    p.propose();
    expect(p.conclude().result).toEqual(err("proposals", "ERR_THRESHOLD_NOT_REACHED"));
    convictionReached(p.id);
    expect(p.status()).toBe("succeeded");
    expect(p.conclude().result).toBeOk(Cl.bool(true));
    p.advanceToEta();
    expect(p.conclude().result).toBeOk(Cl.bool(true));
    expect(gtBalance(outsider)).toBe(7_000_000n);
    expect(p.status()).toBe("executed");
  });

  it("applies a passed lv-allocation to lv-ledger", () => {
    const p = proposal("lv-allocation", lvAllocation(1000n, 1000n, 8000n));
    p.propose();
    convictionReached(p.id);
    p.conclude();
    p.advanceToEta();
    expect(p.conclude().result).toBeOk(Cl.bool(true));
    expect(read("lv-ledger", "get-allocation")).toEqual(
      Cl.tuple({
        "infrastructure-bps": Cl.uint(1000),
        "channel-bps": Cl.uint(1000),
        "reserve-bps": Cl.uint(8000),
      }),
    );
  });

  it("defeats a conviction proposal that never reaches the threshold in its window", () => {
    const p = proposal("gt-grant", gtGrant(outsider, 1n));
    p.propose();
    p.advanceToEnd();
    expect(p.status()).toBe("defeated");
    expect(p.conclude().result).toBeOk(Cl.bool(true));
    expect(p.status()).toBe("defeated");
  });

  it("refuses to conclude a conviction proposal before its window starts (ERR_NOT_STARTED)", () => {
    proposal("setting", settingPayload("gt-grant:voting-delay", 10n)).enact();
    const p = proposal("gt-grant", gtGrant(outsider, 1n), w[2]);
    p.propose();
    expect(p.status()).toBe("pending");
    expect(p.conclude().result).toEqual(err("proposals", "ERR_NOT_STARTED"));
  });

  it("tells a contract-proposal to use execute-proposal (ERR_USE_EXECUTE_PROPOSAL)", () => {
    const p = proposal("contract-proposal", contractProposal(contract("lvdao-bootstrap")));
    p.pass();
    p.advanceToEta();
    expect(p.conclude().result).toEqual(err("proposals", "ERR_USE_EXECUTE_PROPOSAL"));
  });
});

describe("execute-proposal", () => {
  it("runs the named contract through lvdao-core", () => {
    simnet.deployContract(
      "grant-proposal",
      `(impl-trait '${deployer}.proposal-trait.proposal-trait)
(define-public (execute (sender principal)) (contract-call? '${deployer}.gt-token mint u42 '${outsider}))`,
      { clarityVersion: 4 },
      deployer,
    );
    const p = proposal("contract-proposal", contractProposal(contract("grant-proposal")));
    p.pass();
    expect(
      call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(contract("grant-proposal"))], w[2]).result,
    ).toEqual(err("proposals", "ERR_NOT_READY"));
    p.advanceToEta();
    const { result, events } = call(
      "proposals",
      "execute-proposal",
      [Cl.uint(p.id), Cl.principal(contract("grant-proposal"))],
      w[2],
    );
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "proposal-executed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("proposal-executed"),
        id: Cl.uint(p.id),
        kind: Cl.stringAscii("contract-proposal"),
      }),
    ]);
    expect(printsWithTopic(events, "dao-executed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("dao-executed"),
        proposal: Cl.principal(contract("grant-proposal")),
        sender: Cl.principal(w[2]),
      }),
    ]);
    expect(gtBalance(outsider)).toBe(42n);
    expect(p.status()).toBe("executed");
  });

  it("refuses another contract, or a proposal of another kind, with ERR_WRONG_CONTRACT", () => {
    const p = proposal("contract-proposal", contractProposal(contract("lvdao-bootstrap")));
    p.pass();
    p.advanceToEta();
    expect(
      call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(contract("lvdao-core"))], w[2]).result,
    ).toEqual(err("proposals", "ERR_WRONG_CONTRACT"));
    const q = proposal("fee-policy", feePolicy(), w[2]);
    q.pass();
    expect(
      call("proposals", "execute-proposal", [Cl.uint(q.id), Cl.principal(contract("lvdao-bootstrap"))], w[2]).result,
    ).toEqual(err("proposals", "ERR_WRONG_CONTRACT"));
  });

  it("refuses an unknown or unconcluded proposal", () => {
    expect(
      call("proposals", "execute-proposal", [Cl.uint(5), Cl.principal(contract("lvdao-bootstrap"))], w[2]).result,
    ).toEqual(err("proposals", "ERR_UNKNOWN_PROPOSAL"));
    const p = proposal("contract-proposal", contractProposal(contract("lvdao-bootstrap")));
    p.propose();
    expect(
      call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(contract("lvdao-bootstrap"))], w[2]).result,
    ).toEqual(err("proposals", "ERR_NOT_READY"));
  });
});

describe("release-bond", () => {
  it("returns the bond of a passed proposal once its veto window closes", () => {
    const p = proposal("channel-open", channelOpen());
    p.pass();
    expect(call("proposals", "release-bond", [Cl.uint(p.id)], w[3]).result).toEqual(
      err("proposals", "ERR_BOND_NOT_RELEASABLE"),
    );
    advanceToBurn(outcome(p.id).vetoCloses);
    const before = gtBalance(w[1]);
    expect(call("proposals", "release-bond", [Cl.uint(p.id)], w[3]).result).toBeOk(Cl.bool(true));
    expect(gtBalance(w[1])).toBe(before + BOND);
    expect(call("proposals", "release-bond", [Cl.uint(p.id)], w[3]).result).toEqual(
      err("proposals", "ERR_BOND_NOT_RELEASABLE"),
    );
  });

  it("keeps the bond of a vetoed proposal, and the vetoed action is never claimed", () => {
    const p = proposal("channel-open", channelOpen());
    p.pass();
    call("guardian", "veto", [Cl.uint(p.id)], w[7]);
    call("guardian", "veto", [Cl.uint(p.id)], w[8]);
    p.advanceToEta();
    expect(p.claim().result).toEqual(err("execution-queue", "ERR_FINISHED"));
    expect(call("proposals", "release-bond", [Cl.uint(p.id)], w[3]).result).toBeOk(Cl.bool(true));
    expect(read("proposals", "get-bond-settlement", [Cl.uint(p.id)])).toBeSome(
      Cl.tuple({
        amount: Cl.uint(BOND),
        returned: Cl.bool(false),
        at: Cl.uint(simnet.burnBlockHeight),
      }),
    );
    expect(p.status()).toBe("vetoed");
  });

  it("refuses an unknown id, and a proposal not concluded", () => {
    expect(call("proposals", "release-bond", [Cl.uint(8)], w[3]).result).toEqual(
      err("proposals", "ERR_UNKNOWN_PROPOSAL"),
    );
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    expect(call("proposals", "release-bond", [Cl.uint(p.id)], w[3]).result).toEqual(
      err("proposals", "ERR_BOND_NOT_RELEASABLE"),
    );
  });
});

describe("get-proposal-status", () => {
  it("walks pending -> active -> succeeded -> queued -> executing -> executed", () => {
    const p = proposal("channel-open", channelOpen());
    const seen: string[] = [];
    p.propose();
    seen.push(p.status());
    p.advanceToStart();
    p.voteThrough();
    seen.push(p.status());
    p.advanceToEnd();
    seen.push(p.status());
    p.conclude();
    seen.push(p.status());
    p.advanceToEta();
    p.claim();
    seen.push(p.status());
    p.reportSuccess();
    seen.push(p.status());
    expect(seen).toEqual(["pending", "active", "succeeded", "queued", "executing", "executed"]);
  });

  it("reads active while a conviction proposal cannot pass (its request exceeds the pool share)", () => {
    // No liquidity has been reported, so an LV transfer requests more than beta of an empty reserve.
    const p = proposal("lv-transfer", lvTransfer());
    p.propose();
    expect(read("conviction-voting", "get-threshold", [Cl.uint(p.id)]).type).toBe("err");
    expect(p.status()).toBe("active");
  });

  it("marks a claimed action whose lease and expiry both passed as expired", () => {
    const p = proposal("channel-open", channelOpen());
    p.pass();
    advanceToBurn(outcome(p.id).expires - 1n);
    p.claim();
    advanceToBurn(outcome(p.id).expires + setting("claim-lease"));
    expect(p.status()).toBe("expired");
  });

  it("moves no GT for a zero bond", () => {
    proposal("setting", settingPayload("proposal-bond", 0n)).enact();
    const before = gtBalance(w[2]);
    const p = proposal("fee-policy", feePolicy(), w[2]);
    p.propose();
    expect(call("proposals", "cancel", [Cl.uint(p.id)], w[2]).result).toBeOk(Cl.bool(true));
    expect(gtBalance(w[2])).toBe(before);
  });

  it("refuses an unknown id", () => {
    expect(read("proposals", "get-proposal-status", [Cl.uint(3)])).toEqual(err("proposals", "ERR_UNKNOWN_PROPOSAL"));
    expect(read("proposals", "get-proposal", [Cl.uint(3)])).toBeNone();
  });
});

describe("voting power the proposer cannot choose", () => {
  // wallet_5 holds 100,000 GT. It borrows 2,000,000 GT for the block before it proposes and repays in the next.
  it("gives GT borrowed around propose no votes: credits are the GT held at both ends of the snapshot span", () => {
    expect(
      call("gt-token", "transfer", [Cl.uint(GT_1M), Cl.principal(w[1]), Cl.principal(w[5]), Cl.none()], w[1]).result,
    ).toBeOk(Cl.bool(true));
    expect(
      call("gt-token", "transfer", [Cl.uint(GT_1M), Cl.principal(w[2]), Cl.principal(w[5]), Cl.none()], w[2]).result,
    ).toBeOk(Cl.bool(true));
    const p = proposal("fee-policy", feePolicy(), w[5]);
    p.propose();
    expect(
      call("gt-token", "transfer", [Cl.uint(GT_1M), Cl.principal(w[5]), Cl.principal(w[1]), Cl.none()], w[5]).result,
    ).toBeOk(Cl.bool(true));
    expect(
      call("gt-token", "transfer", [Cl.uint(GT_1M), Cl.principal(w[5]), Cl.principal(w[2]), Cl.none()], w[5]).result,
    ).toBeOk(Cl.bool(true));
    p.advanceToStart();
    // sqrt(2.1 * 10^12) = 1,449,137 votes at the block before propose; its own 100,000 GT less the bond now
    const held = 100_000_000_000n - BOND;
    const votes = isqrt(held);
    expect(votes).toBe(316_069n);
    expect(p.vote(w[5], votes + 1n).result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
    expect(p.vote(w[5], votes).result).toBeOk(Cl.uint(votes));
    p.advanceToEnd();
    p.conclude();
    // 316,069 votes are below the 1,000,000 quorum: it cannot pass alone
    expect(p.status()).toBe("defeated");
  });

  it("gives GT bought after propose no votes (ERR_NO_VOTING_POWER)", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    call("gt-token", "transfer", [Cl.uint(GT_1M), Cl.principal(w[2]), Cl.principal(outsider), Cl.none()], w[2]);
    p.advanceToStart();
    expect(p.vote(outsider, 1n).result).toEqual(err("quadratic-voting", "ERR_NO_VOTING_POWER"));
  });

  it("gives GT sold before the snapshot no votes", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    call("gt-token", "transfer", [Cl.uint(GT_1M - 1n), Cl.principal(w[2]), Cl.principal(w[3]), Cl.none()], w[2]);
    p.advanceToStart();
    expect(p.vote(w[2], 2n).result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
    expect(p.vote(w[2], 1n).result).toBeOk(Cl.uint(1));
  });
});

describe("ties", () => {
  it("fails an exact tie on a 50% kind: a pass needs strictly more than pass-bps", () => {
    expect(setting("fee-policy:pass-bps")).toBe(5_000n);
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    p.advanceToStart();
    p.vote(w[2], 600_000n);
    p.vote(w[3], 600_000n, false);
    expect(p.status()).toBe("active");
    p.advanceToEnd();
    expect(p.status()).toBe("defeated");
    const { events } = p.conclude();
    expect(printsWithTopic(events, "proposal-concluded")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("proposal-concluded"),
        id: Cl.uint(p.id),
        passed: Cl.bool(false),
        "votes-for": Cl.uint(600_000),
        "votes-against": Cl.uint(600_000),
      }),
    ]);
  });

  it("passes one vote above the tie", () => {
    const p = proposal("fee-policy", feePolicy());
    p.propose();
    p.advanceToStart();
    p.vote(w[2], 600_001n);
    p.vote(w[3], 600_000n, false);
    p.advanceToEnd();
    p.conclude();
    expect(p.status()).toBe("queued");
  });
});

describe("a chain action that fails to apply", () => {
  // Two setting proposals, each valid alone, that together would put min-channel-sats above max-channel-sats.
  function enactBoth() {
    proposal("setting", settingPayload("setting:timelock", 0n)).enact();
    const lower = proposal("setting", settingPayload("max-channel-sats", 100_000n));
    const raise = proposal("setting", settingPayload("min-channel-sats", 200_000n), w[2]);
    lower.propose();
    raise.propose();
    lower.advanceToStart();
    lower.voteThrough();
    raise.voteThrough();
    lower.advanceToEnd();
    expect(lower.conclude().result).toBeOk(Cl.bool(true));
    return raise;
  }

  it("records passed-but-failed with the error code, ends the proposal and frees the proposer's slot", () => {
    const raise = enactBoth();
    expect(read("proposals", "get-open-count", [Cl.principal(w[2])])).toBeUint(1);
    const { result, events } = raise.conclude();
    // timelock 0: the outcome and the failed application in one call, which succeeds
    expect(result).toBeOk(Cl.bool(false));
    expect(printsWithTopic(events, "proposal-apply-failed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("proposal-apply-failed"),
        id: Cl.uint(raise.id),
        kind: Cl.stringAscii("setting"),
        code: Cl.uint(1104),
      }),
    ]);
    expect(err("dao-settings", "ERR_INCONSISTENT")).toEqual(Cl.error(Cl.uint(1104)));
    expect(read("proposals", "get-apply-failure", [Cl.uint(raise.id)])).toBeSome(
      Cl.tuple({ at: Cl.uint(simnet.burnBlockHeight), code: Cl.uint(1104) }),
    );
    expect(raise.status()).toBe("failed");
    expect(setting("min-channel-sats")).toBe(20_000n);
    expect(read("proposals", "get-open-count", [Cl.principal(w[2])])).toBeUint(0);
    expect(raise.conclude().result).toEqual(err("proposals", "ERR_ALREADY_CONCLUDED"));
  });

  it("returns the bond of a passed proposal whose action failed, once the veto window closes", () => {
    const raise = enactBoth();
    raise.conclude();
    const before = gtBalance(w[2]);
    advanceToBurn(outcome(raise.id).vetoCloses);
    const { result, events } = call("proposals", "release-bond", [Cl.uint(raise.id)], w[5]);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "bond-settled")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("bond-settled"),
        id: Cl.uint(raise.id),
        amount: Cl.uint(BOND),
        returned: Cl.bool(true),
        recipient: Cl.principal(w[2]),
      }),
    ]);
    expect(gtBalance(w[2])).toBe(before + BOND);
  });
});

describe("treasury-transfer", () => {
  function forfeitBond() {
    const p = proposal("fee-policy", feePolicy(), w[3]);
    p.propose();
    p.advanceToStart();
    expect(call("proposals", "cancel", [Cl.uint(p.id)], w[3]).result).toBeOk(Cl.bool(true));
    expect(gtBalance(contract("treasury"))).toBe(BOND);
  }
  const transfer = (recipient: string, amount: bigint) =>
    Cl.tuple({ recipient: Cl.principal(recipient), amount: Cl.uint(amount) });

  it("pays exactly the voted amount out of the treasury and prints treasury-transfer", () => {
    forfeitBond();
    const before = gtBalance(w[5]);
    const { events } = proposal("treasury-transfer", transfer(w[5], BOND - 1n)).enact();
    expect(printsWithTopic(events, "treasury-transfer")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("treasury-transfer"),
        amount: Cl.uint(BOND - 1n),
        recipient: Cl.principal(w[5]),
      }),
    ]);
    expect(gtBalance(w[5])).toBe(before + BOND - 1n);
    expect(read("treasury", "get-balance")).toBeUint(1);
  });

  it("records a transfer larger than the treasury as failed (ERR_INSUFFICIENT_BALANCE) and moves nothing", () => {
    forfeitBond();
    const p = proposal("treasury-transfer", transfer(w[5], BOND + 1n));
    p.pass();
    p.advanceToEta();
    expect(p.conclude().result).toBeOk(Cl.bool(false));
    expect(read("proposals", "get-apply-failure", [Cl.uint(p.id)])).toBeSome(
      Cl.tuple({ at: Cl.uint(simnet.burnBlockHeight), code: Cl.uint(2302) }),
    );
    expect(err("treasury", "ERR_INSUFFICIENT_BALANCE")).toEqual(Cl.error(Cl.uint(2302)));
    expect(gtBalance(contract("treasury"))).toBe(BOND);
  });

  it("refuses anyone but the DAO (ERR_UNAUTHORIZED) and a zero amount even from the DAO (ERR_ZERO_AMOUNT)", () => {
    expect(call("treasury", "transfer-gt", [Cl.uint(1), Cl.principal(w[1])], w[1]).result).toEqual(
      err("treasury", "ERR_UNAUTHORIZED"),
    );
    expect(runAsDao(`(contract-call? '${deployer}.treasury transfer-gt u0 tx-sender)`).result).toEqual(
      err("treasury", "ERR_ZERO_AMOUNT"),
    );
  });
});

describe("contract-proposal code pinning", () => {
  it("refuses to propose a contract that is not deployed yet: voters can only approve code that exists", () => {
    const name = `${deployer}.mint-later`;
    expect(propose("contract-proposal", contractProposal(name, "00".repeat(32))).result).toEqual(
      err("action-validator", "ERR_CONTRACT_MISSING"),
    );
  });

  it("refuses a code hash other than the deployed code's", () => {
    expect(propose("contract-proposal", contractProposal(contract("lvdao-bootstrap"), "11".repeat(32))).result).toEqual(
      err("action-validator", "ERR_CODE_HASH"),
    );
  });

  it("stores the pinned hash in the payload, and execute-proposal runs only that code", () => {
    simnet.deployContract(
      "pinned-noop",
      `(impl-trait '${deployer}.proposal-trait.proposal-trait)
(define-public (execute (sender principal)) (ok true))`,
      { clarityVersion: 4 },
      deployer,
    );
    const payload = contractProposal(contract("pinned-noop"));
    const p = proposal("contract-proposal", payload, w[4]);
    p.pass();
    p.advanceToEta();
    expect(
      call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(contract("lvdao-bootstrap"))], w[5]).result,
    ).toEqual(err("proposals", "ERR_WRONG_CONTRACT"));
    expect(
      call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(contract("pinned-noop"))], w[5]).result,
    ).toBeOk(Cl.bool(true));
    expect(p.status()).toBe("executed");
  });
});

describe("max-active-per-proposer across addresses", () => {
  // Decided (docs/threat-model.md): the per-address limit is a courtesy; what bounds spam is the bond, which
  // every proposal escrows whichever address makes it.
  it("lets GT moved to a second address open more proposals, each escrowing its own bond", () => {
    for (let i = 0; i < Number(setting("max-active-per-proposer")); i++) propose("fee-policy", feePolicy(), w[1]);
    expect(propose("fee-policy", feePolicy(), w[1]).result).toEqual(err("proposals", "ERR_TOO_MANY_ACTIVE"));
    call(
      "gt-token",
      "transfer",
      [Cl.uint(10_000_000_000n), Cl.principal(w[1]), Cl.principal(outsider), Cl.none()],
      w[1],
    );
    mineBurn(1);
    const escrowed = gtBalance(contract("proposals"));
    expect(propose("fee-policy", feePolicy(), outsider).result.type).toBe("ok");
    expect(gtBalance(contract("proposals"))).toBe(escrowed + BOND);
  });
});

describe("get-proposals-page", () => {
  const page = (first: bigint) => read("proposals", "get-proposals-page", [Cl.uint(first)]);
  const ids = (value: ReturnType<typeof page>) => {
    if (value.type !== "list") throw new Error(`not a list: ${Cl.prettyPrint(value)}`);
    return value.value.map((entry) => (entry.type === "tuple" ? uint(entry.value.id!) : -1n));
  };

  it("answers an empty list before any proposal and past the last id", () => {
    expect(page(1n)).toEqual(Cl.list([]));
    expect(propose("fee-policy", feePolicy()).result).toBeOk(Cl.uint(1));
    expect(page(2n)).toEqual(Cl.list([]));
    const [entry] = (page(0n) as { value: ReturnType<typeof page>[] }).value;
    expect(entry).toEqual(
      Cl.tuple({
        id: Cl.uint(1),
        proposal: (read("proposals", "get-proposal", [Cl.uint(1)]) as { value: ReturnType<typeof page> }).value,
        status: Cl.stringAscii("pending"),
        outcome: Cl.none(),
        "votes-for": Cl.uint(0),
        "votes-against": Cl.uint(0),
      }),
    );
  });

  it("answers 20 proposals in every state: stored tuple, status, outcome and count, within read-only limits", () => {
    // 3 passed (queued), then 20 more from five proposers: 2 cancelled, the rest open, some voted on
    const passed = [1, 2, 3].map((n) => {
      const p = proposal("fee-policy", feePolicy({ "fee-ppm": Cl.uint(100 + n) }), w[n as 1 | 2 | 3]);
      p.pass();
      return p;
    });
    const open: bigint[] = [];
    for (const who of [w[1], w[2], w[3], w[4], w[5]]) {
      const first = uint(propose("fee-policy", feePolicy(), who).result);
      expect(call("proposals", "cancel", [Cl.uint(first)], who).result).toBeOk(Cl.bool(true));
      for (let i = 0; i < 2; i++) open.push(uint(propose("fee-policy", feePolicy(), who).result));
    }
    for (const who of [w[1], w[2], w[3], w[4], w[5]]) open.push(uint(propose("fee-policy", feePolicy(), who).result));
    advanceToBurn(facts(open.at(-1)!).start);
    for (const id of open.slice(0, 8)) {
      expect(call("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(1_000), Cl.bool(true)], w[2]).result.type).toBe(
        "ok",
      );
      expect(call("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(300), Cl.bool(false)], w[3]).result.type).toBe(
        "ok",
      );
    }
    expect(read("proposals", "get-last-id")).toBeUint(23);

    const receipt = simnet.callReadOnlyFn("proposals", "get-proposals-page", [Cl.uint(1)], deployer);
    expect(ids(receipt.result)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
    if (receipt.result.type !== "list") throw new Error("not a list");
    for (const entry of receipt.result.value) {
      if (entry.type !== "tuple") throw new Error("not a tuple");
      const id = uint(entry.value.id!);
      const stored = read("proposals", "get-proposal", [Cl.uint(id)]);
      expect(stored.type === "some" && stored.value).toEqual(entry.value.proposal);
      const status = read("proposals", "get-proposal-status", [Cl.uint(id)]);
      expect(status.type === "ok" && status.value).toEqual(entry.value.status);
      expect(entry.value.outcome).toEqual(read("proposals", "get-outcome", [Cl.uint(id)]));
      const counted = read("quadratic-voting", "get-tally", [Cl.uint(id)]);
      if (counted.type !== "tuple") throw new Error("no tally");
      expect([entry.value["votes-for"], entry.value["votes-against"]]).toEqual([
        counted.value["votes-for"],
        counted.value["votes-against"],
      ]);
    }
    const statuses = receipt.result.value.map((e) => (e.type === "tuple" ? Cl.prettyPrint(e.value.status!) : ""));
    expect(statuses.filter((s) => s === '"queued"')).toHaveLength(passed.length);
    expect(statuses.filter((s) => s === '"cancelled"')).toHaveLength(5);
    expect(statuses.filter((s) => s === '"active"')).toHaveLength(12);
    expect(ids(page(21n))).toEqual([21n, 22n, 23n]);

    // what a node answering /v2/contracts/call-read must allow for one page (docs/contracts.md)
    const cost = (receipt as unknown as { costs: { total: Record<string, number> } }).costs.total;
    expect(cost.readCount).toBeLessThanOrEqual(PAGE_READ_LIMIT.readCount);
    expect(cost.readLength).toBeLessThanOrEqual(PAGE_READ_LIMIT.readLength);
    expect(cost.runtime).toBeLessThanOrEqual(PAGE_READ_LIMIT.runtime);
  });
});

const PAGE_READ_LIMIT = { readCount: 15_000, readLength: 100_000_000, runtime: 5_000_000_000 };
