// Every `npx lvdao` example in README.md and docs/*.md that needs no file of its own (action kinds, encode, decode,
// verify-deployment, --version) runs as written and exits 0: offline ones straight through the CLI, those with
// `--api http://127.0.0.1:3999` against the node emulation (its URL put in place of the default one). Examples that
// need an operator's files (relay.toml, a key file) or a public network are left out by rule, named below.
// `market quote` reads the DAO's LV pricing, so the emulation first passes docs/market.md's worked example.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Cl } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeAction } from "../../actions/index.ts";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { main } from "../cli/main.ts";
import { passAction, readOnly, send } from "../../devnet/governance.ts";

const REPO = resolve(import.meta.dirname, "../../..");
const DOCS = [
  "README.md",
  ...readdirSync(join(REPO, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const DEFAULT_API = "http://127.0.0.1:3999";
/** Commands whose examples name an operator's files, which a document cannot ship. */
const NEEDS_FILES = /^(relay (start|status)|audit|action propose)\b|(^|\s)--(config|key-file)\s/;

/** Shell words of one command line: single and double quotes, a trailing comment dropped. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const match of line.replace(/\s+#\s.*$/, "").matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g))
    out.push(match[1] ?? match[2] ?? (match[3] as string));
  return out;
}

/** `npx lvdao ...` lines inside the fenced sh blocks of a document, continuation lines joined. */
function lvdaoExamples(markdown: string): string[] {
  const found: string[] = [];
  for (const block of markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const lines = (block[1] as string).replace(/\\\n\s*/g, "").split("\n");
    for (const line of lines) if (line.startsWith("npx lvdao ")) found.push(line.slice("npx lvdao ".length).trim());
  }
  return found;
}

const examples = DOCS.flatMap((doc) =>
  lvdaoExamples(readFileSync(join(REPO, doc), "utf8")).map((line) => ({ doc, line })),
);
/** Examples against a public network's API (testnet, mainnet) rather than the local one. */
const publicNetwork = (line: string): boolean => /--api (?!http:\/\/127\.0\.0\.1:3999)/.test(line);
const runnable = examples.filter(({ line }) => !NEEDS_FILES.test(line) && !publicNetwork(line));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, text: [...out, ...err].join("\n") };
}

/** docs/market.md's worked example, executed on-chain: a chain kind applies at its second conclude. */
async function passWorkedPricing(devnet: Devnet): Promise<void> {
  const payload = encodeAction({
    kind: "lv-pricing",
    payload: {
      referenceMsat: 1_234n,
      spreadBps: 75n,
      targetInboundBps: 5_000n,
      premiumSlopeBps: 20n,
      maxPremiumBps: 500n,
      quoteTtl: 60n,
      maxTradeLv: 1_000_000n,
      maxPeriodLv: 10_000_000n,
      period: 144n,
    },
  });
  const id = await passAction(devnet, "lv-pricing", payload, "the worked example's pricing");
  await devnet.mine({ burn: 12 });
  await send(devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
  expect(await readOnly(devnet, "lv-ledger", "get-lv-pricing", [])).toMatch(/^\(some /);
}

describe("docs examples", () => {
  let devnet: Devnet | undefined;
  beforeAll(async () => {
    if (runnable.some(({ line }) => line.includes(DEFAULT_API)))
      devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
    if (devnet && runnable.some(({ line }) => line.startsWith("market quote"))) await passWorkedPricing(devnet);
  }, 240_000);
  afterAll(async () => {
    await devnet?.stop();
  });

  it("finds the encode, decode, kinds and verify-deployment examples", () => {
    const commands = new Set(runnable.map(({ line }) => words(line).slice(0, 2).join(" ")));
    for (const command of ["action kinds", "action encode", "action decode"]) expect(commands).toContain(command);
    expect(runnable.length).toBeGreaterThanOrEqual(6);
  });

  it.each(runnable.map(({ doc, line }) => [doc, line]))(
    "%s: lvdao %s exits 0",
    async (_, line) => {
      const argv = words(line).map((word) => (devnet && word === DEFAULT_API ? devnet.url : word));
      const result = await run(argv);
      // The whole output in the failure message, so a broken example says why.
      expect({ code: result.code, text: result.text }).toMatchObject({ code: 0 });
    },
    60_000,
  );
});
