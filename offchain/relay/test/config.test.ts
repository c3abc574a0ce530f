// The config module: a complete file loads with its defaults, env overrides win, and every bad field fails with a
// message naming it. Secrets are read from files, registered for redaction, and never print.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, readConfig } from "../config.ts";

let dir: string;
const KEY = "7287ba251d44a4d3fd9276c88ce34c5c52a038955511cccaf77e61068649c17801";
const MACAROON = Buffer.from(
  "0201036c6e6402f801030a10b4f1d39a1ee4e4aa9d2b5f6d5c8a2e4f1201301a160a0761646472657373120472656164120577726974651a13",
  "hex",
);
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-config-"));
  writeFileSync(join(dir, "relay.key"), `${KEY}\n`);
  writeFileSync(join(dir, "admin.macaroon"), MACAROON);
  writeFileSync(join(dir, "tls.cert"), CERT);
  writeFileSync(join(dir, "empty"), "");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ({
  stacks: {
    api_url: "http://127.0.0.1:3999",
    deployer: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM",
    relay_key_file: "relay.key",
  },
  lnd: { socket: "127.0.0.1:10009", cert_file: "tls.cert", macaroon_file: "admin.macaroon" },
});
const read = (table: Record<string, unknown>, env: Record<string, string> = {}) =>
  readConfig(table, { configPath: join(dir, "relay.toml"), env });

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && typeof a[k] === "object"
        ? merge(a[k] as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  return out;
}

describe("config: a good file", () => {
  it("loads with documented defaults and reads the secrets from their files", () => {
    const { config } = read(base());
    expect(config.stacks).toMatchObject({
      nodeUrl: "http://127.0.0.1:3999",
      network: "devnet",
      confirmations: 1,
      feeUstx: 10_000n,
      events: "poll",
      txPollIntervalMs: 500,
    });
    expect(config.lnd?.macaroon.reveal()).toBe(MACAROON.toString("hex"));
    expect(config.stacks.relayKey.reveal()).toBe(KEY);
    expect(config.limits).toMatchObject({
      maxChannelSats: 16_777_215n,
      dailyOnchainBudgetSats: 100_000_000n,
      peerAllow: [],
    });
    expect(config.journal.sqlitePath).toBe(join(dir, "relay.db"));
    expect(config.http.listen).toEqual({ host: "127.0.0.1", port: 8732 });
    expect(config.lvWallets.reserve).toBeUndefined();
  });

  it("lets LVDAO_<SECTION>_<KEY> override the file", () => {
    const { config } = read(base(), {
      LVDAO_STACKS_CONFIRMATIONS: "3",
      LVDAO_LIMITS_PEER_DENY: `02${"aa".repeat(32)},03${"bb".repeat(32)}`,
      LVDAO_STACKS_API_URL: "https://api.example:3999/",
    });
    expect(config.stacks.confirmations).toBe(3);
    expect(config.stacks.apiUrl).toBe("https://api.example:3999");
    expect(config.limits.peerDeny).toHaveLength(2);
  });

  it("never prints a secret: JSON, string and inspect show [redacted]", () => {
    const { config, secrets } = read(base());
    const shown = [
      JSON.stringify(config, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      `${config.lnd!.macaroon}`,
      inspect(config, { depth: 5 }),
    ].join("\n");
    expect(shown).not.toContain(MACAROON.toString("hex"));
    expect(shown).not.toContain(KEY);
    expect(secrets.redact(`key ${KEY} mac ${MACAROON.toString("base64")}`)).toBe("key [redacted] mac [redacted]");
  });

  it("loads a TOML file from disk, with paths relative to the file", () => {
    writeFileSync(
      join(dir, "relay.toml"),
      `[stacks]\napi_url = "http://127.0.0.1:3999"\ndeployer = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM"\nrelay_key_file = "relay.key"\n[limits]\nmax_loop_sats = 250_000\n`,
    );
    expect(loadConfig(join(dir, "relay.toml"), {}).config.limits.maxLoopSats).toBe(250_000n);
  });
});

const bad: [string, Record<string, unknown>, Record<string, string>, string][] = [
  ["a missing api url", { stacks: { api_url: undefined } }, {}, "stacks.api_url (missing): is required"],
  ["an api url that is not http", { stacks: { api_url: "ftp://x" } }, {}, "stacks.api_url"],
  ["a deployer that is not an address", { stacks: { deployer: "bob" } }, {}, "stacks.deployer"],
  ["a testnet deployer on mainnet", { stacks: { network: "mainnet" } }, {}, "is not a mainnet address"],
  ["a missing key file", { stacks: { relay_key_file: "nope.key" } }, {}, "stacks.relay_key_file"],
  ["a key file without a key", { stacks: { relay_key_file: "tls.cert" } }, {}, "must hold a hex private key"],
  ["an empty macaroon file", { lnd: { macaroon_file: "empty" } }, {}, "lnd.macaroon_file"],
  ["a cert that is not PEM", { lnd: { cert_file: "relay.key" } }, {}, "lnd.cert_file"],
  ["a bad lnd socket", { lnd: { socket: "localhost" } }, {}, "lnd.socket"],
  ["zero confirmations", { stacks: { confirmations: 0 } }, {}, "stacks.confirmations"],
  ["a transaction poll under 50 ms", { stacks: { tx_poll_interval_ms: 10 } }, {}, "stacks.tx_poll_interval_ms"],
  ["no action in flight", { executor: { max_in_flight: 0 } }, {}, "executor.max_in_flight"],
  ["more actions in flight than 64", { executor: { max_in_flight: 65 } }, {}, "executor.max_in_flight"],
  [
    "an env value that is not a number",
    {},
    { LVDAO_STACKS_CONFIRMATIONS: "many" },
    "stacks.confirmations (env LVDAO_STACKS_CONFIRMATIONS)",
  ],
  ["an unknown event mode", { stacks: { events: "websocket" } }, {}, "stacks.events"],
  ["a bad peer key in the allow list", { limits: { peer_allow: ["02abc"] } }, {}, "limits.peer_allow"],
  [
    "a peer both allowed and denied",
    { limits: { peer_allow: [`02${"aa".repeat(32)}`], peer_deny: [`02${"aa".repeat(32)}`] } },
    {},
    "limits.peer_deny",
  ],
  ["a max channel below lnd's minimum", { limits: { max_channel_sats: 100 } }, {}, "limits.max_channel_sats"],
  ["a journal url that is not postgres", { journal: { postgres_url: "mysql://x" } }, {}, "journal.postgres_url"],
  ["a bad listen address", { http: { listen: "8732" } }, {}, "http.listen"],
  [
    "an allowed origin with a path",
    { http: { allow_origins: ["https://app.example/lvdao"] } },
    {},
    'relay.toml): "https://app.example/lvdao" is not a web origin (scheme://host[:port], no path)',
  ],
  ["a bad price oracle listen address", { price_oracle: { listen: "localhost" } }, {}, "price_oracle.listen"],
  [
    "a price oracle certificate name that is not a host",
    { price_oracle: { tls_extra_hosts: ["https://oracle.example"] } },
    {},
    'relay.toml): "https://oracle.example" is not a host name or IP address',
  ],
  ["a misspelt key", { limits: { max_chanel_sats: 5 } }, {}, "limits.max_chanel_sats"],
  [
    "a max backoff below the backoff",
    { executor: { retry_backoff_ms: 5000, max_backoff_ms: 100 } },
    {},
    "executor.max_backoff_ms",
  ],
];

describe("config: the origins that may read GET /channels", () => {
  it("are none besides loopback by default, and a list from the file or the environment", () => {
    expect(read(base()).config.http.allowOrigins).toEqual([]);
    expect(read(merge(base(), { http: { allow_origins: ["https://app.example"] } })).config.http.allowOrigins).toEqual([
      "https://app.example",
    ]);
    expect(
      read(base(), { LVDAO_HTTP_ALLOW_ORIGINS: "https://a.example, http://b.example:8080" }).config.http.allowOrigins,
    ).toEqual(["https://a.example", "http://b.example:8080"]);
  });
});

describe("config: the price oracle", () => {
  it("is off by default, on loopback, its TLS pair next to the config file", () => {
    expect(read(base()).config.priceOracle).toEqual({
      enabled: false,
      listen: { host: "127.0.0.1", port: 8095 },
      tlsCertPath: join(dir, "price-oracle", "tls.cert"),
      tlsKeyPath: join(dir, "price-oracle", "tls.key"),
      tlsHosts: [],
    });
  });

  it("takes its listener and extra certificate names from the file or the environment", () => {
    const table = merge(base(), {
      price_oracle: { enabled: true, listen: "0.0.0.0:9095", tls_extra_hosts: ["oracle.example", "10.0.0.5"] },
    });
    expect(read(table).config.priceOracle).toMatchObject({
      enabled: true,
      listen: { host: "0.0.0.0", port: 9095 },
      tlsHosts: ["oracle.example", "10.0.0.5"],
    });
    expect(read(base(), { LVDAO_PRICE_ORACLE_ENABLED: "true" }).config.priceOracle.enabled).toBe(true);
  });
});

describe("config: a bad field fails with its name", () => {
  it.each(bad)("%s", (_name, change, env, message) => {
    const table = merge(base(), change);
    let thrown: unknown;
    try {
      read(table, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain(message);
  });

  it("names the file when it is not TOML", () => {
    writeFileSync(join(dir, "broken.toml"), "[stacks\napi_url=");
    expect(() => loadConfig(join(dir, "broken.toml"), {})).toThrow(/not valid TOML/);
  });
});

describe("config: the vault", () => {
  const TPRV =
    "tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m";
  const vault = (change: Record<string, unknown> = {}) =>
    merge(base(), {
      vault: {
        relay_xprv_file: "relay.xprv",
        cosigner_url: "http://127.0.0.1:8740",
        btcd_rpc_host: "127.0.0.1:18334",
        btcd_rpc_user: "lvdao",
        btcd_password_file: "btcd.password",
        btcd_cert_file: "tls.cert",
        ...change,
      },
    });
  beforeAll(() => {
    writeFileSync(join(dir, "relay.xprv"), `${TPRV}\n`);
    writeFileSync(join(dir, "btcd.password"), "hunter2\n");
  });

  it("is absent without a [vault] section: channels stay funded from lnd's wallet", () => {
    expect(read(base()).config.vault).toBeUndefined();
  });

  it("reads the relay's xprv and btcd's password as secrets that never print", () => {
    const { config, secrets } = read(vault());
    expect(config.vault).toMatchObject({ network: "regtest", cosignerUrl: "http://127.0.0.1:8740", feeRate: 2n });
    expect(config.vault!.relayXprv.reveal()).toBe(TPRV);
    expect(config.vault!.btcd.password.reveal()).toBe("hunter2");
    const json = JSON.stringify(config, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    const shown = `${inspect(config, { depth: 6 })}${json}`;
    expect(shown).not.toContain(TPRV);
    expect(shown).not.toContain("hunter2");
    expect(secrets.redact(`xprv ${TPRV}`)).toBe("xprv [redacted]");
  });

  it.each([
    ["a key file without an xprv", { relay_xprv_file: "relay.key" }, "vault.relay_xprv_file"],
    ["a mainnet vault on a devnet relay", { network: "mainnet" }, "a devnet relay cannot hold a mainnet vault"],
    ["a fee rate of 0", { fee_rate: 0 }, "vault.fee_rate"],
    ["a btcd host without a port", { btcd_rpc_host: "localhost" }, "vault.btcd_rpc_host"],
  ])("refuses %s", (_name, change, message) => {
    expect(() => read(vault(change))).toThrow(message);
  });
});
