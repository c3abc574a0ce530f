// `lvdao`: the relay daemon and its tools.
//   lvdao relay start --config relay.toml [--dry-run]
//   lvdao relay status --config relay.toml [--json]
//   lvdao action encode|decode|propose ...
//   lvdao audit --config relay.toml [--json <file>]
//   lvdao vault address|balance --config relay.toml [--json]
//   lvdao market quote --side buy|sell --lv <units> ...
//   lvdao verify-deployment --api <url> --deployer <address> [--json]
//   lvdao cosigner start --config cosigner.toml
//   lvdao vault keygen|descriptor ...
// Every command returns an exit code; errors print one line naming what was wrong.
import { parseArgs } from "node:util";
import { cosignerStart } from "../../cosigner/start.ts";
import { ConfigError } from "../config.ts";
import { actionCommand, ACTION_USAGE } from "./action.ts";
import { AUDIT_USAGE, auditCommand } from "./audit.ts";
import { defaultIo, UsageError, type Io } from "./io.ts";
import { MARKET_USAGE, marketCommand } from "./market.ts";
import { relayStart, relayStatus } from "./relay.ts";
import { VAULT_USAGE, vaultCommand } from "./vault.ts";
import { VERIFY_USAGE, verifyDeploymentCommand } from "./verify-deployment.ts";
import { VAULT_KEYS_USAGE, vaultKeysCommand } from "./vault-keys.ts";

export const USAGE = `usage:
  lvdao relay start --config <relay.toml> [--dry-run]
      run the relay: watch the chain, execute passed actions, serve /status, /metrics, /healthz, /channels
  lvdao relay status --config <relay.toml> [--json]
      the journal, cursors, active rebalance policy, budget and last errors
${ACTION_USAGE}
${AUDIT_USAGE}
${VAULT_USAGE}
${VERIFY_USAGE}
${MARKET_USAGE}
  lvdao cosigner start --config <cosigner.toml>
      run the vault's co-signer: sign a vault PSBT only when it funds a voted channel-open (docs/vault.md)
${VAULT_KEYS_USAGE}
  lvdao help`;

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
      if (!values.config) throw new UsageError("relay status needs --config <relay.toml>");
      return await relayStatus(values.config, values.json ?? false, io);
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
    if (group === "audit") return await auditCommand(command === undefined ? rest : [command, ...rest], io);
    if (group === "vault") return await vaultCommand(command, rest, io);
    if (group === "verify-deployment")
      return await verifyDeploymentCommand(command === undefined ? rest : [command, ...rest], io);
    if (group === undefined || group === "help" || group === "--help" || group === "-h") {
      io.out(USAGE);
      return group === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command: ${[group, command].filter(Boolean).join(" ")}`);
  } catch (error) {
    if (error instanceof UsageError) {
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
