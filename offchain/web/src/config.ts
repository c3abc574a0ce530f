// The app's one configuration: which Stacks node to read and broadcast through, which address deployed lvdao's
// contracts, which network the wallet must sign for, and where the relay publishes the node's channels. Layers,
// later ones winning: the defaults (the local devnet of `npm start`), /config.json next to index.html (written by
// whoever serves the app), the overrides saved on the Settings page (localStorage), and the page URL's query
// (?node=...&deployer=...&network=...&relay=...).
import { validateStacksAddress } from "@stacks/transactions";

export const NETWORKS = ["devnet", "testnet", "mainnet"] as const;
export type NetworkName = (typeof NETWORKS)[number];

export interface AppConfig {
  /** Base URL of a Stacks node RPC + Hiro API (the devnet node emulation serves both). */
  nodeUrl: string;
  /** The address that deployed lvdao's contracts: contract ids are `${deployer}.proposals` and so on. */
  deployer: string;
  /** The network name given to the wallet with every request. */
  network: NetworkName;
  /** How often the app polls the node for a new tip, in ms. */
  pollMs: number;
  /** Base URL of the relay's status server (GET /channels, docs/relay.md); null when the app knows no relay. */
  relayUrl?: string | null;
  /**
   * settings/Devnet.toml's test accounts, which the page may sign with itself. Kept only when `network` is devnet:
   * off devnet the list is always empty, whatever a config layer says.
   */
  devnetAccounts: DevnetAccount[];
}

/** A public devnet test account (settings/Devnet.toml): never for real funds. */
export interface DevnetAccount {
  name: string;
  address: string;
  /** Hex private key with the compression suffix 01. */
  privateKey: string;
}

export type ConfigLayer = Partial<Record<keyof AppConfig, unknown>>;

/** The devnet of `npm start`: node emulation on 127.0.0.1:3999, contracts deployed by settings/Devnet.toml's deployer. */
export const DEFAULT_CONFIG: AppConfig = {
  nodeUrl: "http://127.0.0.1:3999",
  deployer: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM",
  network: "devnet",
  pollMs: 2000,
  relayUrl: null,
  devnetAccounts: [],
};

export const OVERRIDES_KEY = "lvdao.config";

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly field: keyof AppConfig,
    reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

function httpUrl(field: "nodeUrl" | "relayUrl", value: unknown): string {
  if (typeof value !== "string") throw new ConfigError(field, "must be a URL");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(field, `must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError(field, `must be an http(s) URL, got "${value}"`);
  return url.href.replace(/\/+$/, "");
}

function network(value: unknown): NetworkName {
  if (!(NETWORKS as readonly unknown[]).includes(value))
    throw new ConfigError("network", `must be one of ${NETWORKS.join(", ")}, got ${JSON.stringify(value)}`);
  return value as NetworkName;
}

function deployer(value: unknown, net: NetworkName): string {
  if (typeof value !== "string" || !validateStacksAddress(value))
    throw new ConfigError("deployer", `must be a Stacks address, got ${JSON.stringify(value)}`);
  const mainnetAddress = value.startsWith("SP") || value.startsWith("SM");
  if (mainnetAddress !== (net === "mainnet")) throw new ConfigError("deployer", `${value} is not a ${net} address`);
  return value;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Test accounts are offered only for a devnet reached on this machine: never for testnet or mainnet. */
function devnetAccounts(value: unknown, net: NetworkName, node: string): DevnetAccount[] {
  if (net !== "devnet" || !LOOPBACK.has(new URL(node).hostname) || value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError("devnetAccounts", "must be a list of accounts");
  return value.map((entry, i) => {
    const { name, address, privateKey } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || !name) throw new ConfigError("devnetAccounts", `entry ${i} has no name`);
    if (typeof address !== "string" || !validateStacksAddress(address) || /^S[PM]/.test(address))
      throw new ConfigError("devnetAccounts", `${name} has no devnet address`);
    if (typeof privateKey !== "string" || !/^[0-9a-f]{64}(01)?$/i.test(privateKey))
      throw new ConfigError("devnetAccounts", `${name} has no 32-byte hex private key`);
    return { name, address, privateKey };
  });
}

function pollMs(value: unknown): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 100 || n > 600_000)
    throw new ConfigError("pollMs", `must be an integer from 100 to 600000 ms, got ${JSON.stringify(value)}`);
  return n;
}

/** Merges the layers over the defaults and validates the result; a bad value throws a ConfigError naming its field. */
export function resolveConfig(layers: ConfigLayer[]): AppConfig {
  const merged: ConfigLayer = { ...DEFAULT_CONFIG };
  for (const layer of layers) {
    for (const key of Object.keys(DEFAULT_CONFIG) as (keyof AppConfig)[]) {
      if (layer[key] !== undefined && layer[key] !== null && layer[key] !== "") merged[key] = layer[key];
    }
  }
  const net = network(merged.network);
  const node = httpUrl("nodeUrl", merged.nodeUrl);
  return {
    nodeUrl: node,
    network: net,
    deployer: deployer(merged.deployer, net),
    pollMs: pollMs(merged.pollMs),
    relayUrl: merged.relayUrl == null ? null : httpUrl("relayUrl", merged.relayUrl),
    devnetAccounts: devnetAccounts(merged.devnetAccounts, net, node),
  };
}

/** ?node=...&deployer=...&network=...&poll=...&relay=... */
export function queryLayer(search: string): ConfigLayer {
  const query = new URLSearchParams(search);
  return {
    nodeUrl: query.get("node") ?? undefined,
    deployer: query.get("deployer") ?? undefined,
    network: query.get("network") ?? undefined,
    pollMs: query.get("poll") ?? undefined,
    relayUrl: query.get("relay") ?? undefined,
  };
}

/** A JSON object's known keys, or nothing when the text is not a JSON object. */
export function jsonLayer(text: string | null): ConfigLayer {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const object = parsed as Record<string, unknown>;
  return {
    nodeUrl: object.nodeUrl,
    deployer: object.deployer,
    network: object.network,
    pollMs: object.pollMs,
    relayUrl: object.relayUrl,
    devnetAccounts: object.devnetAccounts,
  };
}

/** The layers of the running page: /config.json, saved overrides, then the URL. */
export async function loadConfig(): Promise<AppConfig> {
  let served: ConfigLayer = {};
  try {
    const response = await fetch("./config.json", { cache: "no-store" });
    if (response.ok) served = jsonLayer(await response.text());
  } catch {
    // no config.json (e.g. `vite dev`): the defaults stand
  }
  return resolveConfig([served, jsonLayer(localStorage.getItem(OVERRIDES_KEY)), queryLayer(location.search)]);
}

export function saveOverrides(overrides: ConfigLayer | null): void {
  if (overrides === null) localStorage.removeItem(OVERRIDES_KEY);
  else localStorage.setItem(OVERRIDES_KEY, JSON.stringify(overrides));
}

/** `${deployer}.${name}` */
export function contractId(config: AppConfig, name: string): string {
  return `${config.deployer}.${name}`;
}
