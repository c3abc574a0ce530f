// The shared description of a running Lightning stack (offchain/regtest/.state/nodes.json), written by the real
// regtest harness and by the simulators alike. Parsed and checked field by field so a stale or hand-edited file
// fails with the field's name.
import { readFileSync } from "node:fs";
import { LightningError } from "../errors.ts";

export interface StackNode {
  name: string;
  pubkey: string;
  p2p_host: string;
  lnd_socket: string;
  lnd_cert_path: string;
  lnd_macaroon_path: string;
  tapd_socket?: string;
  tapd_cert_path?: string;
  tapd_macaroon_path?: string;
}

export interface LightningStack {
  mode: "regtest" | "simulator";
  nodes: { dao: StackNode; peer: StackNode; contributor: StackNode };
  loop: { rest_url: string; cert_path: string; macaroon_path: string } | null;
  bitcoin: { network: "regtest" } & Record<string, unknown>;
}

const fail = (field: string, problem: string): never => {
  throw new LightningError("CONFIGURATION", `nodes.json: ${field} ${problem}`, "lnd", "readStack");
};

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) fail(field, "must be a non-empty string");
  return value as string;
}

function node(value: unknown, name: string, withTapd: boolean): StackNode {
  const entry = (value ?? fail(`nodes.${name}`, "is missing")) as Record<string, unknown>;
  const out: StackNode = {
    name: text(entry.name, `nodes.${name}.name`),
    pubkey: text(entry.pubkey, `nodes.${name}.pubkey`),
    p2p_host: text(entry.p2p_host, `nodes.${name}.p2p_host`),
    lnd_socket: text(entry.lnd_socket, `nodes.${name}.lnd_socket`),
    lnd_cert_path: text(entry.lnd_cert_path, `nodes.${name}.lnd_cert_path`),
    lnd_macaroon_path: text(entry.lnd_macaroon_path, `nodes.${name}.lnd_macaroon_path`),
  };
  if (!/^0[23][0-9a-f]{64}$/.test(out.pubkey)) fail(`nodes.${name}.pubkey`, "is not a compressed public key");
  if (withTapd) {
    out.tapd_socket = text(entry.tapd_socket, `nodes.${name}.tapd_socket`);
    out.tapd_cert_path = text(entry.tapd_cert_path, `nodes.${name}.tapd_cert_path`);
    out.tapd_macaroon_path = text(entry.tapd_macaroon_path, `nodes.${name}.tapd_macaroon_path`);
  }
  return out;
}

export function parseLightningStack(json: unknown): LightningStack {
  const root = (json && typeof json === "object" ? json : fail("(root)", "must be an object")) as Record<
    string,
    unknown
  >;
  if (root.mode !== "regtest" && root.mode !== "simulator") fail("mode", 'must be "regtest" or "simulator"');
  const nodes = (root.nodes ?? fail("nodes", "is missing")) as Record<string, unknown>;
  const loop = root.loop as Record<string, unknown> | null | undefined;
  const bitcoin = (root.bitcoin ?? fail("bitcoin", "is missing")) as Record<string, unknown>;
  if (bitcoin.network !== "regtest") fail("bitcoin.network", 'must be "regtest"');
  return {
    mode: root.mode as LightningStack["mode"],
    nodes: {
      dao: node(nodes.dao, "dao", true),
      peer: node(nodes.peer, "peer", false),
      contributor: node(nodes.contributor, "contributor", true),
    },
    loop: loop
      ? {
          rest_url: text(loop.rest_url, "loop.rest_url"),
          cert_path: text(loop.cert_path, "loop.cert_path"),
          macaroon_path: text(loop.macaroon_path, "loop.macaroon_path"),
        }
      : null,
    bitcoin: bitcoin as LightningStack["bitcoin"],
  };
}

export function readLightningStack(path: string): LightningStack {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (error) {
    throw new LightningError(
      "CONFIGURATION",
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      "lnd",
      "readStack",
    );
  }
  try {
    return parseLightningStack(JSON.parse(raw));
  } catch (error) {
    if (error instanceof LightningError) throw error;
    throw new LightningError("CONFIGURATION", `${path} is not JSON: ${(error as Error).message}`, "lnd", "readStack");
  }
}
