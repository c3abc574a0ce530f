// Pure response mappers: chain records -> the JSON shapes of the Hiro API (v1/v3 transactions, nonces, contract
// logs) and the node's contract interface. Each returns its route's type from api-types.ts with no cast, so a
// renamed or mistyped field fails to compile; test/shapes.test.ts checks the live JSON as well.
import {
  FungibleConditionCode,
  NonFungibleConditionCode,
  PostConditionMode,
  PostConditionPrincipalId,
  PostConditionType,
  PoxConditionCode,
  addressToString,
  type PostConditionWire,
} from "@stacks/transactions";
import type {
  AbiType,
  ApiContractLogs,
  ApiNoncesV1,
  ApiNoncesV3,
  ApiTxEvent,
  ApiTxV1,
  ApiTxV3,
  DevnetMineResponse,
  NodeContractInterfaceResponse,
} from "./api-types.ts";
import type { BlockRecord, ContractLog, TxRecord } from "./stacks-chain.ts";
import { hexRepr, toApiEvent } from "./events.ts";
import type { SimnetContractInterface } from "./simnet-host.ts";

type ApiPostCondition = Extract<ApiTxV1, { tx_type: "contract_call" }>["post_conditions"][number];

const fungibleCode = {
  [FungibleConditionCode.Equal]: "sent_equal_to",
  [FungibleConditionCode.Greater]: "sent_greater_than",
  [FungibleConditionCode.GreaterEqual]: "sent_greater_than_or_equal_to",
  [FungibleConditionCode.Less]: "sent_less_than",
  [FungibleConditionCode.LessEqual]: "sent_less_than_or_equal_to",
} as const;

function principalJson(p: PostConditionWire["principal"]): ApiPostCondition["principal"] {
  if (p.prefix === PostConditionPrincipalId.Origin) return { type_id: "principal_origin" };
  if (p.prefix === PostConditionPrincipalId.Standard)
    return { type_id: "principal_standard", address: addressToString(p.address) };
  return { type_id: "principal_contract", address: addressToString(p.address), contract_name: p.contractName.content };
}

function postConditionJson(pc: PostConditionWire): ApiPostCondition {
  const principal = principalJson(pc.principal);
  switch (pc.conditionType) {
    case PostConditionType.STX:
      return { principal, condition_code: fungibleCode[pc.conditionCode], amount: pc.amount.toString(), type: "stx" };
    case PostConditionType.Fungible:
      return {
        principal,
        condition_code: fungibleCode[pc.conditionCode],
        amount: pc.amount.toString(),
        type: "fungible",
        asset: {
          asset_name: pc.asset.assetName.content,
          contract_address: addressToString(pc.asset.address),
          contract_name: pc.asset.contractName.content,
        },
      };
    case PostConditionType.NonFungible:
      return {
        principal,
        condition_code:
          pc.conditionCode === NonFungibleConditionCode.Sends
            ? "sent"
            : pc.conditionCode === NonFungibleConditionCode.DoesNotSend
              ? "not_sent"
              : "maybe_sent",
        type: "non_fungible",
        asset_value: hexRepr(pc.assetName),
        asset: {
          asset_name: pc.asset.assetName.content,
          contract_address: addressToString(pc.asset.address),
          contract_name: pc.asset.contractName.content,
        },
      };
    case PostConditionType.Staking:
      return {
        principal,
        condition_code: fungibleCode[pc.conditionCode],
        amount: pc.amount.toString(),
        type: "staking",
      };
    case PostConditionType.PoX:
      return {
        principal,
        condition_code:
          pc.conditionCode === PoxConditionCode.WillNotPerform
            ? "not_performed"
            : pc.conditionCode === PoxConditionCode.MayPerform
              ? "maybe_performed"
              : "performed",
        type: "pox",
      };
  }
}

const modeName = (mode: PostConditionMode): "allow" | "deny" | "originator" =>
  mode === PostConditionMode.Allow ? "allow" : mode === PostConditionMode.Deny ? "deny" : "originator";

const iso = (unix: number): string => new Date(unix * 1000).toISOString();

export function apiEvents(record: TxRecord): ApiTxEvent[] {
  return record.events.map((e, i) => toApiEvent(e, record.tx.txid, i)).filter((e): e is ApiTxEvent => e !== null);
}

/** An ABI type as Clarity source writes it: "uint", "(buff 32)", "(optional principal)". */
export function clarityTypeName(type: AbiType): string {
  if (typeof type === "string") return type === "uint128" ? "uint" : type === "int128" ? "int" : type;
  if ("buffer" in type) return `(buff ${type.buffer.length})`;
  if ("string-ascii" in type) return `(string-ascii ${type["string-ascii"].length})`;
  if ("string-utf8" in type) return `(string-utf8 ${type["string-utf8"].length})`;
  if ("optional" in type) return `(optional ${clarityTypeName(type.optional)})`;
  if ("response" in type)
    return `(response ${clarityTypeName(type.response.ok)} ${clarityTypeName(type.response.error)})`;
  if ("list" in type) return `(list ${type.list.length} ${clarityTypeName(type.list.type)})`;
  return `(tuple ${type.tuple.map((field) => `(${field.name} ${clarityTypeName(field.type)})`).join(" ")})`;
}

function functionSignature(fn: FunctionAbi): string {
  const kind = fn.access === "read_only" ? "read-only" : fn.access;
  return `(define-${kind} (${fn.name}${fn.args.map((a) => ` (${a.name} ${clarityTypeName(a.type)})`).join("")}))`;
}

/** A v3 memo: null when empty (all zero bytes), else its hex and its text with the zero padding removed. */
function memoJson(memoHex: string): { hex: string; repr: string } | null {
  if (/^0*$/.test(memoHex)) return null;
  return { hex: `0x${memoHex}`, repr: Buffer.from(memoHex, "hex").toString("utf8").replace(/\0+$/, "") };
}

const zeroCost = { read_count: 0, read_length: 0, runtime: 0, write_count: 0, write_length: 0 };

/** GET /extended/v1/tx/{tx_id} */
/** A function's ABI, for the names and Clarity types of a contract call's arguments. */
export interface FunctionAbi {
  name: string;
  access: string;
  args: { name: string; type: AbiType }[];
}

/**
 * GET /extended/v1/tx/{tx_id}. `fn` is the called function's ABI (contract calls), which gives the arguments their
 * names, Clarity types and the function signature, as the Hiro API shows them.
 */
export function txV1(record: TxRecord, fn?: FunctionAbi): ApiTxV1 {
  const { tx } = record;
  const txId = `0x${tx.txid}`;
  const common = {
    tx_id: txId,
    nonce: Number(tx.nonce),
    fee_rate: tx.fee.toString(),
    sender_address: tx.sender,
    sponsored: tx.sponsor !== null,
    ...(tx.sponsor ? { sponsor_address: tx.sponsor.address, sponsor_nonce: Number(tx.sponsor.nonce) } : {}),
    post_condition_mode: modeName(tx.postConditionMode),
    post_conditions: tx.postConditions.map(postConditionJson),
    anchor_mode: "any" as const,
  };
  const payload = payloadV1(record, fn);
  const block = record.block;
  if (!block || record.status === "pending") {
    return {
      ...common,
      tx_status: "pending",
      replaced_by_tx_id: null,
      receipt_time: record.receivedAt,
      receipt_time_iso: iso(record.receivedAt),
      ...payload,
    };
  }
  const events = apiEvents(record);
  return {
    ...common,
    block_hash: block.hash,
    block_height: block.height,
    block_time: block.time,
    block_time_iso: iso(block.time),
    burn_block_time: block.burnTime,
    burn_block_height: block.burnHeight,
    burn_block_time_iso: iso(block.burnTime),
    parent_burn_block_time: block.parentBurnTime,
    parent_burn_block_time_iso: iso(block.parentBurnTime),
    canonical: true,
    tx_index: record.txIndex,
    tx_status: record.status,
    tx_result: { hex: record.resultHex ?? "0x", repr: record.resultRepr ?? "" },
    event_count: events.length,
    parent_block_hash: block.parentHash,
    is_unanchored: false,
    microblock_hash: "0x",
    microblock_sequence: 2147483647,
    microblock_canonical: true,
    execution_cost_read_count: 0,
    execution_cost_read_length: 0,
    execution_cost_runtime: 0,
    execution_cost_write_count: 0,
    execution_cost_write_length: 0,
    vm_error: record.vmError,
    events,
    ...payload,
  };
}

function payloadV1(record: TxRecord, fn: FunctionAbi | undefined) {
  const p = record.tx.payload;
  if (p.kind === "token_transfer") {
    return {
      tx_type: "token_transfer" as const,
      token_transfer: { recipient_address: p.recipient, amount: p.amount.toString(), memo: `0x${p.memoHex}` },
    };
  }
  if (p.kind === "contract_call") {
    return {
      tx_type: "contract_call" as const,
      contract_call: {
        contract_id: p.contractId,
        function_name: p.functionName,
        function_signature: fn ? functionSignature(fn) : "",
        function_args: p.args.map((a, i) => {
          const declared = fn?.args[i];
          return {
            ...hexRepr(a),
            name: declared?.name ?? `arg${i}`,
            type: declared ? clarityTypeName(declared.type) : a.type,
          };
        }),
      },
    };
  }
  return {
    tx_type: "smart_contract" as const,
    smart_contract: { clarity_version: p.clarityVersion, contract_id: p.contractId, source_code: p.code },
  };
}

/** GET /extended/v3/transactions/{tx_id} (result always included: the relay needs it) */
export function txV3(record: TxRecord): ApiTxV3 {
  const { tx } = record;
  const common = {
    tx_id: `0x${tx.txid}`,
    sender: { address: tx.sender, nonce: Number(tx.nonce) },
    sponsor: tx.sponsor ? { address: tx.sponsor.address, nonce: Number(tx.sponsor.nonce) } : null,
    fee_rate: tx.fee.toString(),
    post_conditions: tx.postConditions.map(postConditionJson),
  };
  const p = tx.payload;
  const payload =
    p.kind === "token_transfer"
      ? {
          type: "token_transfer" as const,
          token_transfer: { recipient: p.recipient, amount: p.amount.toString(), memo: memoJson(p.memoHex) },
        }
      : p.kind === "contract_call"
        ? {
            type: "contract_call" as const,
            contract_call: {
              contract_id: p.contractId,
              function_name: p.functionName,
              function_args: p.args.map(hexRepr),
            },
          }
        : {
            type: "smart_contract" as const,
            smart_contract: { contract_id: p.contractId, clarity_version: p.clarityVersion, source_code: p.code },
          };
  const block = record.block;
  if (!block || record.status === "pending") {
    return {
      ...common,
      receipt_time: record.receivedAt,
      receipt_block_height: 0,
      status: "pending",
      replaced_by_tx_id: null,
      ...payload,
    };
  }
  return {
    ...common,
    block: {
      height: block.height,
      hash: block.hash,
      index_hash: block.indexHash,
      time: block.time,
      tx_index: record.txIndex,
    },
    bitcoin_block: { height: block.burnHeight, time: block.burnTime },
    status: record.status,
    parent_block: { hash: block.parentHash, index_hash: block.parentIndexHash },
    event_count: record.events.length,
    execution_cost: zeroCost,
    vm_error: record.vmError,
    result: { hex: record.resultHex ?? "0x", repr: record.resultRepr ?? "" },
    ...payload,
  };
}

export interface NonceFacts {
  nextConfirmed: bigint;
  pending: bigint[];
}

function nonceSummary({ nextConfirmed, pending }: NonceFacts) {
  const lastExecuted = nextConfirmed > 0n ? Number(nextConfirmed - 1n) : null;
  const lastMempool = pending.length ? Number(pending[pending.length - 1]!) : null;
  const pendingSet = new Set(pending.map(Number));
  const missing: number[] = [];
  if (lastMempool !== null)
    for (let n = Number(nextConfirmed); n < lastMempool; n++) if (!pendingSet.has(n)) missing.push(n);
  const possibleNext = lastMempool !== null ? lastMempool + 1 : Number(nextConfirmed);
  return { lastExecuted, lastMempool, missing, possibleNext, pending: pending.map(Number) };
}

/** GET /extended/v1/address/{principal}/nonces */
export function noncesV1(facts: NonceFacts): ApiNoncesV1 {
  const s = nonceSummary(facts);
  return {
    last_mempool_tx_nonce: s.lastMempool,
    last_executed_tx_nonce: s.lastExecuted,
    possible_next_nonce: s.possibleNext,
    detected_missing_nonces: s.missing,
    detected_mempool_nonces: s.pending,
  };
}

/** GET /extended/v3/principals/{principal}/nonces */
export function noncesV3(facts: NonceFacts): ApiNoncesV3 {
  const s = nonceSummary(facts);
  return {
    next_nonce: s.possibleNext,
    last_confirmed_nonce: s.lastExecuted,
    mempool: { last_nonce: s.lastMempool, pending_nonces: s.pending, missing_nonces: s.missing },
  };
}

/**
 * GET /extended/v2/smart-contracts/{id}/logs: newest first, as the Hiro API orders them. A cursor names a log
 * by its position in the contract's log (oldest = 0), so it stays valid as new logs arrive.
 */
export function contractLogsPage(
  logs: ContractLog[],
  limit: number,
  offset: number,
  cursor: number | null,
): ApiContractLogs {
  const newestFirst = logs.length - 1;
  const start = cursor !== null ? newestFirst - cursor : offset;
  const page = logs.slice(Math.max(0, logs.length - start - limit), Math.max(0, logs.length - start)).reverse();
  const positionOf = (index: number): number => newestFirst - index;
  const toCursor = (position: number): string | null =>
    position >= 0 && position <= newestFirst ? String(position) : null;
  return {
    limit,
    offset: start,
    total: logs.length,
    cursor: page.length ? toCursor(positionOf(start)) : null,
    next_cursor: toCursor(positionOf(start + limit)),
    prev_cursor: start > 0 ? toCursor(Math.min(newestFirst, positionOf(start - limit))) : null,
    results: page.map((log) => ({
      event_index: log.eventIndex,
      event_type: "smart_contract_log" as const,
      tx_id: `0x${log.txid}`,
      contract_log: { contract_id: log.contractId, topic: log.topic, value: { hex: log.hex, repr: log.repr } },
    })),
  };
}

export function blockSummary(block: BlockRecord): DevnetMineResponse["stacks_tip"] {
  return {
    height: block.height,
    hash: block.hash,
    index_hash: block.indexHash,
    burn_block_height: block.burnHeight,
    txs: block.txids.length,
  };
}

/** GET /v2/contracts/interface: the simnet's interface, field by field in the node's shape. */
export function contractInterfaceJson(abi: SimnetContractInterface): NodeContractInterfaceResponse {
  return {
    functions: abi.functions.map((f) => ({
      name: f.name,
      access: f.access,
      args: f.args.map((a) => ({ name: a.name, type: a.type })),
      outputs: { type: f.outputs.type },
    })),
    variables: abi.variables.map((v) => ({ name: v.name, type: v.type, access: v.access })),
    maps: abi.maps.map((m) => ({ name: m.name, key: m.key, value: m.value })),
    fungible_tokens: abi.fungible_tokens.map((t) => ({ name: t.name })),
    non_fungible_tokens: abi.non_fungible_tokens.map((t) => ({ name: t.name, type: t.type })),
    epoch: abi.epoch,
    clarity_version: abi.clarity_version,
  };
}
