// relay.toml for a relay on the node emulation (the relay's suites and `npm run demo:machines`), written section by
// section: each stack names its peers, and every relay gets the same fast timings (100 ms polls, 60 s transaction
// timeouts, no recovery grace) unless it asks otherwise.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StackNode } from "../lightning/index.ts";
import { DEPLOYER } from "./governance.ts";

type TomlValue = number | boolean | string | string[];
export type TomlSections = Record<string, Record<string, TomlValue>>;

const toml = (value: TomlValue): string =>
  Array.isArray(value)
    ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]`
    : typeof value === "string"
      ? JSON.stringify(value)
      : String(value);

export function tomlText(sections: TomlSections): string {
  return `${Object.entries(sections)
    .map(([title, fields]) => [`[${title}]`, ...Object.entries(fields).map(([k, v]) => `${k} = ${toml(v)}`)].join("\n"))
    .join("\n")}\n`;
}

/** A node's lnd or tapd as a [lnd] / [tapd] / [tapd_wallets.<name>] section. */
export const daemonSection = (node: StackNode, daemon: "lnd" | "tapd"): Record<string, string> =>
  daemon === "lnd"
    ? { socket: node.lnd_socket, cert_file: node.lnd_cert_path!, macaroon_file: node.lnd_macaroon_path! }
    : { socket: node.tapd_socket!, cert_file: node.tapd_cert_path!, macaroon_file: node.tapd_macaroon_path! };

export interface RelayTomlOptions {
  /** the Stacks API and node (a fault-injecting proxy, say); the node emulation's URL by default */
  apiUrl?: string;
  lvAssetId?: string;
  http?: boolean;
  journal?: string;
  monitors?: Record<string, number | boolean>;
  limits?: Record<string, number | string[]>;
  executor?: Record<string, number>;
  /** the [vault] section, when the relay funds channels from the DAO's vault */
  vault?: Record<string, TomlValue>;
}

/** Writes `<name>.toml` into `dir` (next to relay.key) for the Lightning sections given; returns its path. */
export function writeRelayToml(
  dir: string,
  name: string,
  stacksUrl: string,
  lightning: TomlSections,
  o: RelayTomlOptions,
): string {
  const sections: TomlSections = {
    stacks: {
      api_url: o.apiUrl ?? stacksUrl,
      node_url: o.apiUrl ?? stacksUrl,
      deployer: DEPLOYER,
      relay_key_file: "relay.key",
      poll_interval_ms: 100,
      tx_timeout_ms: 60_000,
    },
    ...lightning,
    ...(o.lvAssetId ? { lv: { asset_id: o.lvAssetId } } : {}),
    journal: { sqlite_path: o.journal ?? `${name}.db` },
    executor: {
      poll_interval_ms: 100,
      retry_backoff_ms: 100,
      max_backoff_ms: 2_000,
      recovery_grace_ms: 0,
      ...o.executor,
    },
    monitors: { liquidity_poll_ms: 300, pledge_poll_ms: 300, ...o.monitors },
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.vault ? { vault: o.vault } : {}),
    http: { enabled: o.http ?? false, listen: "127.0.0.1:0" },
    log: { level: "debug" },
  };
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, tomlText(sections));
  return path;
}
