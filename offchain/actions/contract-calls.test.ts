import { describe, expect, it } from "vitest";
import { contractCalls, type ContractCalls } from "./index.ts";

const SELF = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.upgrade-2";
const DEPLOYER = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5";
const DAO = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";

const none: ContractCalls = { contracts: [], throughTraits: [] };

describe("contractCalls", () => {
  it.each<[string, string, ContractCalls]>([
    ["no calls", "(define-public (execute (sender principal)) (ok true))", none],
    [
      "a literal target with its address",
      `(contract-call? '${DAO}.dao-settings set-setting "max-fee-ppm" u10)`,
      { contracts: [{ contract: `${DAO}.dao-settings`, functions: ["set-setting"] }], throughTraits: [] },
    ],
    [
      "a .name target, resolved to the contract's own deployer",
      "(contract-call? .helper run u1)",
      { contracts: [{ contract: `${DEPLOYER}.helper`, functions: ["run"] }], throughTraits: [] },
    ],
    [
      "one contract called twice, functions once each in order",
      `(begin (contract-call? '${DAO}.gt-token transfer u1 tx-sender tx-sender none)\n` +
        `(contract-call? '${DAO}.gt-token get-balance tx-sender)\n` +
        `(contract-call? '${DAO}.gt-token transfer u2 tx-sender tx-sender none))`,
      { contracts: [{ contract: `${DAO}.gt-token`, functions: ["transfer", "get-balance"] }], throughTraits: [] },
    ],
    [
      "targets in order of first appearance",
      `(contract-call? .b f) (contract-call? '${DAO}.a g) (contract-call? .b h)`,
      {
        contracts: [
          { contract: `${DEPLOYER}.b`, functions: ["f", "h"] },
          { contract: `${DAO}.a`, functions: ["g"] },
        ],
        throughTraits: [],
      },
    ],
    [
      "a call inside a comment, ignored",
      `;; (contract-call? '${DAO}.treasury transfer-gt u1 tx-sender)\n(ok true)`,
      none,
    ],
    ["a call inside a string, ignored", `(print "(contract-call? .treasury transfer-gt u1 tx-sender)")`, none],
    [
      "a string with an escaped quote before a real call",
      `(print "say \\"hi\\" (contract-call? .x y)") (contract-call? .real go)`,
      { contracts: [{ contract: `${DEPLOYER}.real`, functions: ["go"] }], throughTraits: [] },
    ],
    [
      "a UTF-8 string literal",
      `(print u"(contract-call? .x y)") (contract-call? .real go)`,
      { contracts: [{ contract: `${DEPLOYER}.real`, functions: ["go"] }], throughTraits: [] },
    ],
    [
      "a call inside a tuple and as-contract?",
      `(as-contract? () {a: (contract-call? .inner go), b: u1})`,
      { contracts: [{ contract: `${DEPLOYER}.inner`, functions: ["go"] }], throughTraits: [] },
    ],
    [
      "a call through a trait argument, with the trait resolved",
      `(use-trait ft '${DAO}.sip-010-trait.sip-010-trait)\n(define-public (pay (token <ft>))\n` +
        "  (contract-call? token transfer u1 tx-sender tx-sender none))",
      {
        contracts: [],
        throughTraits: [{ line: 3, via: "token", function: "transfer", trait: `${DAO}.sip-010-trait.sip-010-trait` }],
      },
    ],
    [
      "a trait declared with .name, resolved to the deployer",
      "(use-trait p .proposal-trait.proposal-trait)\n" +
        "(define-public (run (next <p>) (sender principal)) (contract-call? next execute sender))",
      {
        contracts: [],
        throughTraits: [
          { line: 2, via: "next", function: "execute", trait: `${DEPLOYER}.proposal-trait.proposal-trait` },
        ],
      },
    ],
    [
      "a trait argument declared under two traits",
      "(define-public (a (t <x>)) (contract-call? t f))\n(define-public (b (t <y>)) (ok true))",
      { contracts: [], throughTraits: [{ line: 1, via: "t", function: "f", trait: "x or y" }] },
    ],
    [
      "a call through a name that is not a declared argument",
      "(contract-call? somewhere f)",
      { contracts: [], throughTraits: [{ line: 1, via: "somewhere", function: "f", trait: null }] },
    ],
    [
      "literal and trait calls together",
      "(define-public (execute (sender principal) (t <ft>))\n" +
        "  (begin (try! (contract-call? .lvdao-core set-extension .x true))\n    (contract-call? t transfer u1)))",
      {
        contracts: [{ contract: `${DEPLOYER}.lvdao-core`, functions: ["set-extension"] }],
        throughTraits: [{ line: 3, via: "t", function: "transfer", trait: "ft" }],
      },
    ],
    [
      "an unterminated string: what comes before it",
      `(contract-call? .a f) (print "never closed (contract-call? .b g)`,
      { contracts: [{ contract: `${DEPLOYER}.a`, functions: ["f"] }], throughTraits: [] },
    ],
  ])("%s", (_, source, expected) => {
    expect(contractCalls(source, SELF)).toEqual(expected);
  });

  it("lists the calls of a real contract: treasury pays through gt-token and asks lvdao-core", () => {
    const source = `(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                (err u2300))))
(define-public (transfer-gt (amount uint) (recipient principal))
  (begin
    (try! (is-dao-or-extension))
    (try! (as-contract? ((with-ft .gt-token "gt" amount))
            (try! (contract-call? .gt-token transfer amount tx-sender recipient none))))
    (ok true)))
(define-read-only (get-balance)
  (unwrap-panic (contract-call? .gt-token get-balance current-contract)))`;
    expect(contractCalls(source, `${DAO}.treasury`)).toEqual({
      contracts: [
        { contract: `${DAO}.lvdao-core`, functions: ["is-extension"] },
        { contract: `${DAO}.gt-token`, functions: ["transfer", "get-balance"] },
      ],
      throughTraits: [],
    });
  });
});
