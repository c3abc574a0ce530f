// The routes the node emulation serves: Stacks node RPC (/v2), the Hiro API subset the relay, the web app and
// wallets use (/extended), and devnet controls (/devnet). Handlers validate their inputs and map chain records to
// the real response shapes.
import { createHash } from "node:crypto";
import { Cl, serializeCV, validateStacksAddress, type ClarityValue } from "@stacks/transactions";
import { u128Hex } from "./admission.ts";
import type {
  ApiStatus,
  DevnetMineResponse,
  NodeAccountResponse,
  NodeBroadcastError,
  NodeBroadcastResponse,
  NodeContractSourceResponse,
  NodeFeeEstimateResponse,
  NodeInfoResponse,
  NodeReadOnlyResponse,
  NodeTransferFeeResponse,
} from "./api-types.ts";
import { blockSummary, contractInterfaceJson, contractLogsPage, noncesV1, noncesV3, txV1, txV3 } from "./api-shapes.ts";
import type { Chain } from "./stacks-chain.ts";
import { HttpError, Router, type Reply, type Request } from "./http.ts";
import { Rejection } from "./rejection.ts";

// Patterns of the {params} in route templates.
const PARAMS = {
  principal: "[^/]+", // anything up to the next slash: principalParam refuses a bad one with a 400 that says why
  address: "[A-Z0-9]+",
  name: "[a-zA-Z][a-zA-Z0-9_-]*",
  function: "[^/]+",
  txid: "[^/]+",
};

export interface RouteOptions {
  maxBodyBytes: number;
  /** Mines now and advances burn blocks (POST /devnet/mine). */
  mine: (burn: number) => Promise<void>;
  serverVersion: string;
}

export function buildRouter(chain: Chain, options: RouteOptions): Router {
  const router = new Router(options.maxBodyBytes, PARAMS);
  const json = (body: unknown): Reply => ({ json: body });

  router.on("GET", "/v2/info", () => json(info(chain, options.serverVersion)));
  router.on("GET", "/extended", () => {
    const body: ApiStatus = {
      server_version: options.serverVersion,
      status: "ready",
      chain_tip: {
        block_height: chain.tip.height,
        block_hash: chain.tip.hash,
        index_block_hash: chain.tip.indexHash,
        burn_block_height: chain.tip.burnHeight,
      },
    };
    return json(body);
  });

  router.on("GET", "/v2/accounts/{principal}", async (req) => {
    const principal = principalParam(req.params[0]);
    await chain.settled();
    const body: NodeAccountResponse = {
      balance: u128Hex(chain.stxBalance(principal)),
      locked: u128Hex(0n),
      unlock_height: 0,
      nonce: Number(chain.nextNonce(principal)),
      balance_proof: "",
      nonce_proof: "",
    };
    return json(body);
  });

  const nonceFacts = (principal: string) => ({
    nextConfirmed: chain.nextNonce(principal),
    pending: chain.mempool.pendingNonces(principal),
  });
  router.on("GET", "/extended/v1/address/{principal}/nonces", (req) =>
    json(noncesV1(nonceFacts(principalParam(req.params[0])))),
  );
  router.on("GET", "/extended/v3/principals/{principal}/nonces", (req) =>
    json(noncesV3(nonceFacts(principalParam(req.params[0])))),
  );

  router.on("GET", "/v2/fees/transfer", () => {
    const body: NodeTransferFeeResponse = Number(chain.minFeeRate);
    return json(body);
  });
  router.on("POST", "/v2/fees/transaction", async (req) => {
    const body = objectBody(await req.json());
    const payload = body.transaction_payload;
    if (typeof payload !== "string" || !/^(0x)?([0-9a-fA-F]{2})+$/.test(payload)) {
      throw new HttpError(400, "bad_request", "transaction_payload must be a hex-encoded transaction payload");
    }
    const estimatedLen = body.estimated_len === undefined ? 0 : Number(body.estimated_len);
    if (!Number.isSafeInteger(estimatedLen) || estimatedLen < 0)
      throw new HttpError(400, "bad_request", "estimated_len must be a non-negative integer");
    // A signed transaction is the payload plus ~180 bytes of auth and header; fees are per byte.
    const length = BigInt(Math.max(estimatedLen, payload.replace(/^0x/, "").length / 2 + 180));
    const rate = Number(chain.minFeeRate);
    const estimate: NodeFeeEstimateResponse = {
      estimated_cost: { read_count: 0, read_length: 0, runtime: 0, write_count: 0, write_length: 0 },
      estimated_cost_scalar: 0,
      cost_scalar_change_by_byte: 0,
      estimations: [1, 2, 3].map((tier) => ({
        fee_rate: rate * tier,
        fee: Number(length * chain.minFeeRate * BigInt(tier)),
      })),
    };
    return json(estimate);
  });

  router.on("POST", "/v2/transactions", async (req) => {
    const raw = transactionBytes(req.headers["content-type"] ?? "", await req.body());
    await chain.settled();
    try {
      const txid: NodeBroadcastResponse = chain.submit(raw);
      return json(txid);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      const body: NodeBroadcastError = error.toJSON();
      throw new HttpError(400, error.reason, error.message, body);
    }
  });

  router.on("POST", "/v2/contracts/call-read/{address}/{name}/{function}", async (req) => {
    const contractId = contractParam(`${req.params[0]}.${req.params[1]}`);
    const fn = req.params[2]!;
    const body = objectBody(await req.json());
    const sender = principalParam(typeof body.sender === "string" ? body.sender : undefined);
    if (!Array.isArray(body.arguments))
      throw new HttpError(400, "bad_request", "arguments must be an array of hex-encoded Clarity values");
    const args: ClarityValue[] = body.arguments.map((arg, index) => {
      try {
        return Cl.deserialize(String(arg));
      } catch {
        throw new HttpError(400, "bad_request", `argument ${index} is not a hex-encoded Clarity value`);
      }
    });
    await chain.settled();
    let response: NodeReadOnlyResponse;
    try {
      const { result } = chain.host.readOnly(contractId, fn, args, sender);
      response = { okay: true, result: `0x${serializeCV(result)}` };
    } catch (error) {
      response = { okay: false, cause: String((error as Error)?.message ?? error) };
    }
    return json(response);
  });

  router.on("GET", "/v2/contracts/interface/{address}/{name}", (req) => {
    const contractId = contractParam(`${req.params[0]}.${req.params[1]}`);
    const abi = chain.host.contractInterfaces().get(contractId);
    if (!abi) throw new HttpError(404, "not_found", `no contract ${contractId}`);
    return json(contractInterfaceJson(abi));
  });

  router.on("GET", "/v2/contracts/source/{address}/{name}", (req) => {
    const contractId = contractParam(`${req.params[0]}.${req.params[1]}`);
    const source = chain.host.contractSource(contractId);
    if (source === undefined) throw new HttpError(404, "not_found", `no contract ${contractId}`);
    const body: NodeContractSourceResponse = {
      source,
      publish_height: chain.publishHeights.get(contractId) ?? 0,
      proof: "",
    };
    return json(body);
  });

  router.on("GET", "/extended/v1/tx/{txid}", (req) => {
    const record = chain.txs.get(txidParam(req.params[0]));
    if (!record) throw new HttpError(404, "not_found", `could not find transaction by ID ${req.params[0]}`);
    const call = record.tx.payload.kind === "contract_call" ? record.tx.payload : null;
    const fn = call
      ? chain.host
          .contractInterfaces()
          .get(call.contractId)
          ?.functions.find((f) => f.name === call.functionName)
      : undefined;
    return json(txV1(record, fn));
  });
  router.on("GET", "/extended/v3/transactions/{txid}", (req) => {
    const record = chain.txs.get(txidParam(req.params[0]));
    if (!record) throw new HttpError(404, "not_found", `Transaction not found: ${req.params[0]}`);
    return json(txV3(record));
  });

  router.on("GET", "/extended/v2/smart-contracts/{principal}/logs", (req) => {
    const contractId = contractParam(req.params[0]);
    const limit = intQuery(req, "limit", 20, 1, 50);
    const offset = intQuery(req, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
    const cursorText = req.query.get("cursor");
    const logs = chain.logsByContract.get(contractId) ?? [];
    let cursor: number | null = null;
    if (cursorText !== null) {
      cursor = Number(cursorText);
      if (!/^\d+$/.test(cursorText) || cursor >= logs.length) throw new HttpError(404, "not_found", "Cursor not found");
    }
    return json(contractLogsPage(logs, limit, offset, cursor));
  });

  router.on("POST", "/devnet/mine", async (req) => {
    const raw = await req.body();
    const body = raw.length ? objectBody(await req.json()) : {};
    const burn = body.burn === undefined ? 0 : Number(body.burn);
    if (!Number.isInteger(burn) || burn < 0 || burn > 10_000)
      throw new HttpError(400, "bad_request", "burn must be an integer from 0 to 10000");
    await options.mine(burn);
    const mined: DevnetMineResponse = {
      stacks_tip: blockSummary(chain.tip),
      burn_block_height: chain.burnTip.height,
      mempool_size: chain.mempool.size,
    };
    return json(mined);
  });

  return router;
}

function info(chain: Chain, serverVersion: string): NodeInfoResponse {
  const tip = chain.tip;
  const burn = chain.burnTip;
  return {
    peer_version: 0xfacade01,
    pox_consensus: burn.hash.slice(2, 42),
    burn_block_height: burn.height,
    stable_pox_consensus: burn.hash.slice(2, 42),
    stable_burn_block_height: Math.max(0, burn.height - 1),
    server_version: serverVersion,
    network_id: 0x80000000,
    parent_network_id: 0xdab5bffa,
    stacks_tip_height: tip.height,
    stacks_tip: tip.hash.slice(2),
    stacks_tip_consensus_hash: tip.burnHash.slice(2, 42),
    genesis_chainstate_hash: GENESIS_CHAINSTATE_HASH,
    unanchored_tip: "0".repeat(64),
    // In the simnet every burn block starts a tenure, so the tenure height follows the burn height.
    tenure_height: burn.height,
    exit_at_block_height: 0,
    is_fully_synced: true,
  };
}

/** The emulation has no genesis chainstate file; this stands for one, fixed so clients see a stable value. */
const GENESIS_CHAINSTATE_HASH = createHash("sha256").update("lvdao devnet genesis").digest("hex");

/** A node accepts raw bytes (application/octet-stream), a hex string, or {"tx": hex} as JSON (what @stacks/transactions sends). */
function transactionBytes(contentType: string, body: Buffer): Uint8Array {
  if (body.length === 0) throw new HttpError(400, "bad_request", "empty transaction body");
  if (contentType.includes("octet-stream")) return new Uint8Array(body);
  const text = body.toString("utf8").trim();
  let hex = text;
  if (contentType.includes("json") || text.startsWith("{") || text.startsWith('"')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new HttpError(400, "bad_json", `request body is not valid JSON: ${(cause as Error).message}`);
    }
    const tx = typeof parsed === "string" ? parsed : (parsed as { tx?: unknown } | null)?.tx;
    if (typeof tx !== "string") throw new HttpError(400, "bad_request", 'JSON body must be {"tx": "<hex>"}');
    hex = tx;
  }
  hex = hex.replace(/^0x/, "");
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return new Uint8Array(body); // not hex: treat the body as raw bytes
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HttpError(400, "bad_request", "request body must be a JSON object");
  return body as Record<string, unknown>;
}

export function principalParam(text: string | undefined): string {
  if (!text) throw new HttpError(400, "bad_principal", "a principal is required");
  const [address, name, ...rest] = text.split(".");
  const validName = name === undefined || /^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/.test(name);
  if (!address || rest.length > 0 || !validName || !validateStacksAddress(address)) {
    throw new HttpError(400, "bad_principal", `${text.slice(0, 200)} is not a valid Stacks principal`);
  }
  return text;
}

function contractParam(text: string | undefined): string {
  const principal = principalParam(text);
  if (!principal.includes(".")) throw new HttpError(400, "bad_principal", `${principal} is not a contract principal`);
  return principal;
}

function txidParam(text: string | undefined): string {
  const hex = (text ?? "").replace(/^0x/, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new HttpError(400, "bad_txid", `${(text ?? "").slice(0, 100)} is not a transaction id (64 hex digits)`);
  return hex;
}

function intQuery(req: Request, name: string, fallback: number, min: number, max: number): number {
  const text = req.query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new HttpError(400, "bad_request", `${name} must be an integer from ${min} to ${max}`);
  return value;
}
