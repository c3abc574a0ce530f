// `lvdao action` with contract proposals on the node emulation and the real contracts: encode and propose fill a
// left-out code-hash from the contract's deployed source, decode compares a payload's hash with that source and
// lists the contracts the code calls, the chain accepts the hash the CLI computes and refuses another, and a
// treasury-transfer goes through propose like any kind.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAction } from "../../actions/index.ts";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { deployDirect } from "../../web/test/chain.ts";
import { main } from "../cli/main.ts";
import { DEPLOYER, readOnly } from "../../devnet/governance.ts";

const REPO = resolve(import.meta.dirname, "../../..");

/** A proposal that changes a setting by name and pays through whatever token it is given. */
const SOURCE = `(impl-trait '${DEPLOYER}.proposal-trait.proposal-trait)
(use-trait ft '${DEPLOYER}.sip-010-trait.sip-010-trait)
(define-public (execute (sender principal))
  (contract-call? '${DEPLOYER}.dao-settings set-setting "max-fee-ppm" u4000))
(define-public (pay (token <ft>) (to principal))
  (contract-call? token transfer u1 tx-sender to none))
`;
const HASH = createHash("sha512-256").update(SOURCE).digest("hex");

let dir: string;
let devnet: Devnet;
let upgrade: string;
let config: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-action-code-"));
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  upgrade = await deployDirect(devnet, "wallet_4", "cli-upgrade", SOURCE);
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  writeFileSync(join(dir, "proposer.key"), devnet.account("wallet_4").privateKey);
  config = join(dir, "cli.toml");
  writeFileSync(
    config,
    `[stacks]\napi_url = "${devnet.url}"\ndeployer = "${DEPLOYER}"\nrelay_key_file = "relay.key"\n`,
  );
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const running = main(argv, io);
  const mining = setInterval(() => void devnet.mine(), 100);
  const code = await running.finally(() => clearInterval(mining));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const payloadHex = (json: object): Promise<string> =>
  run("action", "encode", "contract-proposal", JSON.stringify(json)).then((r) => {
    if (r.code !== 0) throw new Error(r.err);
    return r.out;
  });

describe("lvdao action encode and decode against the deployed source", () => {
  it("encode fills code-hash with the deployed source's SHA-512/256; decode says it matches, lists calls", async () => {
    const encoded = await run(
      "action",
      "encode",
      "--api",
      devnet.url,
      "contract-proposal",
      JSON.stringify({ proposal: upgrade }),
    );
    expect(encoded.code).toBe(0);
    expect(encoded.err).toBe(`code-hash ${HASH}: the SHA-512/256 of ${upgrade}'s source at ${devnet.url}`);
    expect(decodeAction("contract-proposal", encoded.out).payload).toEqual({ proposal: upgrade, codeHash: HASH });

    const decoded = await run("action", "decode", "--api", devnet.url, "contract-proposal", encoded.out);
    expect(decoded.code).toBe(0);
    expect(decoded.out.split("\n").slice(4)).toEqual([
      `code-hash   ${HASH} (payload)`,
      `deployed    ${HASH} (${upgrade} at ${devnet.url})`,
      "            matches the deployed source: the code this proposal runs is that source",
      `calls       ${DEPLOYER}.dao-settings: set-setting`,
      "through a trait, to a contract chosen at run time (check what each caller passes):",
      `            line 6: token transfer (${DEPLOYER}.sip-010-trait.sip-010-trait)`,
    ]);
  });

  it.each([
    {
      name: "another code's hash",
      hash: "ab".repeat(32),
      contract: "",
      via: "--api",
      code: 3,
      line: "DIFFERS from the payload: the chain refuses this proposal (ERR_CODE_HASH)",
    },
    {
      name: "a contract that is not deployed",
      hash: HASH,
      contract: "-2",
      via: "--api",
      code: 3,
      line: "no contract UPGRADE-2 is deployed: the chain refuses this proposal (ERR_CONTRACT_MISSING) (at DEVNET)",
    },
    {
      name: "the relay config's node",
      hash: HASH,
      contract: "",
      via: "--config",
      code: 0,
      line: "matches the deployed source: the code this proposal runs is that source",
    },
  ])("decode with $name exits $code", async ({ hash, contract, via, code, line }) => {
    const hex = await payloadHex({ proposal: `${upgrade}${contract}`, "code-hash": hash });
    const decoded = await run("action", "decode", via, via === "--api" ? devnet.url : config, "contract-proposal", hex);
    expect(decoded.code).toBe(code);
    expect(decoded.out).toContain(line.replace("UPGRADE", upgrade).replace("DEVNET", devnet.url));
  });

  it("encode names the contract when nothing is deployed under its name", async () => {
    const result = await run(
      "action",
      "encode",
      "--api",
      devnet.url,
      "contract-proposal",
      JSON.stringify({ proposal: `${upgrade}-2` }),
    );
    expect(result.code).toBe(65);
    expect(result.err).toBe(
      `lvdao: invalid action: ERR_CONTRACT_MISSING (proposal): ${upgrade}-2 is not deployed at ${devnet.url}, ` +
        "so its code-hash cannot be read; deploy it first or give code-hash",
    );
  });
});

describe("lvdao action propose on the new kinds", () => {
  const propose = (title: string, kind: string, json: object) =>
    run(
      "action",
      "propose",
      "--config",
      config,
      "--key-file",
      join(dir, "proposer.key"),
      "--title",
      title,
      "--body",
      `Why: ${title}.`,
      kind,
      JSON.stringify(json),
    );
  const payloadOf = async (id: string): Promise<string> =>
    /\(payload 0x([0-9a-f]+)\)/.exec(await readOnly(devnet, "proposals", "get-proposal", [Cl.uint(BigInt(id))]))![1]!;

  it("fills a contract-proposal's code-hash from the deployed source, and the chain accepts it", async () => {
    const result = await propose("run the cli upgrade", "contract-proposal", { proposal: upgrade });
    expect(result.code).toBe(0);
    expect(result.err.split("\n")[0]).toBe(
      `code-hash ${HASH}: the SHA-512/256 of ${upgrade}'s source at ${devnet.url}`,
    );
    const id = /^proposal (\d+)$/m.exec(result.out)![1]!;
    expect(decodeAction("contract-proposal", await payloadOf(id)).payload).toEqual({
      proposal: upgrade,
      codeHash: HASH,
    });
  }, 60_000);

  it("reports the chain's refusal of a code-hash that is not the deployed code's, before broadcasting", async () => {
    const result = await propose("run other code", "contract-proposal", {
      proposal: upgrade,
      "code-hash": "ab".repeat(32),
    });
    expect(result.code).toBe(65);
    expect(result.err.split("\n").at(-1)).toBe(
      "lvdao: the chain refuses this contract-proposal payload: action-validator.ERR_CODE_HASH",
    );
    expect(result.out).toBe("");
  }, 60_000);

  it("proposes a treasury transfer", async () => {
    const transfer = { recipient: devnet.account("wallet_5").address, amount: 2_000_000 };
    const result = await propose("pay wallet_5 from the treasury", "treasury-transfer", transfer);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/^checking the treasury-transfer payload with \S+\.action-validator\nbody: /);
    const id = /^proposal (\d+)$/m.exec(result.out)![1]!;
    expect(await readOnly(devnet, "proposals", "get-proposal", [Cl.uint(BigInt(id))])).toContain(
      '(kind "treasury-transfer")',
    );
    expect(decodeAction("treasury-transfer", await payloadOf(id)).payload).toEqual({
      recipient: transfer.recipient,
      amount: 2_000_000n,
    });
  }, 60_000);
});
