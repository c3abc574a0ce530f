// `lvdao action encode|decode|propose`, on the shared codec (offchain/actions): an action's payload from its JSON
// form (docs/design.md field names) and back, and a signed `proposals.propose`. Propose asks the chain's
// action-validator first, so a payload the contract would refuse is reported with the contract's error name before
// anything is broadcast. A contract-proposal's code-hash is read from the deployed source when left out, and decode
// compares it with that source (proposal-code.ts).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Cl, cvToString, Pc } from "@stacks/transactions";
import { errorName } from "../../clarity/errors.ts";
import { StacksClient } from "../stacks/client.ts";
import { ConfigError, loadConfig, Secret } from "../config.ts";
import {
  actionFromJson,
  ACTION_KINDS,
  actionToJson,
  bodyHash,
  isRelayKind,
  kindFields,
  bodyProblem,
  decodeAction,
  encodeAction,
  linkProblem,
  validateAction,
} from "../../actions/index.ts";
import { PermanentFailure } from "../failure.ts";
import { invalidAction, WIDEST_BOUNDS } from "../actions.ts";
import { DRIFT_EXIT, UsageError, type Io } from "./io.ts";
import {
  checkProposalCode,
  renderProposalCode,
  sourceReader,
  withCodeHash,
  type SourceReader,
} from "./proposal-code.ts";

export const ACTION_USAGE = [
  "  lvdao action kinds [--json]",
  "      list the action kinds, who carries each out (relay or chain), and each payload field with its type and unit",
  "  lvdao action encode [--api <url> | --config <relay.toml>] <kind> <json | @file>",
  "      print the payload (hex) of an action given in its JSON form (the payload field names of docs/design.md); " +
    "a contract-proposal",
  "      without code-hash gets the SHA-512/256 of the contract's source as the Stacks API serves it",
  "  lvdao action decode [--api <url> | --config <relay.toml>] <kind> <hex>",
  "      print a payload in its JSON form; for a contract-proposal also its code-hash and, with an API, whether the",
  "      deployed source has that hash and which contracts it calls (exit 3 when missing or different)",
  "  lvdao action propose --config <relay.toml> --key-file <file> --title <text> " +
    "(--body <markdown> | --body-file <file>)",
  "                       [--link <http(s) url>] <kind> <json | @file | 0xhex>",
  "      check the payload with the chain's action-validator, then sign and broadcast proposals.propose with the key",
  "      in the file (any kind when given as hex); the body (Markdown, at most 4096 characters) and the discussion " +
    "link",
  "      go on-chain in the proposal-created event, the body's hash in the proposal; prints the txid and, once mined,",
  "      the proposal id (progress on stderr)",
].join("\n");

const json = (value: unknown): string => JSON.stringify(value, null, 2);

function readJson(arg: string): unknown {
  const text = arg.startsWith("@") ? readFileSync(arg.slice(1), "utf8") : arg;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the action is not valid JSON: ${(error as Error).message}`);
  }
}

/** The payload for a JSON action, checked with the codec's rules (settings bounds at their widest: the chain
 * checks the bounds in force). A contract-proposal's missing code-hash is read through `reader`. */
async function encodePayload(kind: string, json: unknown, reader: SourceReader | null, io: Io): Promise<Uint8Array> {
  const filled = kind === "contract-proposal" ? await withCodeHash(json, reader, io.err) : json;
  return encodeAction(validateAction(actionFromJson(kind, filled), WIDEST_BOUNDS));
}

async function payloadOf(kind: string, arg: string, reader: SourceReader, io: Io): Promise<Uint8Array> {
  if (/^0x([0-9a-fA-F]{2})*$/.test(arg)) return Buffer.from(arg.slice(2), "hex");
  return encodePayload(kind, readJson(arg), reader, io);
}

/** encode's and decode's options: where deployed sources are read, if anywhere. */
function readerOf(argv: string[], usage: string): { reader: SourceReader | null; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { api: { type: "string" }, config: { type: "string" } },
    allowPositionals: true,
  });
  if (values.api !== undefined && values.config !== undefined)
    throw new UsageError(`${usage}: give --api or --config, not both`);
  if (values.api !== undefined) {
    if (!/^https?:\/\/[^/]/.test(values.api))
      throw new UsageError(`--api must be an http(s) URL, got ${JSON.stringify(values.api)}`);
    return { reader: sourceReader(values.api), positionals };
  }
  if (values.config !== undefined)
    return { reader: sourceReader(loadConfig(values.config).config.stacks.nodeUrl), positionals };
  return { reader: null, positionals };
}

async function decode(argv: string[], io: Io): Promise<number> {
  const { reader, positionals } = readerOf(argv, "action decode");
  const [kind, hex] = positionals;
  if (!kind || !hex) throw new UsageError("action decode needs <kind> <hex>");
  if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(hex)) throw new UsageError("the payload must be hex");
  const action = decodeAction(kind, Buffer.from(hex.replace(/^0x/, ""), "hex"));
  io.out(json(actionToJson(action)));
  if (action.kind !== "contract-proposal") return 0;
  if (!reader) {
    io.out(
      `code-hash ${action.payload.codeHash} (not compared with the deployed source: ` +
        "give --api <url> or --config <relay.toml>)",
    );
    return 0;
  }
  const check = await checkProposalCode(action.payload, reader);
  for (const line of renderProposalCode(check, reader.url)) io.out(line);
  return check.state === "matches" ? 0 : DRIFT_EXIT;
}

/** `action kinds`: every kind with its payload fields, types and units. */
function kinds(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: { json: { type: "boolean" } } });
  const table = ACTION_KINDS.map((kind) => ({
    kind,
    by: isRelayKind(kind) ? "relay" : "chain",
    fields: kindFields(kind),
  }));
  if (values.json) {
    io.out(json(table));
    return 0;
  }
  for (const { kind, by, fields } of table) {
    io.out(`${kind} (${by})`);
    const width = Math.max(...fields.map((f) => f.field.length));
    for (const f of fields) io.out(`  ${f.field.padEnd(width)}  ${f.type}${f.unit ? `  [${f.unit}]` : ""}`);
  }
  return 0;
}

export async function actionCommand(command: string | undefined, args: string[], io: Io): Promise<number> {
  try {
    if (command === "kinds") return kinds(args, io);
    if (command === "encode") {
      const { reader, positionals } = readerOf(args, "action encode");
      const [kind, value] = positionals;
      if (!kind || !value) throw new UsageError("action encode needs <kind> <json | @file>");
      io.out(`0x${Buffer.from(await encodePayload(kind, readJson(value), reader, io)).toString("hex")}`);
      return 0;
    }
    if (command === "decode") return await decode(args, io);
    if (command === "propose") return await propose(args, io);
  } catch (caught) {
    const error = invalidAction(caught);
    if (error instanceof PermanentFailure) {
      io.err(`lvdao: invalid action: ${error.reason}`);
      return 65;
    }
    throw caught;
  }
  throw new UsageError(`unknown action command: ${command ?? "(none)"}`);
}

/** The proposal body from --body or --body-file: exactly one of them. */
function bodyOf(text: string | undefined, file: string | undefined): string {
  if (text !== undefined && file !== undefined)
    throw new UsageError("action propose takes --body or --body-file, not both");
  if (text !== undefined) return text;
  if (file === undefined) throw new UsageError("action propose needs --body <markdown> or --body-file <file>");
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--body-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

async function propose(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      "key-file": { type: "string" },
      title: { type: "string" },
      body: { type: "string" },
      "body-file": { type: "string" },
      link: { type: "string" },
    },
    allowPositionals: true,
  });
  const [kind, value] = positionals;
  if (!values.config || !values["key-file"] || !values.title || !kind || !value) {
    throw new UsageError(
      "action propose needs --config, --key-file, --title, --body or --body-file, <kind> and the action",
    );
  }
  const body = bodyOf(values.body, values["body-file"]);
  const link = values.link ?? null;
  const problem = bodyProblem(body) ?? (link === null ? null : linkProblem(link));
  if (problem) throw new UsageError(`action propose: ${problem}`);
  const { config } = loadConfig(values.config);
  let key: string;
  try {
    key = readFileSync(values["key-file"], "utf8").trim().replace(/^0x/, "");
  } catch (error) {
    throw new ConfigError(
      "--key-file",
      `cannot read ${values["key-file"]}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      "command line",
    );
  }
  if (!/^[0-9a-fA-F]{64}(01)?$/.test(key))
    throw new ConfigError("--key-file", "must hold a hex private key", "command line");
  const payload = await payloadOf(kind, value, sourceReader(config.stacks.nodeUrl), io);
  const stacks = new StacksClient({
    ...config.stacks,
    pollMs: config.stacks.txPollIntervalMs,
    senderKey: new Secret(key),
  });
  const deployer = config.stacks.deployer;

  io.err(`checking the ${kind} payload with ${deployer}.action-validator`);
  const verdict = await stacks.readOnly(`${deployer}.action-validator`, "validate", [
    Cl.stringAscii(kind),
    Cl.buffer(payload),
  ]);
  if (verdict.type === "err") {
    const code = cvToString(verdict.value).replace(/^u/, "");
    io.err(`lvdao: the chain refuses this ${kind} payload: ${errorName(Number(code)) ?? `error u${code}`}`);
    return 65;
  }
  // The bond is escrowed by the call: allow exactly that GT to leave the proposer, nothing else.
  const bond = await stacks.readOnly(`${deployer}.dao-settings`, "get-setting", [Cl.stringAscii("proposal-bond")]);
  const bondAmount = bond.type === "ok" && bond.value.type === "uint" ? BigInt(bond.value.value) : 0n;
  const postConditions =
    bondAmount > 0n ? [Pc.principal(stacks.address).willSendEq(bondAmount).ft(`${deployer}.gt-token`, "gt")] : [];
  const txid = await stacks.call(
    `${deployer}.proposals`,
    "propose",
    [
      Cl.stringAscii(kind),
      Cl.buffer(payload),
      Cl.stringUtf8(values.title),
      Cl.stringUtf8(body),
      link === null ? Cl.none() : Cl.some(Cl.stringAscii(link)),
    ],
    postConditions,
  );
  io.out(`txid 0x${txid}`);
  io.err(`body: ${[...body].length} characters, details-hash ${bodyHash(body)}; waiting for the block`);
  const outcome = await stacks.waitForTx(txid);
  if (outcome.status === "success") {
    io.out(`proposal ${/u(\d+)/.exec(outcome.resultRepr)?.[1] ?? outcome.resultRepr}`);
    return 0;
  }
  const why =
    outcome.status === "dropped"
      ? outcome.reason
      : (outcome.errorCode && errorName(outcome.errorCode)) || outcome.resultRepr;
  io.err(`lvdao: propose ${outcome.status}: ${why}`);
  return 1;
}
