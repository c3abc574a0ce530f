// Every route's live JSON against the published types: the Hiro API client's types for /extended, the Stacks node
// RPC types for /v2 (api-types.ts says where each comes from). The test drives the node through every kind of
// transaction and outcome, records each response, compiles all of them against their route's type
// (type-check.ts), and fails on any missing, extra or mistyped field. It also fails when a route is served that no
// sample covers, and shows that the check can fail by breaking each sample once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Cl,
  Pc,
  makeContractCall,
  makeContractDeploy,
  makeSTXTokenTransfer,
  serializeCV,
  serializePayload,
  sponsorTransaction,
  type StacksTransactionWire,
} from "@stacks/transactions";
import type { Devnet } from "../index.ts";
import { COUNTER, DEPLOYER, clientNetwork, counterCall, startFixtureDevnet } from "./helpers.ts";
import { typeCheckSamples, type ShapeSample } from "./type-check.ts";

interface Recorded {
  route: string | null;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** The type each route's 200 body must have (names exported by api-types.ts). */
const OK_TYPES: Record<string, string> = {
  "GET /v2/info": "NodeInfoResponse",
  "GET /extended": "ApiStatus",
  "GET /v2/accounts/{principal}": "NodeAccountResponse",
  "GET /extended/v1/address/{principal}/nonces": "ApiNoncesV1",
  "GET /extended/v3/principals/{principal}/nonces": "ApiNoncesV3",
  "GET /v2/fees/transfer": "NodeTransferFeeResponse",
  "POST /v2/fees/transaction": "NodeFeeEstimateResponse",
  "POST /v2/transactions": "NodeBroadcastResponse",
  "POST /v2/contracts/call-read/{address}/{name}/{function}": "NodeReadOnlyResponse",
  "GET /v2/contracts/interface/{address}/{name}": "NodeContractInterfaceResponse",
  "GET /v2/contracts/source/{address}/{name}": "NodeContractSourceResponse",
  "GET /extended/v1/tx/{txid}": "ApiTxV1",
  "GET /extended/v3/transactions/{txid}": "ApiTxV3",
  "GET /extended/v2/smart-contracts/{principal}/logs": "ApiContractLogs",
  "POST /devnet/mine": "DevnetMineResponse",
};

function typesFor(entry: Recorded): string[] {
  if (entry.status === 200) {
    const type = entry.route ? OK_TYPES[entry.route] : undefined;
    if (!type) throw new Error(`no type declared for ${entry.route ?? `${entry.method} ${entry.path}`}`);
    return [type];
  }
  if (entry.route === "POST /v2/transactions" && entry.status === 400) return ["NodeBroadcastError"];
  // Hiro API clients read the Hiro error shape; every error body is also the emulation's own {error, message}.
  return entry.path.startsWith("/extended") ? ["DevnetErrorResponse", "ApiErrorBody"] : ["DevnetErrorResponse"];
}

let devnet: Devnet;
let incrTxid: string;
const recorded: Recorded[] = [];

async function call(
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<Recorded> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
    init.headers = { "Content-Type": contentType };
  }
  const response = await fetch(`${devnet.url}${path}`, init);
  const pathname = new URL(path, devnet.url).pathname;
  const entry = {
    route: devnet.routes.routeFor(method, pathname),
    method,
    path,
    status: response.status,
    body: await response.json(),
  };
  recorded.push(entry);
  return entry;
}

async function broadcast(tx: StacksTransactionWire): Promise<string> {
  const { status, body } = await call(
    "POST",
    "/v2/transactions",
    Buffer.from(tx.serializeBytes()),
    "application/octet-stream",
  );
  if (status !== 200 || typeof body !== "string") throw new Error(`broadcast refused: ${JSON.stringify(body)}`);
  return body;
}

const address = (wallet: string): string => devnet.account(wallet).address;
const key = (wallet: string): string => devnet.account(wallet).privateKey;
const network = () => clientNetwork(devnet);

beforeAll(async () => {
  devnet = await startFixtureDevnet({ blockTimeMs: 0 });
  const txids: string[] = [];

  await call("GET", "/v2/info");
  await call("GET", "/extended");
  await call("GET", `/v2/accounts/${address("wallet_1")}`);
  await call("GET", `/v2/accounts/${COUNTER}`);
  await call("GET", "/v2/fees/transfer");
  const incr = await counterCall(devnet, "wallet_1", "incr", [Cl.uint(7)], { nonce: 0 });
  await call("POST", "/v2/fees/transaction", {
    transaction_payload: serializePayload(incr.payload),
    estimated_len: 300,
  });

  // One of each transaction kind and outcome.
  incrTxid = await broadcast(incr);
  txids.push(incrTxid);
  txids.push(await broadcast(await counterCall(devnet, "wallet_2", "mint", [Cl.uint(50)], { nonce: 0 })));
  txids.push(
    await broadcast(
      await counterCall(devnet, "wallet_2", "give", [Cl.uint(5), Cl.principal(address("wallet_3"))], {
        nonce: 1,
        postConditionMode: "deny",
        postConditions: [Pc.principal(address("wallet_2")).willSendEq(5).ft(COUNTER, "chip")],
      }),
    ),
  );
  txids.push(await broadcast(await counterCall(devnet, "wallet_3", "mint-badge", [Cl.uint(1)], { nonce: 0 })));
  txids.push(
    await broadcast(
      await counterCall(devnet, "wallet_3", "give-badge", [Cl.uint(1), Cl.principal(address("wallet_4"))], {
        nonce: 1,
        postConditionMode: "deny",
        postConditions: [Pc.principal(address("wallet_3")).willSendAsset().nft(`${COUNTER}::badge`, Cl.uint(1))],
      }),
    ),
  );
  txids.push(
    await broadcast(
      await makeSTXTokenTransfer({
        recipient: address("wallet_5"),
        amount: 1_000n,
        memo: "shapes",
        senderKey: key("wallet_4"),
        nonce: 0,
        fee: 1_000,
        ...network(),
      }),
    ),
  );
  txids.push(
    await broadcast(
      await makeContractDeploy({
        contractName: "quiet",
        codeBody: "(define-read-only (hello) u1)",
        clarityVersion: 4,
        senderKey: key("wallet_5"),
        nonce: 0,
        fee: 1_000,
        ...network(),
      }),
    ),
  );
  txids.push(await broadcast(await counterCall(devnet, "wallet_6", "boom", [], { nonce: 0 })));
  txids.push(
    await broadcast(
      await counterCall(devnet, "wallet_2", "give", [Cl.uint(1), Cl.principal(address("wallet_3"))], {
        nonce: 2,
        postConditionMode: "deny",
      }),
    ),
  );
  const unsponsored = await makeContractCall({
    contractAddress: DEPLOYER,
    contractName: "counter",
    functionName: "incr",
    functionArgs: [Cl.uint(1)],
    senderKey: key("wallet_8"),
    nonce: 0,
    fee: 0,
    sponsored: true,
    ...network(),
  });
  txids.push(
    await broadcast(
      await sponsorTransaction({
        transaction: unsponsored,
        sponsorPrivateKey: key("faucet"),
        fee: 2_000,
        sponsorNonce: 0,
        ...network(),
      }),
    ),
  );
  // Refused: a reused nonce (after mining) and a fee below the minimum.
  const gap = await counterCall(devnet, "wallet_7", "incr", [Cl.uint(1)], { nonce: 1 });
  const pending = await broadcast(gap);
  await call(
    "POST",
    "/v2/transactions",
    Buffer.from((await counterCall(devnet, "wallet_6", "incr", [Cl.uint(1)], { nonce: 0, fee: 1 })).serializeBytes()),
    "application/octet-stream",
  );
  await call("GET", `/extended/v1/tx/0x${pending}`);
  await call("GET", `/extended/v3/transactions/0x${pending}`);
  await call("GET", `/extended/v1/address/${address("wallet_7")}/nonces`);
  await call("GET", `/extended/v3/principals/${address("wallet_7")}/nonces`);

  await call("POST", "/devnet/mine", {});
  // Already mined: the same txid comes back.
  await call("POST", "/v2/transactions", Buffer.from(incr.serializeBytes()).toString("hex"), "text/plain");
  await call(
    "POST",
    "/v2/transactions",
    Buffer.from((await counterCall(devnet, "wallet_1", "incr", [Cl.uint(1)], { nonce: 0 })).serializeBytes()),
    "application/octet-stream",
  );

  for (const txid of txids) {
    await call("GET", `/extended/v1/tx/0x${txid}`);
    await call("GET", `/extended/v3/transactions/${txid}`);
  }
  await call("GET", `/extended/v1/address/${address("wallet_1")}/nonces`);
  await call("GET", `/extended/v3/principals/${address("faucet")}/nonces`);
  await call("GET", `/v2/accounts/${address("wallet_1")}`);

  const readOnly = `/v2/contracts/call-read/${DEPLOYER}/counter`;
  await call("POST", `${readOnly}/get-count`, { sender: address("wallet_1"), arguments: [] });
  await call("POST", `${readOnly}/get-chips`, {
    sender: address("wallet_1"),
    arguments: [`0x${serializeCV(Cl.principal(address("wallet_3")))}`],
  });
  await call("POST", `${readOnly}/no-such-function`, { sender: address("wallet_1"), arguments: [] });
  await call("GET", `/v2/contracts/interface/${DEPLOYER}/counter`);
  await call("GET", `/v2/contracts/source/${DEPLOYER}/counter`);
  await call("GET", `/v2/contracts/source/${address("wallet_5")}/quiet`);

  await call("GET", `/extended/v2/smart-contracts/${COUNTER}/logs`);
  await call("GET", `/extended/v2/smart-contracts/${COUNTER}/logs?limit=1&offset=1`);
  await call("GET", `/extended/v2/smart-contracts/${COUNTER}/logs?cursor=0`);
  await call("GET", `/extended/v2/smart-contracts/${address("wallet_5")}.quiet/logs`);
  await call("POST", "/devnet/mine", { burn: 2 });
  await call("GET", "/v2/info");

  // Error answers.
  await call("GET", "/no/such/route");
  await call("POST", "/v2/info", {});
  await call("GET", "/v2/accounts/not-a-principal");
  await call("GET", `/extended/v1/tx/0x${"00".repeat(32)}`);
  await call("GET", `/extended/v3/transactions/${"ab".repeat(32)}`);
  await call("GET", "/extended/v1/tx/0x1234");
  await call("GET", `/extended/v2/smart-contracts/${COUNTER}/logs?cursor=99999`);
  await call("GET", `/extended/v2/smart-contracts/${COUNTER}/logs?limit=500`);
  await call("GET", `/v2/contracts/interface/${DEPLOYER}/missing`);
  await call("POST", `${readOnly}/get-count`, "{not json");
  await call("POST", "/devnet/mine", { burn: -1 });
}, 120_000);

afterAll(async () => {
  await devnet.stop();
});

function samples(entries: Recorded[] = recorded): ShapeSample[] {
  return entries.flatMap((entry) =>
    typesFor(entry).map((typeName) => ({
      label: `${entry.method} ${entry.path} ${entry.status} as ${typeName}`,
      typeName,
      value: entry.body,
    })),
  );
}

/** A copy of `value` with one field broken: the first key renamed, or a primitive swapped for another type. */
function broken(value: unknown): unknown {
  if (typeof value === "string") return 42;
  if (typeof value === "number") return "42";
  if (Array.isArray(value) || value === null || typeof value !== "object")
    throw new Error(`cannot break ${JSON.stringify(value)}`);
  const [first] = Object.keys(value);
  const { [first!]: moved, ...rest } = value as Record<string, unknown>;
  return { [`${first}_renamed`]: moved, ...rest };
}

describe("response shapes", () => {
  it("every response of every route fits its published type", () => {
    const failures = typeCheckSamples(samples());
    expect(failures.map((f) => `${f.label}:\n    ${f.errors.join("\n    ")}`)).toEqual([]);
  });

  it("covers every route the node serves with a checked 200 response, and every kind of transaction", () => {
    const covered = new Set(recorded.filter((r) => r.status === 200).map((r) => r.route));
    expect(devnet.routes.names().filter((name) => !covered.has(name))).toEqual([]);
    expect(Object.keys(OK_TYPES).sort()).toEqual(devnet.routes.names().sort());
    const v1 = recorded
      .filter((r) => r.route === "GET /extended/v1/tx/{txid}" && r.status === 200)
      .map(
        (r) => r.body as { tx_status: string; tx_type: string; sponsored: boolean; events?: { event_type: string }[] },
      );
    expect(new Set(v1.map((t) => t.tx_status))).toEqual(
      new Set(["pending", "success", "abort_by_response", "abort_by_post_condition"]),
    );
    expect(new Set(v1.map((t) => t.tx_type))).toEqual(new Set(["contract_call", "token_transfer", "smart_contract"]));
    expect(v1.some((t) => t.sponsored)).toBe(true);
    expect(new Set(v1.flatMap((t) => t.events ?? []).map((e) => e.event_type))).toEqual(
      new Set(["smart_contract_log", "stx_asset", "fungible_token_asset", "non_fungible_token_asset"]),
    );
  });

  it("names contract-call arguments and the function signature from the contract's ABI, as the Hiro API does", () => {
    const incr = recorded.find(
      (r) => r.route === "GET /extended/v1/tx/{txid}" && (r.body as { tx_id: string }).tx_id === `0x${incrTxid}`,
    );
    expect((incr?.body as { contract_call?: unknown } | undefined)?.contract_call).toMatchObject({
      function_signature: "(define-public (incr (by uint)))",
      function_args: [{ name: "by", type: "uint", repr: "u7" }],
    });
  });

  it("can fail: each sample with one field renamed or retyped is refused", () => {
    const okSamples = samples(recorded.filter((r) => r.status === 200));
    const mutated = okSamples.map((s) => ({ ...s, label: `broken ${s.label}`, value: broken(s.value) }));
    const refused = new Set(typeCheckSamples(mutated).map((f) => f.label));
    expect(mutated.filter((s) => !refused.has(s.label)).map((s) => s.label)).toEqual([]);
  });
});
