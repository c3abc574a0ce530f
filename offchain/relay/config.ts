// The relay's one configuration module: the only place that reads process.env. A TOML file gives the
// settings; any field can be overridden by LVDAO_<SECTION>_<KEY> (stacks.api_url -> LVDAO_STACKS_API_URL). Every
// field is checked here, and a bad one fails start-up with a message naming it. Secrets (macaroons, the relay key)
// are read from files, registered for log redaction, and wrapped so they never print. docs/relay.md documents every
// field; docs/relay.example.toml is a complete example.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { LV_WALLETS } from "../actions/index.ts";
import { ConfigError, FieldReader } from "./config-reader.ts";
import { SecretRegistry, type LogLevel } from "./log.ts";

export { ConfigError } from "./config-reader.ts";

/** A secret value: readable with reveal(), and "[redacted]" everywhere else (JSON, template strings, inspect). */
export class Secret {
  #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return "[redacted]";
  }
  toString(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}

export interface DaemonConnection {
  /** host:port of the gRPC endpoint (lnd, tapd) */
  socket: string;
  /** the TLS certificate, PEM text */
  certPem: string;
  /** the macaroon, hex */
  macaroon: Secret;
  /** the file it was read from, as configured (`lvdao relay start` warns about an admin.macaroon) */
  macaroonFile?: string;
}

export interface LoopConnection {
  restUrl: string;
  certPem: string | undefined;
  macaroon: Secret;
  macaroonFile?: string;
}

export interface VaultConnection {
  /** the Bitcoin network of the vault's addresses */
  network: "regtest" | "testnet" | "mainnet";
  /** the relay's extended private key for the vault's everyday path */
  relayXprv: Secret;
  /** the co-signer's HTTP endpoint (POST /sign) */
  cosignerUrl: string;
  /** the fee rate of the vault's funding spends, sat/vB; the DAO's max-fee-rate caps what the co-signer signs */
  feeRate: bigint;
  /** btcd's JSON-RPC, where the relay finds the vault's coins (addrindex on) */
  btcd: { host: string; user: string; password: Secret; certPem: string };
}

/**
 * The wallets holding LV that the relay binds to tapd nodes: the three an lv-transfer may name (the codec's
 * LV_WALLETS), and `channels`, where the revenue sweeper pays lv-ledger's `to-channels` share.
 */
export const WALLETS = [...LV_WALLETS, "channels"] as const;
export type Wallet = (typeof WALLETS)[number];

export interface RelayConfig {
  configPath: string;
  stacks: {
    apiUrl: string;
    nodeUrl: string;
    network: "mainnet" | "testnet" | "devnet";
    deployer: string;
    relayKey: Secret;
    confirmations: number;
    feeUstx: bigint;
    events: "poll" | "observer";
    pollIntervalMs: number;
    observerListen: { host: string; port: number };
    txTimeoutMs: number;
    /** how often a transaction the relay sent is looked up until it confirms */
    txPollIntervalMs: number;
  };
  lnd: DaemonConnection | undefined;
  tapd: DaemonConnection | undefined;
  /** Each LV wallet's tapd; a wallet without its own section is held by [tapd]. */
  lvWallets: Record<Wallet, DaemonConnection | undefined>;
  loop: LoopConnection | undefined;
  /** The DAO's Taproot vault (docs/vault.md); absent: channels are funded from lnd's wallet as before. */
  vault: VaultConnection | undefined;
  lv: { assetId: string | undefined };
  journal: { sqlitePath: string; postgresUrl: Secret | undefined };
  limits: {
    maxChannelSats: bigint;
    maxLoopSats: bigint;
    peerAllow: string[];
    peerDeny: string[];
    dailyOnchainBudgetSats: bigint;
  };
  executor: {
    pollIntervalMs: number;
    retryBackoffMs: number;
    maxBackoffMs: number;
    leaseMarginBlocks: number;
    recoveryGraceMs: number;
    daemonTimeoutMs: number;
    maxCloseFeeRate: bigint;
    /** how many actions the executor moves along at once (1: one at a time) */
    maxInFlight: number;
  };
  /** The monitors' settings (offchain/relay/monitors). */
  monitors: {
    liquidityPollMs: number;
    liquidityReportBlocks: number;
    pledgePollMs: number;
    pledgeConfirmations: number;
    revenueEpochBlocks: number;
    maxAutonomousSatsPerDay: bigint;
    enabled: boolean;
  };
  /**
   * High availability (docs/relay.md "High availability"): relays sharing one journal elect a leader through the
   * journal lease `lease:leader`; only the leader acts, fencing itself fenceMarginMs before its lease runs out.
   */
  ha: { enabled: boolean; leaseMs: number; fenceMarginMs: number };
  /** The status server; `allowOrigins`: web origins besides loopback ones that may read GET /channels. */
  http: { enabled: boolean; listen: { host: string; port: number }; allowOrigins: string[] };
  /**
   * tapd's RFQ price oracle (priceoraclerpc over TLS) at the DAO's LV price. The certificate and key are made on
   * first start and kept; `tlsHosts` are the names in the certificate besides localhost, 127.0.0.1 and ::1.
   */
  priceOracle: {
    enabled: boolean;
    listen: { host: string; port: number };
    tlsCertPath: string;
    tlsKeyPath: string;
    tlsHosts: string[];
  };
  log: { level: LogLevel };
}

export interface LoadedConfig {
  config: RelayConfig;
  secrets: SecretRegistry;
}

const PUBKEY = /^0[23][0-9a-f]{64}$/;
const STACKS_ADDRESS = /^S[PTMN][0-9A-HJKMNP-TV-Z]{38,40}$/;
const MAX_U64 = 2n ** 64n - 1n;
/** executor.max_in_flight's ceiling: beyond the Stacks client's cap on chained transactions, more only queue */
const MAX_IN_FLIGHT = 64;

function daemon(reader: FieldReader, section: string, secrets: SecretRegistry): DaemonConnection | undefined {
  if (!reader.has(`${section}.socket`)) return undefined;
  const socket = reader.string(`${section}.socket`);
  if (!/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(socket))
    reader.fail(`${section}.socket`, `must be host:port, got "${socket}"`);
  const cert = reader.secretFile(`${section}.cert_file`).toString("utf8");
  if (!cert.includes("BEGIN CERTIFICATE")) reader.fail(`${section}.cert_file`, "is not a PEM certificate");
  const macaroonHex = reader.secretFile(`${section}.macaroon_file`).toString("hex");
  secrets.add(macaroonHex);
  secrets.add(Buffer.from(macaroonHex, "hex").toString("base64"));
  return {
    socket,
    certPem: cert,
    macaroon: new Secret(macaroonHex),
    macaroonFile: reader.string(`${section}.macaroon_file`),
  };
}

function relayKey(reader: FieldReader, secrets: SecretRegistry): Secret {
  const text = reader.secretFile("stacks.relay_key_file").toString("utf8").trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}(01)?$/.test(text)) {
    reader.fail("stacks.relay_key_file", "must hold a hex private key (64 hex digits, optionally followed by 01)");
  }
  secrets.add(text);
  return new Secret(text.toLowerCase());
}

function pubkeys(reader: FieldReader, field: string): string[] {
  const keys = reader.list(field).map((k) => k.toLowerCase());
  const bad = keys.find((k) => !PUBKEY.test(k));
  if (bad) reader.fail(field, `"${bad}" is not a 33-byte compressed public key in hex`);
  return keys;
}

/** Reads and checks the whole config. `env` defaults to the process environment: nothing else reads it. */
/** Where `npm start` keeps its relay's relay.toml, key, journal and log (offchain/relay/devnet-step.ts). */
export const DEVNET_RELAY_DIR = fileURLToPath(new URL("../../.lvdao/devnet", import.meta.url));
/** The config `lvdao relay status` and `lvdao audit` read when given no --config: npm start's, if it ran. */
export const DEVNET_RELAY_CONFIG = join(DEVNET_RELAY_DIR, "relay.toml");

export function loadConfig(configPath: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const full = resolve(configPath);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (error) {
    throw new ConfigError("--config", `cannot read ${configPath}: ${(error as Error).message}`, "command line");
  }
  let table: Record<string, unknown>;
  try {
    table = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError("--config", `not valid TOML: ${(error as Error).message}`, configPath);
  }
  return readConfig(table, { configPath: full, env });
}

export function readConfig(
  table: Record<string, unknown>,
  options: { configPath: string; env?: Record<string, string | undefined> },
): LoadedConfig {
  const secrets = new SecretRegistry();
  const r = new FieldReader(table, options.env ?? {}, dirname(options.configPath), options.configPath);

  const apiUrl = r.url("stacks.api_url");
  const deployer = r.string("stacks.deployer");
  if (!STACKS_ADDRESS.test(deployer)) r.fail("stacks.deployer", `"${deployer}" is not a Stacks address`);
  const stacks: RelayConfig["stacks"] = {
    apiUrl,
    nodeUrl: r.url("stacks.node_url", apiUrl),
    network: r.oneOf("stacks.network", ["mainnet", "testnet", "devnet"] as const, "devnet"),
    deployer,
    relayKey: relayKey(r, secrets),
    confirmations: r.count("stacks.confirmations", 1, 1, 1000),
    feeUstx: r.integer("stacks.fee_ustx", 10_000n, 180n, 100_000_000n),
    events: r.oneOf("stacks.events", ["poll", "observer"] as const, "poll"),
    pollIntervalMs: r.count("stacks.poll_interval_ms", 2_000, 50, 3_600_000),
    observerListen: r.listen("stacks.observer_listen", "127.0.0.1:3700"),
    txTimeoutMs: r.count("stacks.tx_timeout_ms", 600_000, 1_000, 86_400_000),
    txPollIntervalMs: r.count("stacks.tx_poll_interval_ms", 500, 50, 60_000),
  };
  if ((stacks.network === "mainnet") !== /^S[PM]/.test(deployer)) {
    r.fail("stacks.deployer", `"${deployer}" is not a ${stacks.network} address`);
  }

  const tapd = daemon(r, "tapd", secrets);
  const lvWallets = Object.fromEntries(
    WALLETS.map((wallet) => [wallet, daemon(r, `tapd_wallets.${wallet}`, secrets) ?? tapd]),
  ) as Record<Wallet, DaemonConnection | undefined>;

  let loop: LoopConnection | undefined;
  if (r.has("loop.rest_url")) {
    const macaroonHex = r.secretFile("loop.macaroon_file").toString("hex");
    secrets.add(macaroonHex);
    const certFile = r.optionalString("loop.cert_file");
    loop = {
      restUrl: r.url("loop.rest_url"),
      certPem: certFile ? readFileSync(r.path("loop.cert_file", { mustExist: true }), "utf8") : undefined,
      macaroon: new Secret(macaroonHex),
      macaroonFile: r.string("loop.macaroon_file"),
    };
  }

  let vault: VaultConnection | undefined;
  if (r.has("vault.cosigner_url")) {
    const relayXprv = r.secretFile("vault.relay_xprv_file").toString("utf8").trim();
    if (!/^[xt]prv[1-9A-HJ-NP-Za-km-z]{100,112}$/.test(relayXprv))
      r.fail("vault.relay_xprv_file", "does not hold a BIP-32 extended private key (xprv/tprv)");
    secrets.add(relayXprv);
    const btcdPassword = r.secretFile("vault.btcd_password_file").toString("utf8").trim();
    secrets.add(btcdPassword);
    const btcdHost = r.string("vault.btcd_rpc_host");
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(btcdHost)) r.fail("vault.btcd_rpc_host", "must be host:port");
    vault = {
      network: r.oneOf(
        "vault.network",
        ["regtest", "testnet", "mainnet"] as const,
        stacks.network === "mainnet" ? "mainnet" : "regtest",
      ),
      relayXprv: new Secret(relayXprv),
      cosignerUrl: r.url("vault.cosigner_url"),
      feeRate: r.integer("vault.fee_rate", 2n, 1n, 1_000n),
      btcd: {
        host: btcdHost,
        user: r.string("vault.btcd_rpc_user"),
        password: new Secret(btcdPassword),
        certPem: readFileSync(r.path("vault.btcd_cert_file", { mustExist: true }), "utf8"),
      },
    };
    const mainnet = stacks.network === "mainnet";
    if (mainnet !== (vault.network === "mainnet"))
      r.fail("vault.network", `a ${stacks.network} relay cannot hold a ${vault.network} vault`);
  }

  const postgresUrl = r.optionalString("journal.postgres_url");
  if (postgresUrl) {
    if (!/^postgres(ql)?:\/\//.test(postgresUrl))
      r.fail("journal.postgres_url", "must start with postgres:// or postgresql://");
    const password = (() => {
      try {
        return decodeURIComponent(new URL(postgresUrl).password);
      } catch {
        return "";
      }
    })();
    if (password) secrets.add(password);
    secrets.add(postgresUrl);
  }

  const limits: RelayConfig["limits"] = {
    maxChannelSats: r.integer("limits.max_channel_sats", 16_777_215n, 20_000n, 10n ** 11n),
    maxLoopSats: r.integer("limits.max_loop_sats", 10_000_000n, 1n, 10n ** 11n),
    peerAllow: pubkeys(r, "limits.peer_allow"),
    peerDeny: pubkeys(r, "limits.peer_deny"),
    dailyOnchainBudgetSats: r.integer("limits.daily_onchain_budget_sats", 100_000_000n, 0n, MAX_U64),
  };
  const overlap = limits.peerAllow.find((k) => limits.peerDeny.includes(k));
  if (overlap) r.fail("limits.peer_deny", `${overlap} is on both peer_allow and peer_deny`);

  const executor: RelayConfig["executor"] = {
    pollIntervalMs: r.count("executor.poll_interval_ms", 1_000, 10, 3_600_000),
    retryBackoffMs: r.count("executor.retry_backoff_ms", 2_000, 10, 3_600_000),
    maxBackoffMs: r.count("executor.max_backoff_ms", 60_000, 10, 86_400_000),
    leaseMarginBlocks: r.count("executor.lease_margin_blocks", 1, 0, 1_000),
    recoveryGraceMs: r.count("executor.recovery_grace_ms", 10_000, 0, 3_600_000),
    daemonTimeoutMs: r.count("executor.daemon_timeout_ms", 60_000, 100, 3_600_000),
    maxCloseFeeRate: r.integer("executor.max_close_fee_rate", 10_000n, 1n, 10_000n),
    maxInFlight: r.count("executor.max_in_flight", 16, 1, MAX_IN_FLIGHT),
  };
  if (executor.maxBackoffMs < executor.retryBackoffMs)
    r.fail("executor.max_backoff_ms", "must be at least executor.retry_backoff_ms");

  const haLeaseMs = r.count("ha.lease_ms", 15_000, 300, 600_000);
  const ha: RelayConfig["ha"] = {
    enabled: r.bool("ha.enabled", false),
    leaseMs: haLeaseMs,
    fenceMarginMs: r.count("ha.fence_margin_ms", Math.floor(haLeaseMs / 5), 1, 600_000),
  };
  // The leader renews every third of the lease; the fence must leave room for at least one renewal before it.
  if (ha.fenceMarginMs >= ha.leaseMs - Math.floor(ha.leaseMs / 3))
    r.fail("ha.fence_margin_ms", `must be below two thirds of ha.lease_ms (${ha.leaseMs} ms)`);

  const config: RelayConfig = {
    configPath: options.configPath,
    stacks,
    lnd: daemon(r, "lnd", secrets),
    tapd,
    lvWallets,
    loop,
    vault,
    lv: { assetId: r.optionalString("lv.asset_id") },
    journal: {
      sqlitePath: r.path("journal.sqlite_path", { mustExist: false, fallback: "relay.db" }),
      postgresUrl: postgresUrl ? new Secret(postgresUrl) : undefined,
    },
    limits,
    executor,
    ha,
    monitors: {
      enabled: r.bool("monitors.enabled", true),
      liquidityPollMs: r.count("monitors.liquidity_poll_ms", 60_000, 100, 86_400_000),
      liquidityReportBlocks: r.count("monitors.liquidity_report_blocks", 6, 1, 52_560),
      pledgePollMs: r.count("monitors.pledge_poll_ms", 10_000, 100, 86_400_000),
      pledgeConfirmations: r.count("monitors.pledge_confirmations", 1, 0, 1_000),
      revenueEpochBlocks: r.count("monitors.revenue_epoch_blocks", 144, 1, 52_560),
      maxAutonomousSatsPerDay: r.integer("monitors.max_autonomous_sats_per_day", 10_000_000n, 0n, MAX_U64),
    },
    http: {
      enabled: r.bool("http.enabled", true),
      listen: r.listen("http.listen", "127.0.0.1:8732"),
      allowOrigins: r
        .list("http.allow_origins")
        .map((origin) =>
          /^https?:\/\/[^/\s]+$/.test(origin)
            ? origin
            : r.fail("http.allow_origins", `"${origin}" is not a web origin (scheme://host[:port], no path)`),
        ),
    },
    priceOracle: {
      enabled: r.bool("price_oracle.enabled", false),
      listen: r.listen("price_oracle.listen", "127.0.0.1:8095"),
      tlsCertPath: r.path("price_oracle.tls_cert_file", { mustExist: false, fallback: "price-oracle/tls.cert" }),
      tlsKeyPath: r.path("price_oracle.tls_key_file", { mustExist: false, fallback: "price-oracle/tls.key" }),
      tlsHosts: r
        .list("price_oracle.tls_extra_hosts")
        .map((host) =>
          isIP(host) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(host)
            ? host
            : r.fail("price_oracle.tls_extra_hosts", `"${host}" is not a host name or IP address`),
        ),
    },
    log: { level: r.oneOf("log.level", ["debug", "info", "warn", "error"] as const, "info") },
  };

  const unknown = r.unknownFileKeys();
  if (unknown.length > 0)
    throw new ConfigError(unknown[0]!, "is not a relay setting (see docs/relay.md)", options.configPath);
  return { config, secrets };
}
