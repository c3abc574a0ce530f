// The response types the emulated node must match, one per route:
// - Hiro API routes (/extended): the Hiro API client's generated types (@stacks/blockchain-api-client v9);
// - Stacks node RPC routes (/v2): @stacks/stacks-blockchain-api-types, completed with the fields a Stacks 3.x node
//   has beyond that package (stacks-core docs/rpc/components/schemas), where the package is older than the node;
// - devnet controls (/devnet) and error bodies: declared here.
// Route handlers build their bodies as these types, and test/shapes.test.ts compiles every live response of every
// route against them, so a missing, renamed or mistyped field fails.
import type { operations } from "@stacks/blockchain-api-client/lib/generated/schema.js";
import type {
  AccountDataResponse,
  ContractInterfaceResponse,
  ContractSourceResponse,
  CoreNodeInfoResponse,
  PostCoreNodeTransactionsError,
  ReadOnlyFunctionSuccessResponse,
  TransactionFeeEstimateResponse,
} from "@stacks/stacks-blockchain-api-types";

type JsonContent<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;

export type ApiOk<Op extends keyof operations> = operations[Op] extends { responses: { 200: infer Ok } }
  ? JsonContent<Ok>
  : never;
export type ApiClientError<Op extends keyof operations> = operations[Op] extends { responses: { "4XX": infer Failed } }
  ? JsonContent<Failed>
  : never;

export type ApiStatus = ApiOk<"get_status">;
export type ApiTxV1 = ApiOk<"get_transaction_by_id">;
export type ApiTxV3 = ApiOk<"get_transaction">;
export type ApiNoncesV1 = ApiOk<"get_account_nonces">;
export type ApiNoncesV3 = ApiOk<"get_principal_nonces">;
export type ApiContractLogs = ApiOk<"get_smart_contract_logs">;
/** The Hiro API's 4xx body: `{error, message?}` plus any further fields. */
export type ApiErrorBody = ApiClientError<"get_transaction_by_id">;
type EventsOf<T> = T extends { events: (infer E)[] } ? E : never;
export type ApiTxEvent = EventsOf<ApiTxV1>;

/**
 * GET /v2/info. A Stacks 3.x node also requires genesis_chainstate_hash, tenure_height and is_fully_synced
 * (stacks-core node-info.schema.yaml), which the types package predates.
 */
export type NodeInfoResponse = CoreNodeInfoResponse & {
  genesis_chainstate_hash: string;
  tenure_height: number;
  is_fully_synced: boolean;
};

/** GET /v2/accounts/{principal}: the package's shape (the node makes the proofs optional; we always send them). */
export type NodeAccountResponse = AccountDataResponse;

/**
 * GET /v2/fees/transfer: micro-STX per byte as a JSON integer. The types package declares a string, but its own
 * description, its example (`1`) and the node all use an integer, and @stacks/transactions parses a number.
 */
export type NodeTransferFeeResponse = number;

/** POST /v2/fees/transaction: the node requires every field the package leaves optional. */
export type NodeFeeEstimateResponse = TransactionFeeEstimateResponse &
  Required<Pick<TransactionFeeEstimateResponse, "cost_scalar_change_by_byte" | "estimations">>;

/** POST /v2/transactions: the txid as a JSON string (hex, no 0x), or a 400 with the rejection. */
export type NodeBroadcastResponse = string;
export type NodeBroadcastError = PostCoreNodeTransactionsError;

/** POST /v2/contracts/call-read/{address}/{name}/{function}. */
export type NodeReadOnlyResponse = ReadOnlyFunctionSuccessResponse;

/** A Clarity type as the node writes it in a contract interface (stacks-core contract-interface.schema.yaml). */
export type AbiType =
  | string
  | { buffer: { length: number } }
  | { "string-ascii": { length: number } }
  | { "string-utf8": { length: number } }
  | { tuple: { name: string; type: AbiType }[] }
  | { optional: AbiType }
  | { response: { ok: AbiType; error: AbiType } }
  | { list: { type: AbiType; length: number } };

/** GET /v2/contracts/interface/{address}/{name}: the package's shape, typed to the node's schema, with epoch and version. */
export type NodeContractInterfaceResponse = ContractInterfaceResponse & {
  functions: {
    name: string;
    access: "public" | "private" | "read_only";
    args: { name: string; type: AbiType }[];
    outputs: { type: AbiType };
  }[];
  variables: { name: string; type: AbiType; access: "constant" | "variable" }[];
  maps: { name: string; key: AbiType; value: AbiType }[];
  fungible_tokens: { name: string }[];
  non_fungible_tokens: { name: string; type: AbiType }[];
  epoch: string;
  clarity_version: string;
};

/** GET /v2/contracts/source/{address}/{name}. */
export type NodeContractSourceResponse = ContractSourceResponse;

/** POST /devnet/mine: where the chain stands after mining. */
export interface DevnetMineResponse {
  stacks_tip: { height: number; hash: string; index_hash: string; burn_block_height: number; txs: number };
  burn_block_height: number;
  mempool_size: number;
}

/** Any 4xx/5xx the emulation answers itself (POST /v2/transactions rejections use NodeBroadcastError). */
export interface DevnetErrorResponse {
  error: string;
  message: string;
}
