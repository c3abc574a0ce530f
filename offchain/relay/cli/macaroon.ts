// `lvdao macaroon bake --kinds <kind,...|all>`: the RPC URIs the relay calls for those kinds and its monitors
// (daemons/permissions.ts), as the `lncli bakemacaroon` command that bakes exactly them, and the tapd and loopd lists.
// `adminMacaroonWarnings` is what `lvdao relay start` says about a configured admin.macaroon.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { isRelayKind, RELAY_KINDS, type RelayKind } from "../../actions/index.ts";
import type { RelayConfig } from "../config.ts";
import { OPTIONAL_PARTS, relayPermissions, type OptionalPart } from "../daemons/permissions.ts";
import { UsageError, type Io } from "./io.ts";

export const MACAROON_USAGE = `  lvdao macaroon bake --kinds <kind,...|all> [--with vault,desk,price-oracle] [--json]
      print the lncli bakemacaroon command for a macaroon that allows exactly the lnd calls the relay makes for
      those relay kinds, its monitors and the optional parts named, and the tapd and loopd RPC URIs it calls`;

/** The relay kinds named by --kinds: a comma list, or `all`. */
export function parseKinds(text: string): RelayKind[] {
  if (text === "all") return [...RELAY_KINDS];
  const kinds = text.split(",").map((kind) => kind.trim());
  for (const kind of kinds)
    if (!isRelayKind(kind))
      throw new UsageError(`--kinds: ${JSON.stringify(kind)} is not a relay kind (${RELAY_KINDS.join(", ")}, or all)`);
  return [...new Set(kinds as RelayKind[])];
}

/** The optional parts named by --with: a comma list of vault, desk, price-oracle. */
export function parseParts(text: string | undefined): OptionalPart[] {
  if (text === undefined) return [];
  const parts = text.split(",").map((part) => part.trim());
  for (const part of parts)
    if (!(OPTIONAL_PARTS as string[]).includes(part))
      throw new UsageError(`--with: ${JSON.stringify(part)} is not a relay part (${OPTIONAL_PARTS.join(", ")})`);
  return [...new Set(parts as OptionalPart[])];
}

export function macaroonCommand(command: string | undefined, argv: string[], io: Io): number {
  if (command !== "bake") throw new UsageError(`unknown macaroon command: ${command ?? "(none)"}`);
  const { values } = parseArgs({
    args: argv,
    options: { kinds: { type: "string" }, with: { type: "string" }, json: { type: "boolean" } },
  });
  if (!values.kinds) throw new UsageError("macaroon bake needs --kinds <kind,...|all>");
  const kinds = parseKinds(values.kinds);
  const parts = parseParts(values.with);
  const permissions = relayPermissions(kinds, parts);
  if (values.json) {
    io.out(JSON.stringify({ kinds, parts, ...permissions }, null, 2));
    return 0;
  }
  const named = [...kinds, ...parts].join(", ");
  io.out(`# lnd: ${permissions.lnd.length} RPC URIs for ${named} and the relay's monitors`);
  io.out(`lncli bakemacaroon --save_to lvdao-relay.macaroon ${permissions.lnd.map((uri) => `uri:${uri}`).join(" ")}`);
  io.out("# tapd and loopd check the same kind of URI permission; a macaroon for them must allow:");
  io.out(`# tapd: ${permissions.tapd.join(" ") || "(none)"}`);
  io.out(`# loopd: ${permissions.loopd.join(" ") || "(none)"}`);
  return 0;
}

/** One warning per daemon whose configured macaroon is an admin.macaroon. */
export function adminMacaroonWarnings(config: RelayConfig): string[] {
  const configured: [string, string | undefined][] = [
    ["lnd", config.lnd?.macaroonFile],
    ["tapd", config.tapd?.macaroonFile],
    ...Object.entries(config.lvWallets).map(([wallet, c]): [string, string | undefined] => [
      `tapd_wallets.${wallet}`,
      c?.macaroonFile,
    ]),
    ["loop", config.loop?.macaroonFile],
  ];
  const seen = new Set<string>();
  const warnings: string[] = [];
  for (const [section, file] of configured) {
    if (!file || basename(file) !== "admin.macaroon" || seen.has(file)) continue;
    seen.add(file);
    warnings.push(
      `warning: ${section}.macaroon_file is ${file}, which can do anything on that daemon; bake one that allows ` +
        "only what the relay calls: lvdao macaroon bake --kinds <the kinds you carry out> (docs/operations.md)",
    );
  }
  return warnings;
}
