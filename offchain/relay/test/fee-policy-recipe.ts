// The `lncli` + `jq` recipe docs/relay.md gives for recomputing a fee-policy's evidence, read from the document
// itself so the test runs what operators copy.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const RELAY_MD = resolve(import.meta.dirname, "../../../docs/relay.md");

/** The first sh block after the "Canonical applied policy set" paragraph. */
export function feePolicyRecipe(): string {
  const text = readFileSync(RELAY_MD, "utf8");
  const from = text.indexOf("Canonical applied policy set");
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(from));
  if (from < 0 || !block) throw new Error("docs/relay.md has no fee-policy recipe");
  return block[1] as string;
}

/** Runs the recipe with `lncli` resolved through `path` first; returns the hex sha256 it prints. */
export function runFeePolicyRecipe(path: string, env: NodeJS.ProcessEnv = {}): string {
  const out = execFileSync("bash", ["-euo", "pipefail", "-c", feePolicyRecipe()], {
    env: { ...process.env, ...env, PATH: `${path}:${process.env.PATH}` },
    encoding: "utf8",
  });
  const hash = /^([0-9a-f]{64}) +-$/m.exec(out);
  if (!hash) throw new Error(`the recipe printed no sha256: ${out}`);
  return hash[1] as string;
}
