import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { parse as parseToml } from "smol-toml";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { XPRV, XPUB } from "../vault/test/fixtures.ts";
import { loadCosignerConfig, readCosignerConfig } from "./config.ts";

const EXAMPLE = new URL("../../docs/cosigner.example.toml", import.meta.url).pathname;

function withKeyFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cosigner-"));
  writeFileSync(join(dir, "cosigner.xprv"), `${text}\n`, { mode: 0o600 });
  writeFileSync(join(dir, "cosigner.toml"), readFileSync(EXAMPLE, "utf8"));
  return join(dir, "cosigner.toml");
}

describe("the co-signer's config", () => {
  it("the example loads, with the key from its file, and the key never prints", () => {
    const config = loadCosignerConfig(withKeyFile(XPRV.cosigner), {});
    expect(config.listen).toEqual({ host: "127.0.0.1", port: 3901 });
    expect(config.changeScanBound).toBe(1000);
    expect(config.key.reveal()).toBe(XPRV.cosigner);
    expect(`${config.key} ${JSON.stringify(config)} ${inspect(config)}`).not.toContain(XPRV.cosigner.slice(4, 20));
  });

  it("the key can come from the environment variable the file names", () => {
    const table = parseToml(readFileSync(EXAMPLE, "utf8")) as Record<string, Record<string, unknown>>;
    table.key = { xprv_env: "COSIGNER_XPRV" };
    const config = readCosignerConfig(table, { configPath: EXAMPLE, env: { COSIGNER_XPRV: XPRV.cosigner } });
    expect(config.key.reveal()).toBe(XPRV.cosigner);
  });

  it.each([
    ["an xpub in the key file", XPUB.cosigner, /key.xprv_file .*an extended public key where a private key belongs/],
    ["garbage in the key file", "not a key", /key.xprv_file .*not an extended private key of regtest/],
  ])("%s is refused without echoing it", (_, text, error) => {
    const path = withKeyFile(text);
    expect(() => loadCosignerConfig(path, {})).toThrow(error);
    try {
      loadCosignerConfig(path, {});
    } catch (e) {
      expect((e as Error).message).not.toContain(text.slice(4, 20));
    }
  });

  it("a misspelt setting is reported", () => {
    const table = parseToml(readFileSync(EXAMPLE, "utf8")) as Record<string, Record<string, unknown>>;
    table.key = { xprv_env: "X" };
    (table.cosigner as Record<string, unknown>).chnage_scan = 5;
    expect(() => readCosignerConfig(table, { configPath: EXAMPLE, env: { X: XPRV.cosigner } })).toThrow(
      /cosigner.chnage_scan .*is not a co-signer setting/,
    );
  });
});
