// The proposal lifecycle as one helper (OpenZeppelin GovernorHelper style):
//   const p = proposal("channel-open", channelOpen()); p.propose(); p.advanceToStart(); p.vote(w[2], 1000n);
//   p.advanceToEnd(); p.conclude(); p.advanceToEta(); p.claim(); p.reportSuccess(evidence);
import { expect } from "vitest";
import { Cl, ClarityType, type ClarityValue } from "@stacks/transactions";
import { advanceToBurn, bytesOf, call, deployer, read, relay, uint, w } from "./chain.ts";
import { contractProposal } from "./payloads.ts";

export interface ProposalFacts {
  start: bigint;
  end: bigint;
  snapshotHeight: bigint;
  mechanism: bigint;
}

export function status(id: bigint): string {
  const result = read("proposals", "get-proposal-status", [Cl.uint(id)]);
  if (result.type !== ClarityType.ResponseOk || result.value.type !== ClarityType.StringASCII) {
    throw new Error(`status of ${id}: ${Cl.prettyPrint(result)}`);
  }
  return result.value.value;
}

export function facts(id: bigint): ProposalFacts {
  const found = read("proposals", "get-proposal", [Cl.uint(id)]);
  if (found.type !== ClarityType.OptionalSome || found.value.type !== ClarityType.Tuple)
    throw new Error(`no proposal ${id}`);
  const t = found.value.value;
  return {
    start: uint(t.start!),
    end: uint(t.end!),
    snapshotHeight: uint(t["snapshot-height"]!),
    mechanism: uint(t.mechanism!),
  };
}

export function outcome(id: bigint): { eta: bigint; expires: bigint; vetoCloses: bigint } {
  const found = read("proposals", "get-outcome", [Cl.uint(id)]);
  if (found.type !== ClarityType.OptionalSome || found.value.type !== ClarityType.Tuple)
    throw new Error(`no outcome for ${id}`);
  const t = found.value.value;
  return { eta: uint(t.eta!), expires: uint(t.expires!), vetoCloses: uint(t["veto-closes"]!) };
}

/** A proposal of one kind moving through its lifecycle. Each step returns the call's receipt. */
export function proposal(kind: string, payload: ClarityValue, proposer: string = w[1]) {
  let id = 0n;
  const self = {
    get id() {
      return id;
    },
    propose(title = `lvdao test: ${kind}`, body = `Why ${kind}: a test proposal.`) {
      const receipt = call(
        "proposals",
        "propose",
        [Cl.stringAscii(kind), bytesOf(payload), Cl.stringUtf8(title), Cl.stringUtf8(body), Cl.none()],
        proposer,
      );
      expect(receipt.result.type, `propose ${kind}: ${Cl.prettyPrint(receipt.result)}`).toBe(ClarityType.ResponseOk);
      id = uint(receipt.result);
      return receipt;
    },
    advanceToStart() {
      advanceToBurn(facts(id).start);
    },
    vote(voter: string, votes: bigint, support = true) {
      return call("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(votes), Cl.bool(support)], voter);
    },
    /** Votes enough for any default quorum: 900,000 votes from each of wallet_1..wallet_3. */
    voteThrough() {
      for (const voter of [w[1], w[2], w[3]]) {
        const receipt = self.vote(voter, 900_000n);
        expect(receipt.result.type, `vote: ${Cl.prettyPrint(receipt.result)}`).toBe(ClarityType.ResponseOk);
      }
    },
    advanceToEnd() {
      advanceToBurn(facts(id).end);
    },
    conclude(caller: string = w[5]) {
      return call("proposals", "conclude", [Cl.uint(id)], caller);
    },
    advanceToEta() {
      advanceToBurn(outcome(id).eta);
    },
    claim(caller: string = relay) {
      return call("execution-queue", "claim", [Cl.uint(id)], caller);
    },
    reportSuccess(evidence = "aa".repeat(36), caller: string = relay) {
      return call("execution-queue", "report-success", [Cl.uint(id), Cl.bufferFromHex(evidence)], caller);
    },
    reportFailure(code: bigint, retryable: boolean, detail = "lnd unreachable", caller: string = relay) {
      return call(
        "execution-queue",
        "report-failure",
        [Cl.uint(id), Cl.uint(code), Cl.bool(retryable), Cl.stringAscii(detail)],
        caller,
      );
    },
    status() {
      return status(id);
    },
    /** propose -> start -> vote through -> end -> conclude (passed). */
    pass() {
      self.propose();
      self.advanceToStart();
      self.voteThrough();
      self.advanceToEnd();
      const receipt = self.conclude();
      expect(receipt.result, `conclude ${kind}`).toBeOk(Cl.bool(true));
      return receipt;
    },
    /** pass -> eta -> second conclude: a chain kind takes effect. */
    enact() {
      self.pass();
      self.advanceToEta();
      const receipt = self.conclude();
      expect(receipt.result, `apply ${kind}`).toBeOk(Cl.bool(true));
      return receipt;
    },
  };
  return self;
}

/**
 * Runs `body` (Clarity that returns (response bool uint)) as the DAO: deploys it as a proposal contract,
 * passes a contract-proposal for it and executes it. Returns execute-proposal's receipt, whose result is the
 * body's own error when the body fails (execute-proposal answers (ok false) and records the error code, which
 * this reads back).
 */
let scripts = 0;
export function runAsDao(body: string) {
  scripts += 1;
  const name = `dao-script-${scripts}-${simnet.blockHeight}`;
  const source = `(impl-trait '${deployer}.proposal-trait.proposal-trait)
(define-public (execute (sender principal))
  ${body})`;
  simnet.deployContract(name, source, { clarityVersion: 4 }, deployer);
  // wallet_4 proposes, so the bond never moves the balances of the voters or of the wallets tests watch.
  const p = proposal("contract-proposal", contractProposal(`${deployer}.${name}`), w[4]);
  p.pass();
  p.advanceToEta();
  const receipt = call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(`${deployer}.${name}`)], w[5]);
  if (receipt.result.type === ClarityType.ResponseOk && receipt.result.value.type === ClarityType.BoolFalse) {
    const failure = read("proposals", "get-apply-failure", [Cl.uint(p.id)]);
    if (failure.type !== ClarityType.OptionalSome || failure.value.type !== ClarityType.Tuple)
      throw new Error(`no failure recorded for ${p.id}`);
    return { ...receipt, result: Cl.error(failure.value.value.code!) };
  }
  return receipt;
}
