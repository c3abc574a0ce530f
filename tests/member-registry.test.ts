import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import {
  enactQuadratic,
  errorOf,
  eventsWithTopic,
  propose,
  proposalWindow,
  advanceTo,
  readOnly,
  wallet,
  changeSetting,
  setting,
} from "./helpers/ext-governance.ts";

const MR = "member-registry";
const err = (name: string) => errorOf(MR, name);
const isMember = (who: string) => readOnly(MR, "is-member", [Cl.principal(who)]);
const attest = (member: string, expires: number, attestor: string) =>
  simnet.callPublicFn(MR, "attest", [Cl.principal(member), Cl.uint(expires)], attestor);
const revoke = (member: string, attestor: string) =>
  simnet.callPublicFn(MR, "revoke", [Cl.principal(member)], attestor);

function enableAttestor(attestor: string, enabled = true) {
  return enactQuadratic("member-attestor", Cl.tuple({ attestor: Cl.principal(attestor), enabled: Cl.bool(enabled) }));
}

describe("set-attestor", () => {
  it("refuses a direct call with ERR_UNAUTHORIZED", () => {
    const { result } = simnet.callPublicFn(MR, "set-attestor", [Cl.principal(wallet(4)), Cl.bool(true)], wallet(1));
    expect(result).toStrictEqual(err("ERR_UNAUTHORIZED"));
  });

  it("enables an attestor through a passed member-attestor proposal and prints attestor-set", () => {
    const { applied } = enableAttestor(wallet(4));
    expect(readOnly(MR, "is-attestor", [Cl.principal(wallet(4))])).toStrictEqual(Cl.bool(true));
    expect(eventsWithTopic(applied.events, "attestor-set")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("attestor-set"),
        attestor: Cl.principal(wallet(4)),
        enabled: Cl.bool(true),
        term: Cl.uint(1),
      }),
    ]);
  });
});

describe("attest", () => {
  it("refuses a caller that is not an attestor with ERR_NOT_ATTESTOR", () => {
    expect(attest(wallet(5), simnet.burnBlockHeight + 10, wallet(5)).result).toStrictEqual(err("ERR_NOT_ATTESTOR"));
  });

  it("refuses an expiry that is not in the future with ERR_EXPIRY_IN_PAST", () => {
    enableAttestor(wallet(4));
    expect(attest(wallet(5), simnet.burnBlockHeight, wallet(4)).result).toStrictEqual(err("ERR_EXPIRY_IN_PAST"));
  });

  it("makes a member until the expiry and prints member-attested", () => {
    enableAttestor(wallet(4));
    const expires = simnet.burnBlockHeight + 10;
    const { result, events } = attest(wallet(5), expires, wallet(4));
    expect(result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(eventsWithTopic(events, "member-attested")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("member-attested"),
        member: Cl.principal(wallet(5)),
        attestor: Cl.principal(wallet(4)),
        expires: Cl.uint(expires),
      }),
    ]);
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(true));
    expect(readOnly(MR, "get-member", [Cl.principal(wallet(5))])).toStrictEqual(
      Cl.some(
        Cl.tuple({
          attestor: Cl.principal(wallet(4)),
          term: Cl.uint(1),
          expires: Cl.uint(expires),
          "attested-at": Cl.uint(simnet.burnBlockHeight),
        }),
      ),
    );
    simnet.mineEmptyBurnBlocks(9);
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(true));
    simnet.mineEmptyBurnBlocks(1);
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(false));
  });

  it("stops counting a member once its attestor is disabled", () => {
    enableAttestor(wallet(4));
    attest(wallet(5), simnet.burnBlockHeight + 5000, wallet(4));
    enableAttestor(wallet(4), false);
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(false));
  });

  it("does not revive an attestation when its attestor is enabled again: a new term", () => {
    enableAttestor(wallet(4));
    attest(wallet(5), simnet.burnBlockHeight + 5000, wallet(4));
    enableAttestor(wallet(4), false);
    enableAttestor(wallet(4));
    expect(readOnly(MR, "get-attestor", [Cl.principal(wallet(4))])).toStrictEqual(
      Cl.tuple({ enabled: Cl.bool(true), term: Cl.uint(2) }),
    );
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(false));
    // the attestor can attest again in its new term
    expect(attest(wallet(5), simnet.burnBlockHeight + 100, wallet(4)).result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(true));
  });

  it("refuses to overwrite another attestor's live attestation with ERR_ATTESTED_BY_OTHER", () => {
    enableAttestor(wallet(4));
    enableAttestor(wallet(3));
    const expires = simnet.burnBlockHeight + 100;
    attest(wallet(5), expires, wallet(4));
    expect(attest(wallet(5), simnet.burnBlockHeight + 5000, wallet(3)).result).toStrictEqual(
      err("ERR_ATTESTED_BY_OTHER"),
    );
    expect(readOnly(MR, "get-member", [Cl.principal(wallet(5))])).toMatchObject(
      Cl.some(
        Cl.tuple({
          attestor: Cl.principal(wallet(4)),
          term: Cl.uint(1),
          expires: Cl.uint(expires),
          "attested-at": Cl.uint(expires - 100),
        }),
      ),
    );
    // its own attestor renews it; once it has lapsed, another attestor may attest
    expect(attest(wallet(5), expires + 10, wallet(4)).result).toStrictEqual(Cl.ok(Cl.bool(true)));
    simnet.mineEmptyBurnBlocks(expires + 10 - simnet.burnBlockHeight);
    expect(attest(wallet(5), simnet.burnBlockHeight + 10, wallet(3)).result).toStrictEqual(Cl.ok(Cl.bool(true)));
  });

  it("refuses an expiry more than max-attestation ahead with ERR_EXPIRY_TOO_LONG, u128 max included", () => {
    enableAttestor(wallet(4));
    const longest = BigInt(simnet.burnBlockHeight) + setting("max-attestation");
    expect(
      simnet.callPublicFn(MR, "attest", [Cl.principal(wallet(5)), Cl.uint(2n ** 128n - 1n)], wallet(4)).result,
    ).toStrictEqual(err("ERR_EXPIRY_TOO_LONG"));
    expect(
      simnet.callPublicFn(MR, "attest", [Cl.principal(wallet(5)), Cl.uint(longest + 1n)], wallet(4)).result,
    ).toStrictEqual(err("ERR_EXPIRY_TOO_LONG"));
    expect(
      simnet.callPublicFn(MR, "attest", [Cl.principal(wallet(5)), Cl.uint(longest)], wallet(4)).result,
    ).toStrictEqual(Cl.ok(Cl.bool(true)));
  });
});

describe("revoke", () => {
  it("refuses a caller that is not an attestor with ERR_NOT_ATTESTOR", () => {
    expect(revoke(wallet(5), wallet(5)).result).toStrictEqual(err("ERR_NOT_ATTESTOR"));
  });

  it("refuses a principal with no attestation with ERR_NOT_MEMBER", () => {
    enableAttestor(wallet(4));
    expect(revoke(wallet(5), wallet(4)).result).toStrictEqual(err("ERR_NOT_MEMBER"));
  });

  it("ends a membership now and prints member-revoked", () => {
    enableAttestor(wallet(4));
    attest(wallet(5), simnet.burnBlockHeight + 100, wallet(4));
    const { result, events } = revoke(wallet(5), wallet(4));
    expect(result).toStrictEqual(Cl.ok(Cl.bool(true)));
    expect(eventsWithTopic(events, "member-revoked")).toStrictEqual([
      Cl.tuple({
        topic: Cl.stringAscii("member-revoked"),
        member: Cl.principal(wallet(5)),
        attestor: Cl.principal(wallet(4)),
      }),
    ]);
    expect(isMember(wallet(5))).toStrictEqual(Cl.bool(false));
  });
});

describe("members-only kinds in quadratic-voting", () => {
  it("refuses a non-member's vote on a members-only kind and accepts it once the voter is attested", () => {
    changeSetting("watchtower:members-only", 1n);
    enableAttestor(wallet(4));
    const id = propose(
      "watchtower",
      Cl.tuple({
        add: Cl.bool(true),
        pubkey: Cl.bufferFromHex(`02${"11".repeat(32)}`),
        host: Cl.stringAscii("tower.example:9911"),
      }),
    );
    advanceTo(proposalWindow(id).start);
    const vote = () =>
      simnet.callPublicFn("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(10), Cl.bool(true)], wallet(2));
    expect(vote().result).toStrictEqual(errorOf("quadratic-voting", "ERR_NOT_MEMBER"));
    attest(wallet(2), simnet.burnBlockHeight + 1000, wallet(4));
    expect(vote().result).toMatchObject({ type: Cl.ok(Cl.bool(true)).type });
  });
});
