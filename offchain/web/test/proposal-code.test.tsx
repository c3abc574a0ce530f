// A contract-proposal's code in the app: the propose form's code-hash filled from the deployed source until the
// proposer types their own, the source read through the node API (the node emulation as the real peer), and the
// panel voters read: the hash, the verdict and the contracts the code calls.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { Cl } from "@stacks/transactions";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposalCode } from "../../actions/index.ts";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { NodeApi, type NodeError } from "../src/stacks/api.ts";
import { LvdaoReads } from "../src/stacks/reads.ts";
import { ProposalCodePanel } from "../src/components/ProposalCode.tsx";
import { draftContract, draftProposal, fillCodeHash } from "../src/model/proposal-code.ts";
import { deployDirect, send } from "./chain.ts";

const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const CONTRACT = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.upgrade-1";
const SOURCE = `(impl-trait '${DEPLOYER}.proposal-trait.proposal-trait)
(use-trait ft '${DEPLOYER}.sip-010-trait.sip-010-trait)
(define-public (execute (sender principal))
  (contract-call? '${DEPLOYER}.dao-settings set-setting "max-fee-ppm" u4000))
(define-public (pay (token <ft>) (to principal))
  (contract-call? token transfer u1 tx-sender to none))
`;
const sha = (text: string): string => createHash("sha512-256").update(text).digest("hex");
const HASH = sha(SOURCE);
const OTHER = sha("other");

describe("the propose form's contract-proposal", () => {
  it.each([
    ["a contract principal", { proposal: CONTRACT }, CONTRACT],
    ["one with spaces around it", { proposal: ` ${CONTRACT} ` }, CONTRACT],
    ["a standard principal", { proposal: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5" }, null],
    ["a bad address", { proposal: "ST1NOTANADDRESS.upgrade-1" }, null],
    ["an empty field", { proposal: "" }, null],
  ])("draftContract of %s", (_, draft, contract) => {
    expect(draftContract(draft)).toBe(contract);
  });

  it.each([
    ["an empty code-hash is filled", "", null, HASH],
    ["a hash filled for the contract named before is replaced", OTHER, OTHER, HASH],
    ["a hash typed by the proposer is kept", OTHER, null, OTHER],
    ["a half-typed hash is kept", "ab", HASH, "ab"],
  ])("fillCodeHash: %s", (_, current, lastFilled, expected) => {
    const draft = { proposal: CONTRACT, "code-hash": current };
    expect(fillCodeHash(draft, SOURCE, lastFilled)["code-hash"]).toBe(expected);
  });

  it("leaves the draft itself alone when there is nothing to change", () => {
    const draft = { proposal: CONTRACT, "code-hash": HASH };
    expect(fillCodeHash(draft, SOURCE, HASH)).toBe(draft);
  });

  it.each([
    [
      "a contract and a 32-byte hash",
      { proposal: CONTRACT, "code-hash": HASH },
      { proposal: CONTRACT, codeHash: HASH },
    ],
    [
      "a hash with 0x in capitals",
      { proposal: CONTRACT, "code-hash": `0x${HASH.toUpperCase()}` },
      { proposal: CONTRACT, codeHash: HASH },
    ],
    ["a short hash", { proposal: CONTRACT, "code-hash": HASH.slice(2) }, null],
    ["no contract", { proposal: "", "code-hash": HASH }, null],
  ])("draftProposal of %s", (_, draft, payload) => {
    expect(draftProposal(draft)).toEqual(payload);
  });
});

describe("ProposalCodePanel", () => {
  const text = (html: string): string =>
    html
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();

  it.each([
    [
      "a matching source",
      SOURCE,
      [
        "matches the deployed source",
        `${DEPLOYER}.dao-settings : set-setting`,
        `line 6: token transfer ${DEPLOYER}.sip-010-trait.sip-010-trait`,
      ],
    ],
    [
      "another source",
      "(define-public (execute (sender principal)) (ok true))",
      ["DIFFERS from the deployed source", "no contract by name"],
    ],
    ["no deployed contract", undefined, [`no contract ${CONTRACT} is deployed`]],
  ] as const)("shows the hash and the verdict for %s", (_, source, phrases) => {
    const html = renderToStaticMarkup(
      <ProposalCodePanel check={proposalCode({ proposal: CONTRACT, codeHash: HASH }, source)} />,
    );
    expect(text(html)).toContain(`Code hash ${HASH}`);
    for (const phrase of phrases) expect(text(html)).toContain(phrase);
    expect(html.includes("Through a trait")).toBe(source === SOURCE);
  });
});

describe("reading sources from the node", () => {
  let devnet: Devnet;
  let api: NodeApi;
  let deployed: string;
  beforeAll(async () => {
    devnet = await startDevnet({
      projectDir: resolve(import.meta.dirname, "../../.."),
      port: 0,
      blockTimeMs: 50,
      burnBlockTimeMs: 0,
    });
    api = new NodeApi(devnet.url);
    deployed = await deployDirect(devnet, "wallet_1", "web-code-check", SOURCE);
  }, 180_000);
  afterAll(async () => {
    await devnet?.stop();
  });

  it("reads a deployed contract's source, whose hash is the one a payload pins", async () => {
    const source = await api.contractSource(deployed);
    expect(source).toBe(SOURCE);
    expect(proposalCode({ proposal: deployed, codeHash: HASH }, source ?? undefined).state).toBe("matches");
  });

  it("answers null for a contract that is not deployed", async () => {
    expect(await api.contractSource(`${deployed}-2`)).toBeNull();
  });

  it("names an unreachable node", async () => {
    await expect(new NodeApi("http://127.0.0.1:9").contractSource(deployed)).rejects.toMatchObject({
      name: "NodeError",
      code: "unreachable",
    } satisfies Partial<NodeError>);
  });

  it("reads what the treasury holds, again once told of the new tip", async () => {
    const reads = new LvdaoReads(api, {
      nodeUrl: devnet.url,
      deployer: DEPLOYER,
      network: "devnet",
      pollMs: 1000,
      devnetAccounts: [],
    });
    const before = await reads.treasuryBalance();
    const member = devnet.account("wallet_2").address;
    await send(devnet, "wallet_2", "gt-token", "transfer", [
      Cl.uint(1_500_000),
      Cl.principal(member),
      Cl.contractPrincipal(DEPLOYER, "treasury"),
      Cl.none(),
    ]);
    // the same tip answers from the cache; the session observes every tip it polls
    expect(await reads.treasuryBalance()).toBe(before);
    reads.observeTip(await api.tip());
    expect(await reads.treasuryBalance()).toBe(before + 1_500_000n);
  });
});
