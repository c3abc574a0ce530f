import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cl } from "@stacks/transactions";
import { GT_1M, call, deployer, err, outsider, printsWithTopic, read, setting, w } from "./helpers/chain.ts";
import { facts, proposal, runAsDao } from "./helpers/lifecycle.ts";
import { channelOpen, memberAttestor, settingPayload } from "./helpers/payloads.ts";

function activeProposal() {
  const p = proposal("channel-open", channelOpen());
  p.propose();
  p.advanceToStart();
  return p;
}
const tally = (id: bigint) => read("quadratic-voting", "get-tally", [Cl.uint(id)]);
const voteOf = (id: bigint, voter: string) => read("quadratic-voting", "get-vote", [Cl.uint(id), Cl.principal(voter)]);

describe("register-proposal", () => {
  it("is registered by propose with the snapshot and window", () => {
    const p = proposal("channel-open", channelOpen());
    const { events } = p.propose();
    const f = facts(p.id);
    expect(printsWithTopic(events, "quadratic-registered")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("quadratic-registered"),
        id: Cl.uint(p.id),
        "held-from": Cl.uint(f.snapshotHeight - setting("channel-open:voting-delay")),
        "snapshot-height": Cl.uint(f.snapshotHeight),
        start: Cl.uint(f.start),
        end: Cl.uint(f.end),
        "members-only": Cl.bool(false),
        "quorum-votes": Cl.uint(setting("channel-open:quorum-votes")),
        "pass-bps": Cl.uint(setting("channel-open:pass-bps")),
      }),
    ]);
  });

  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(
      call(
        "quadratic-voting",
        "register-proposal",
        [Cl.uint(9), Cl.uint(1), Cl.uint(1), Cl.uint(1), Cl.uint(2), Cl.bool(false), Cl.uint(1), Cl.uint(5000)],
        w[1],
      ).result,
    ).toEqual(err("quadratic-voting", "ERR_UNAUTHORIZED"));
  });

  it("refuses an empty window (ERR_BAD_WINDOW) and a second registration (ERR_ALREADY_REGISTERED)", () => {
    expect(
      runAsDao(`(contract-call? '${deployer}.quadratic-voting register-proposal u900 u1 u1 u10 u10 false u1 u5000)`)
        .result,
    ).toEqual(err("quadratic-voting", "ERR_BAD_WINDOW"));
    const p = activeProposal();
    expect(
      runAsDao(`(contract-call? '${deployer}.quadratic-voting register-proposal u${p.id} u1 u1 u10 u20 false u1 u5000)`)
        .result,
    ).toEqual(err("quadratic-voting", "ERR_ALREADY_REGISTERED"));
  });
});

describe("vote", () => {
  it("charges votes^2 credits, tallies, and prints vote-cast", () => {
    const p = activeProposal();
    const { result, events } = p.vote(w[2], 1000n);
    expect(result).toBeOk(Cl.uint(1000));
    expect(printsWithTopic(events, "vote-cast")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("vote-cast"),
        id: Cl.uint(p.id),
        voter: Cl.principal(w[2]),
        votes: Cl.uint(1000),
        support: Cl.bool(true),
        "total-votes": Cl.uint(1000),
        "credits-spent": Cl.uint(1_000_000),
      }),
    ]);
    p.vote(w[3], 30n, false);
    expect(tally(p.id)).toEqual(
      Cl.tuple({ "votes-for": Cl.uint(1000), "votes-against": Cl.uint(30), voters: Cl.uint(2) }),
    );
    expect(voteOf(p.id, w[3])).toBeSome(
      Cl.tuple({ votes: Cl.uint(30), support: Cl.bool(false), "credits-spent": Cl.uint(900) }),
    );
  });

  it("lets a holder spend exactly their credits: sqrt(10^12) = 10^6 votes, and not one more", () => {
    const p = activeProposal();
    expect(p.vote(w[2], 1_000_000n).result).toBeOk(Cl.uint(1_000_000));
    expect(p.vote(w[2], 1n).result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
  });

  it("makes splitting a vote into many calls cost the same as one call", () => {
    const p = activeProposal();
    for (let i = 0; i < 10; i++) p.vote(w[2], 100n);
    p.vote(w[3], 1000n);
    expect(voteOf(p.id, w[2])).toEqual(voteOf(p.id, w[3]));
    expect(p.vote(w[2], 999_001n).result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
  });

  it("refuses to switch sides with ERR_SIDE_SWITCH", () => {
    const p = activeProposal();
    p.vote(w[2], 10n, true);
    expect(p.vote(w[2], 10n, false).result).toEqual(err("quadratic-voting", "ERR_SIDE_SWITCH"));
  });

  it("gives nothing to GT received after the snapshot", () => {
    const p = activeProposal();
    // wallet_2 votes with all its credits, then hands its GT to the faucet account, which then tries to vote.
    expect(p.vote(w[2], 1_000_000n).result.type).toBe("ok");
    call("gt-token", "transfer", [Cl.uint(GT_1M), Cl.principal(w[2]), Cl.principal(outsider), Cl.none()], w[2]);
    expect(p.vote(outsider, 1n).result).toEqual(err("quadratic-voting", "ERR_NO_VOTING_POWER"));
    expect(tally(p.id)).toEqual(
      Cl.tuple({ "votes-for": Cl.uint(1_000_000), "votes-against": Cl.uint(0), voters: Cl.uint(1) }),
    );
  });

  it("refuses a contract voting with the credits of the holder who called it (tx-sender phishing)", () => {
    const p = activeProposal();
    simnet.deployContract(
      "phisher",
      `(define-public (claim-airdrop (id uint))
  (contract-call? '${deployer}.quadratic-voting vote id u1000 false))`,
      { clarityVersion: 4 },
      deployer,
    );
    expect(call("phisher", "claim-airdrop", [Cl.uint(p.id)], w[2]).result).toEqual(
      err("quadratic-voting", "ERR_NO_VOTING_POWER"),
    );
    expect(voteOf(p.id, w[2])).toBeNone();
  });

  it("refuses outside the window with ERR_NOT_ACTIVE", () => {
    const p = proposal("channel-open", channelOpen());
    p.propose();
    expect(p.vote(w[2], 1n).result).toEqual(err("quadratic-voting", "ERR_NOT_ACTIVE"));
    p.advanceToEnd();
    expect(p.vote(w[2], 1n).result).toEqual(err("quadratic-voting", "ERR_NOT_ACTIVE"));
  });

  it("refuses zero votes, unknown proposals and voters without GT", () => {
    const p = activeProposal();
    expect(p.vote(w[2], 0n).result).toEqual(err("quadratic-voting", "ERR_ZERO_VOTES"));
    expect(call("quadratic-voting", "vote", [Cl.uint(999), Cl.uint(1), Cl.bool(true)], w[2]).result).toEqual(
      err("quadratic-voting", "ERR_UNKNOWN_PROPOSAL"),
    );
    expect(p.vote(outsider, 1n).result).toEqual(err("quadratic-voting", "ERR_NO_VOTING_POWER"));
  });

  it("refuses a non-member on a members-only kind with ERR_NOT_MEMBER, and counts an attested member", () => {
    proposal("setting", settingPayload("watchtower:members-only", 1n)).enact();
    proposal("member-attestor", memberAttestor(w[8])).enact();
    expect(
      call("member-registry", "attest", [Cl.principal(w[2]), Cl.uint(BigInt(simnet.burnBlockHeight) + 10_000n)], w[8])
        .result.type,
    ).toBe("ok");
    const p = proposal(
      "watchtower",
      Cl.tuple({ add: Cl.bool(true), pubkey: Cl.bufferFromHex("03" + "22".repeat(32)), host: Cl.stringAscii("h:1") }),
    );
    p.propose();
    p.advanceToStart();
    expect(p.vote(w[3], 5n).result).toEqual(err("quadratic-voting", "ERR_NOT_MEMBER"));
    expect(p.vote(w[2], 5n).result).toBeOk(Cl.uint(5));
  });

  it("counts the votes delegated to the voter: 2 x 10^12 credits give sqrt = 1,414,213 votes", () => {
    expect(call("gt-token", "delegate", [Cl.principal(w[2])], w[3]).result).toBeOk(Cl.bool(true));
    const p = activeProposal();
    expect(p.vote(w[3], 1n).result).toEqual(err("quadratic-voting", "ERR_NO_VOTING_POWER"));
    expect(p.vote(w[2], 1_414_214n).result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
    expect(p.vote(w[2], 1_414_213n).result).toBeOk(Cl.uint(1_414_213));
  });

  it("gives nothing to votes delegated after the proposal or taken back before the snapshot", () => {
    const p = proposal("channel-open", channelOpen());
    p.propose();
    // wallet_3 delegates to wallet_2 after the block before propose: held-from sees wallet_2 with its own GT only
    expect(call("gt-token", "delegate", [Cl.principal(w[2])], w[3]).result).toBeOk(Cl.bool(true));
    // wallet_4 delegates to wallet_1 and takes it back before the snapshot: wallet_1 gains nothing
    call("gt-token", "delegate", [Cl.principal(w[1])], w[4]);
    call("gt-token", "delegate", [Cl.principal(w[4])], w[4]);
    p.advanceToStart();
    expect(p.vote(w[2], 1_000_001n).result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
    expect(p.vote(w[2], 1_000_000n).result).toBeOk(Cl.uint(1_000_000));
    // wallet_3 delegated away at the snapshot, so it has no votes of its own
    expect(p.vote(w[3], 1n).result).toEqual(err("quadratic-voting", "ERR_NO_VOTING_POWER"));
    expect(p.vote(w[4], 1_000_000n).result).toBeOk(Cl.uint(1_000_000));
  });

  it("asks membership of the voter on a members-only kind, and counts what non-members delegated to it", () => {
    proposal("setting", settingPayload("watchtower:members-only", 1n)).enact();
    proposal("member-attestor", memberAttestor(w[8])).enact();
    expect(
      call("member-registry", "attest", [Cl.principal(w[2]), Cl.uint(BigInt(simnet.burnBlockHeight) + 10_000n)], w[8])
        .result.type,
    ).toBe("ok");
    // wallet_3 is no member; it delegates to the member wallet_2
    expect(call("gt-token", "delegate", [Cl.principal(w[2])], w[3]).result).toBeOk(Cl.bool(true));
    const p = proposal(
      "watchtower",
      Cl.tuple({ add: Cl.bool(true), pubkey: Cl.bufferFromHex("03" + "33".repeat(32)), host: Cl.stringAscii("h:2") }),
    );
    p.propose();
    p.advanceToStart();
    expect(p.vote(w[3], 1n).result).toEqual(err("quadratic-voting", "ERR_NOT_MEMBER"));
    expect(p.vote(w[2], 1_414_213n).result).toBeOk(Cl.uint(1_414_213));
  });

  it("keeps credits-spent = votes^2 for any sequence of votes (property)", () => {
    const p = activeProposal();
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 50_000n }), { minLength: 1, maxLength: 8 }), (chunks) => {
        let total = uint64(voteOf(p.id, w[4]));
        for (const chunk of chunks) {
          const { result } = p.vote(w[4], chunk);
          if ((total + chunk) ** 2n <= GT_1M) {
            total += chunk;
            expect(result).toBeOk(Cl.uint(total));
          } else {
            expect(result).toEqual(err("quadratic-voting", "ERR_INSUFFICIENT_CREDITS"));
          }
          expect(voteOf(p.id, w[4])).toBeSome(
            Cl.tuple({ votes: Cl.uint(total), support: Cl.bool(true), "credits-spent": Cl.uint(total * total) }),
          );
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe("get-tally and get-proposal", () => {
  it("answers zeros and none for an unknown proposal", () => {
    expect(tally(404n)).toEqual(Cl.tuple({ "votes-for": Cl.uint(0), "votes-against": Cl.uint(0), voters: Cl.uint(0) }));
    expect(read("quadratic-voting", "get-proposal", [Cl.uint(404)])).toBeNone();
  });

  it("answers the registered window and the running tally", () => {
    const p = activeProposal();
    p.vote(w[2], 3n);
    const f = facts(p.id);
    expect(read("quadratic-voting", "get-proposal", [Cl.uint(p.id)])).toBeSome(
      Cl.tuple({
        "held-from": Cl.uint(f.snapshotHeight - setting("channel-open:voting-delay")),
        "snapshot-height": Cl.uint(f.snapshotHeight),
        start: Cl.uint(f.start),
        end: Cl.uint(f.end),
        "members-only": Cl.bool(false),
        "quorum-votes": Cl.uint(setting("channel-open:quorum-votes")),
        "pass-bps": Cl.uint(setting("channel-open:pass-bps")),
        "votes-for": Cl.uint(3),
        "votes-against": Cl.uint(0),
        voters: Cl.uint(1),
      }),
    );
  });
});

describe("get-result", () => {
  it("refuses an unknown proposal with ERR_UNKNOWN_PROPOSAL", () => {
    expect(read("quadratic-voting", "get-result", [Cl.uint(404)])).toEqual(
      err("quadratic-voting", "ERR_UNKNOWN_PROPOSAL"),
    );
  });

  it.each([
    // votes for, votes against, passes (quorum 1,000,000 votes, pass share 50%)
    [600_001n, 600_000n, true],
    [600_000n, 600_000n, false], // a tie is not strictly more than 50%
    [999_999n, 0n, false], // below the quorum
    [1_000_000n, 0n, true],
  ] as const)("counts %s for and %s against as passes = %s", (votesFor, votesAgainst, passes) => {
    const p = activeProposal();
    if (votesFor > 0n) p.vote(w[2], votesFor);
    if (votesAgainst > 0n) p.vote(w[3], votesAgainst, false);
    expect(read("quadratic-voting", "get-result", [Cl.uint(p.id)])).toBeOk(
      Cl.tuple({
        passes: Cl.bool(passes),
        "votes-for": Cl.uint(votesFor),
        "votes-against": Cl.uint(votesAgainst),
      }),
    );
  });
});

function uint64(found: ReturnType<typeof voteOf>): bigint {
  if (found.type !== "some" || found.value.type !== "tuple") return 0n;
  const votes = found.value.value.votes!;
  return votes.type === "uint" ? BigInt(votes.value) : 0n;
}
