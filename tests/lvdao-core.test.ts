import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { call, contract, deployer, err, gtBalance, outsider, printsWithTopic, read, uint, w } from "./helpers/chain.ts";
import { ERRORS } from "../offchain/clarity/errors.ts";
import { proposal, runAsDao } from "./helpers/lifecycle.ts";
import { contractProposal } from "./helpers/payloads.ts";

const EXTENSIONS = [
  "dao-settings",
  "gt-token",
  "proposals",
  "quadratic-voting",
  "conviction-voting",
  "execution-queue",
  "liquidity-oracle",
  "lv-ledger",
  "guardian",
  "member-registry",
  "treasury",
];

// What `as-contract?` answers when the body moves an asset no allowance covers.
const AS_CONTRACT_ALLOWANCE_VIOLATED = 128n;

function deployExtension(name: string): string {
  // An extension that asks the core for a callback, to itself or to another contract.
  const source = `(impl-trait '${deployer}.extension-trait.extension-trait)
(use-trait extension-trait '${deployer}.extension-trait.extension-trait)
(define-data-var calls uint u0)
(define-public (callback (sender principal) (memo (buff 34)))
  (begin (asserts! (is-eq tx-sender '${deployer}.lvdao-core) (err u1))
         (var-set calls (+ (var-get calls) u1))
         (ok true)))
(define-public (ask (target <extension-trait>))
  (contract-call? '${deployer}.lvdao-core request-extension-callback target 0x6c76))
(define-read-only (get-calls) (var-get calls))`;
  simnet.deployContract(name, source, { clarityVersion: 4 }, deployer);
  return contract(name);
}

describe("is-extension", () => {
  it("lists every extension the bootstrap enabled, and nothing else", () => {
    for (const name of EXTENSIONS)
      expect(read("lvdao-core", "is-extension", [Cl.principal(contract(name))])).toBeBool(true);
    expect(read("lvdao-core", "is-extension", [Cl.principal(contract("lvdao-bootstrap"))])).toBeBool(false);
    expect(read("lvdao-core", "is-extension", [Cl.principal(w[1])])).toBeBool(false);
  });
});

describe("construct", () => {
  it("has run once, from the simnet plan", () => {
    expect(read("lvdao-core", "is-constructed")).toBeBool(true);
    expect(read("lvdao-core", "executed-at", [Cl.principal(contract("lvdao-bootstrap"))]).type).toBe("some");
  });

  it("refuses anyone but the deployer with ERR_NOT_DEPLOYER", () => {
    expect(call("lvdao-core", "construct", [Cl.principal(contract("lvdao-bootstrap"))], w[1]).result).toEqual(
      err("lvdao-core", "ERR_NOT_DEPLOYER"),
    );
  });

  it("refuses a second run with ERR_ALREADY_CONSTRUCTED", () => {
    expect(call("lvdao-core", "construct", [Cl.principal(contract("lvdao-bootstrap"))], deployer).result).toEqual(
      err("lvdao-core", "ERR_ALREADY_CONSTRUCTED"),
    );
  });
});

describe("set-extension", () => {
  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(call("lvdao-core", "set-extension", [Cl.principal(w[1]), Cl.bool(true)], outsider).result).toEqual(
      err("lvdao-core", "ERR_UNAUTHORIZED"),
    );
  });

  it("enables an extension for the DAO and prints extension-set", () => {
    const ext = deployExtension("ext-a");
    const { result, events } = runAsDao(`(contract-call? '${deployer}.lvdao-core set-extension '${ext} true)`);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "extension-set")).toEqual([
      Cl.tuple({ topic: Cl.stringAscii("extension-set"), extension: Cl.principal(ext), enabled: Cl.bool(true) }),
    ]);
    expect(read("lvdao-core", "is-extension", [Cl.principal(ext)])).toBeBool(true);
  });
});

describe("execute", () => {
  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(
      call("lvdao-core", "execute", [Cl.principal(contract("lvdao-bootstrap")), Cl.principal(w[1])], outsider).result,
    ).toEqual(err("lvdao-core", "ERR_UNAUTHORIZED"));
  });

  it("never runs the same proposal contract twice: ERR_ALREADY_EXECUTED", () => {
    simnet.deployContract(
      "noop-proposal",
      `(impl-trait '${deployer}.proposal-trait.proposal-trait)
(define-public (execute (sender principal)) (ok true))`,
      { clarityVersion: 4 },
      deployer,
    );
    const runTwice = [0, 1].map(() => {
      const p = proposal("contract-proposal", contractProposal(contract("noop-proposal")), w[4]);
      p.pass();
      p.advanceToEta();
      return call("proposals", "execute-proposal", [Cl.uint(p.id), Cl.principal(contract("noop-proposal"))], w[5])
        .result;
    });
    expect(runTwice[0]).toBeOk(Cl.bool(true));
    // the second run is recorded as failed, with the core's error
    expect(runTwice[1]).toBeOk(Cl.bool(false));
    expect(read("proposals", "get-apply-failure", [Cl.uint(uint(read("proposals", "get-last-id")))])).toBeSome(
      Cl.tuple({ at: Cl.uint(simnet.burnBlockHeight), code: Cl.uint(ERRORS["lvdao-core"].ERR_ALREADY_EXECUTED) }),
    );
  });

  it("runs a proposal with no asset allowance: it cannot move GT the core holds", () => {
    // The core holds GT (anyone can send it some); a proposal then tries to take it.
    expect(
      call(
        "gt-token",
        "transfer",
        [Cl.uint(5_000_000), Cl.principal(w[2]), Cl.principal(contract("lvdao-core")), Cl.none()],
        w[2],
      ).result,
    ).toBeOk(Cl.bool(true));
    const { result } = runAsDao(`(contract-call? '${deployer}.gt-token transfer u1 tx-sender '${w[1]} none)`);
    // refused by the empty allowance, not by the balance (gt-token's ERR_INSUFFICIENT_BALANCE would be u1203)
    expect(result).toEqual(Cl.error(Cl.uint(AS_CONTRACT_ALLOWANCE_VIOLATED)));
    expect(gtBalance(contract("lvdao-core"))).toBe(5_000_000n);
  });
});

describe("request-extension-callback", () => {
  it("calls an enabled extension back with the core as tx-sender", () => {
    const ext = deployExtension("ext-b");
    runAsDao(`(contract-call? '${deployer}.lvdao-core set-extension '${ext} true)`);
    const { result, events } = call("ext-b", "ask", [Cl.principal(ext)], w[2]);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "extension-callback")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("extension-callback"),
        extension: Cl.principal(ext),
        sender: Cl.principal(w[2]),
        memo: Cl.bufferFromHex("6c76"),
      }),
    ]);
    expect(read("ext-b", "get-calls")).toBeUint(1);
  });

  it("refuses a contract that is not an extension with ERR_UNAUTHORIZED", () => {
    const ext = deployExtension("ext-c");
    expect(call("ext-c", "ask", [Cl.principal(ext)], w[2]).result).toEqual(err("lvdao-core", "ERR_UNAUTHORIZED"));
  });

  it("refuses a callback to another contract with ERR_INVALID_EXTENSION", () => {
    const ext = deployExtension("ext-d");
    const other = deployExtension("ext-e");
    runAsDao(`(contract-call? '${deployer}.lvdao-core set-extension '${ext} true)`);
    expect(call("ext-d", "ask", [Cl.principal(other)], w[2]).result).toEqual(
      err("lvdao-core", "ERR_INVALID_EXTENSION"),
    );
  });
});
