// The response types the emulated node must match, taken from the Hiro API client (v9, Hiro API routes) and the
// Stacks Blockchain API types package (Stacks node RPC routes). Route handlers are typed with these, so the compiler
// checks field names and types; shapes.test.ts also checks live responses against them.
import type { operations } from "@stacks/blockchain-api-client/lib/generated/schema.js";

export type ApiOk<Op extends keyof operations> = operations[Op] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

export type ApiTxV1 = ApiOk<"get_transaction_by_id">;
export type ApiTxV3 = ApiOk<"get_transaction">;
export type ApiTxEventsV3 = ApiOk<"get_transaction_events">;
export type ApiNoncesV1 = ApiOk<"get_account_nonces">;
export type ApiNoncesV3 = ApiOk<"get_principal_nonces">;
export type ApiContractLogs = ApiOk<"get_smart_contract_logs">;
type EventsOf<T> = T extends { events: (infer E)[] } ? E : never;
export type ApiTxEvent = EventsOf<ApiTxV1>;

export type {
  CoreNodeInfoResponse,
  AccountDataResponse,
  ReadOnlyFunctionSuccessResponse,
  TransactionFeeEstimateResponse,
  PostCoreNodeTransactionsError,
} from "@stacks/stacks-blockchain-api-types";
