// `lvdao`: the relay daemon and its tools.
//   lvdao relay start --config relay.toml [--dry-run]
//   lvdao relay status [--config relay.toml] [--json]
//   lvdao action encode|decode|propose ...
//   lvdao audit [--config relay.toml] [--json <file>] | --metrics [--textfile <file> | --listen host:port]
//   lvdao vault address|balance --config relay.toml [--json]
//   lvdao market quote --side buy|sell --lv <units> ...
//   lvdao verify-deployment --api <url> --deployer <address> [--json]
//   lvdao cosigner start --config cosigner.toml
//   lvdao macaroon bake --kinds <kind,...|all> [--json]
//   lvdao --version
//   lvdao vault keygen|descriptor ...
// Every command returns an exit code; errors print one line naming what was wrong.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { cosignerStart } from "../../cosigner/start.ts";
import { ConfigError } from "../config.ts";
import { actionCommand, ACTION_USAGE } from "./action.ts";
import { AUDIT_USAGE, auditCommand } from "./audit.ts";
import { configOrDevnet, defaultIo, UsageError, type Io } from "./io.ts";
import { MACAROON_USAGE, macaroonCommand } from "./macaroon.ts";
import { MARKET_USAGE, marketCommand } from "./market.ts";
import { relayStart, relayStatus } from "./relay.ts";
import { VAULT_USAGE, vaultCommand } from "./vault.ts";
import { VERIFY_USAGE, verifyDeploymentCommand } from "./verify-deployment.ts";
import { VAULT_KEYS_USAGE, vaultKeysCommand } from "./vault-keys.ts";

export const USAGE = `usage:
  lvdao relay start --config <relay.toml> [--dry-run]
      run the relay: watch the chain, execute passed actions, serve /status, /metrics, /healthz, /channels
  lvdao relay status [--config <relay.toml>] [--json]
      the journal, cursors, active rebalance policy, budget and last errors (default config: npm start's relay's)
${ACTION_USAGE}
${AUDIT_USAGE}
${VAULT_USAGE}
${VERIFY_USAGE}
${MARKET_USAGE}
  lvdao cosigner start --config <cosigner.toml>
      run the vault's co-signer: sign a vault PSBT only when it funds a voted channel-open (docs/vault.md)
${MACAROON_USAGE}
  lvdao --version
${VAULT_KEYS_USAGE}
  lvdao help`;

/** The version in package.json, which `lvdao --version` prints. */
export const VERSION = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** node:util parseArgs's own errors (an unknown option, a missing value, a stray positional): usage errors. */
const isParseArgsError = (error: unknown): error is Error =>
  /^ERR_PARSE_ARGS_/.test(String((error as { code?: unknown } | null)?.code ?? ""));

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [group, command, ...rest] = argv;
  try {
    if (group === "relay" && command === "start") {
      const { values } = parseArgs({
        args: rest,
        options: { config: { type: "string" }, "dry-run": { type: "boolean" } },
        strict: true,
      });
      if (!values.config) throw new UsageError("relay start needs --config <relay.toml>");
      return await relayStart(values.config, values["dry-run"] ?? false, io);
    }
    if (group === "relay" && command === "status") {
      const { values } = parseArgs({
        args: rest,
        options: { config: { type: "string" }, json: { type: "boolean" } },
        strict: true,
      });
      return await relayStatus(configOrDevnet(values.config, "relay status", io), values.json ?? false, io);
    }
    if (group === "cosigner" && command === "start") {
      const { values } = parseArgs({ args: rest, options: { config: { type: "string" } }, strict: true });
      if (!values.config) throw new UsageError("cosigner start needs --config <cosigner.toml>");
      return await cosignerStart(values.config, io.out);
    }
    if (group === "vault" && (command === "keygen" || command === "descriptor"))
      return await vaultKeysCommand(command, rest, io);
    if (group === "action") return await actionCommand(command, rest, io);
    if (group === "market") return await marketCommand(command, rest, io);
    if (group === "macaroon") return macaroonCommand(command, rest, io);
    if (group === "audit") return await auditCommand(command === undefined ? rest : [command, ...rest], io);
    if (group === "vault") return await vaultCommand(command, rest, io);
    if (group === "verify-deployment")
      return await verifyDeploymentCommand(command === undefined ? rest : [command, ...rest], io);
    if ((group === "--version" || group === "-V") && command === undefined) {
      io.out(`lvdao ${VERSION}`);
      return 0;
    }
    if (group === undefined || group === "help" || group === "--help" || group === "-h") {
      io.out(USAGE);
      return group === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command: ${[group, command].filter(Boolean).join(" ")}`);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`lvdao: ${error.message}`);
      io.err(USAGE);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`lvdao: ${error.message}`);
      return 78;
    }
    io.err(`lvdao: ${(error as Error).message}`);
    return 1;
  }
}
