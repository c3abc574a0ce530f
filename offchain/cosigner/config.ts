// The co-signer's configuration: a TOML file (docs/cosigner.example.toml), any field overridable by
// LVDAO_<SECTION>_<KEY> like the relay's. Its key is an extended private key read from a file or from an
// environment variable the file names; it is wrapped in a Secret so it never prints.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { ConfigError, FieldReader } from "../relay/config-reader.ts";
import { Secret } from "../relay/config.ts";
import type { Network } from "../vault/keys.ts";
import { parseXprv } from "../vault/keys.ts";

export interface CosignerConfig {
  network: Network;
  listen: { host: string; port: number };
  journalPath: string;
  changeScanBound: number;
  key: Secret;
  stacks: { nodeUrl: string; network: "mainnet" | "testnet" | "devnet"; deployer: string };
}

const STACKS_ADDRESS = /^S[PMTN][0-9A-Z]{38,40}$/;

function cosignerKey(r: FieldReader, env: Record<string, string | undefined>, network: Network): Secret {
  const file = r.optionalString("key.xprv_file");
  const envVar = r.optionalString("key.xprv_env");
  if ((file === undefined) === (envVar === undefined)) r.fail("key", "set exactly one of xprv_file and xprv_env");
  let text: string;
  if (file !== undefined) text = r.secretFile("key.xprv_file").toString("utf8").trim();
  else {
    const value = env[envVar as string];
    if (value === undefined || value.trim() === "") r.fail("key.xprv_env", `the environment has no ${envVar}`);
    text = value.trim();
  }
  try {
    parseXprv(text, network);
  } catch (error) {
    r.fail(
      file !== undefined ? "key.xprv_file" : "key.xprv_env",
      (error as Error).message.replace(/tprv\S+|xprv\S+/g, "…"),
    );
  }
  return new Secret(text);
}

export function readCosignerConfig(
  table: Record<string, unknown>,
  options: { configPath: string; env?: Record<string, string | undefined> },
): CosignerConfig {
  const env = options.env ?? {};
  const r = new FieldReader(table, env, dirname(options.configPath), options.configPath);
  const network = r.oneOf("bitcoin.network", ["regtest", "testnet", "mainnet"] as const, "regtest");
  const deployer = r.string("stacks.deployer");
  if (!STACKS_ADDRESS.test(deployer)) r.fail("stacks.deployer", `"${deployer}" is not a Stacks address`);
  const config: CosignerConfig = {
    network,
    listen: r.listen("cosigner.listen", "127.0.0.1:3901"),
    journalPath: r.path("cosigner.journal", { mustExist: false, fallback: "cosigner.sqlite" }),
    changeScanBound: r.count("cosigner.change_scan", 1000, 1, 100_000),
    key: cosignerKey(r, env, network),
    stacks: {
      nodeUrl: r.url("stacks.node_url"),
      network: r.oneOf("stacks.network", ["mainnet", "testnet", "devnet"] as const, "devnet"),
      deployer,
    },
  };
  const unknown = r.unknownFileKeys();
  if (unknown.length > 0) {
    throw new ConfigError(unknown[0] as string, "is not a co-signer setting (see docs/vault.md)", options.configPath);
  }
  return config;
}

export function loadCosignerConfig(
  configPath: string,
  env: Record<string, string | undefined> = process.env,
): CosignerConfig {
  const full = resolve(configPath);
  let table: Record<string, unknown>;
  try {
    table = parseToml(readFileSync(full, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError("--config", `cannot read ${configPath}: ${(error as Error).message}`, "command line");
  }
  return readCosignerConfig(table, { configPath: full, env });
}
