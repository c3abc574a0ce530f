// Transaction events in the three shapes the node emulation speaks: the simnet's own (input), the Stacks node's
// event-observer shape (POST /new_block), and the Hiro API's transaction-event shape (/extended routes).
import { Cl, cvToString, serializeCV, type ClarityValue } from "@stacks/transactions";
import type { ApiTxEvent } from "./api-types.ts";

export interface SimEvent {
  event: string;
  // The simnet's event payloads are untyped JSON objects.
  // biome-ignore lint/suspicious/noExplicitAny: simnet event payloads are untyped JSON
  data: Record<string, any> & { raw_value?: string; value?: ClarityValue };
}

interface ObserverEventBase {
  txid: string;
  event_index: number;
  committed: boolean;
}
export type ObserverEvent = ObserverEventBase &
  (
    | {
        type: "contract_event";
        contract_event: { contract_identifier: string; topic: string; value: unknown; raw_value: string };
      }
    | {
        type: "stx_transfer_event";
        stx_transfer_event: { sender: string; recipient: string; amount: string; memo: string };
      }
    | { type: "stx_mint_event"; stx_mint_event: { recipient: string; amount: string } }
    | { type: "stx_burn_event"; stx_burn_event: { sender: string; amount: string } }
    | {
        type: "ft_transfer_event";
        ft_transfer_event: { asset_identifier: string; sender: string; recipient: string; amount: string };
      }
    | { type: "ft_mint_event"; ft_mint_event: { asset_identifier: string; recipient: string; amount: string } }
    | { type: "ft_burn_event"; ft_burn_event: { asset_identifier: string; sender: string; amount: string } }
    | {
        type: "nft_transfer_event";
        nft_transfer_event: {
          asset_identifier: string;
          sender: string;
          recipient: string;
          value: unknown;
          raw_value: string;
        };
      }
    | {
        type: "nft_mint_event";
        nft_mint_event: { asset_identifier: string; recipient: string; value: unknown; raw_value: string };
      }
    | {
        type: "nft_burn_event";
        nft_burn_event: { asset_identifier: string; sender: string; value: unknown; raw_value: string };
      }
  );

function rawValue(data: SimEvent["data"]): string {
  if (typeof data.raw_value === "string")
    return data.raw_value.startsWith("0x") ? data.raw_value : `0x${data.raw_value}`;
  if (data.value) return `0x${serializeCV(data.value)}`;
  throw new Error("event without a Clarity value");
}

function clarityOf(data: SimEvent["data"]): ClarityValue {
  return data.value ?? Cl.deserialize(rawValue(data));
}

/** Node event-observer form; `value` carries the value as @stacks/transactions JSON, readers should use raw_value. */
export function toObserverEvent(event: SimEvent, txid: string, eventIndex: number): ObserverEvent | null {
  const base = { txid, event_index: eventIndex, committed: true };
  const d = event.data;
  switch (event.event) {
    case "print_event":
      return {
        ...base,
        type: "contract_event",
        contract_event: {
          contract_identifier: d.contract_identifier,
          topic: d.topic ?? "print",
          value: null,
          raw_value: rawValue(d),
        },
      };
    case "stx_transfer_event":
      return {
        ...base,
        type: "stx_transfer_event",
        stx_transfer_event: { sender: d.sender, recipient: d.recipient, amount: String(d.amount), memo: d.memo ?? "" },
      };
    case "stx_mint_event":
      return { ...base, type: "stx_mint_event", stx_mint_event: { recipient: d.recipient, amount: String(d.amount) } };
    case "stx_burn_event":
      return { ...base, type: "stx_burn_event", stx_burn_event: { sender: d.sender, amount: String(d.amount) } };
    case "ft_transfer_event":
      return {
        ...base,
        type: "ft_transfer_event",
        ft_transfer_event: {
          asset_identifier: d.asset_identifier,
          sender: d.sender,
          recipient: d.recipient,
          amount: String(d.amount),
        },
      };
    case "ft_mint_event":
      return {
        ...base,
        type: "ft_mint_event",
        ft_mint_event: { asset_identifier: d.asset_identifier, recipient: d.recipient, amount: String(d.amount) },
      };
    case "ft_burn_event":
      return {
        ...base,
        type: "ft_burn_event",
        ft_burn_event: { asset_identifier: d.asset_identifier, sender: d.sender, amount: String(d.amount) },
      };
    case "nft_transfer_event":
      return {
        ...base,
        type: "nft_transfer_event",
        nft_transfer_event: {
          asset_identifier: d.asset_identifier,
          sender: d.sender,
          recipient: d.recipient,
          value: null,
          raw_value: rawValue(d),
        },
      };
    case "nft_mint_event":
      return {
        ...base,
        type: "nft_mint_event",
        nft_mint_event: {
          asset_identifier: d.asset_identifier,
          recipient: d.recipient,
          value: null,
          raw_value: rawValue(d),
        },
      };
    case "nft_burn_event":
      return {
        ...base,
        type: "nft_burn_event",
        nft_burn_event: { asset_identifier: d.asset_identifier, sender: d.sender, value: null, raw_value: rawValue(d) },
      };
    default:
      return null;
  }
}

export function hexRepr(value: ClarityValue): { hex: string; repr: string } {
  return { hex: `0x${serializeCV(value)}`, repr: cvToString(value) };
}

/** Hiro API (v1 transaction, v2 logs) form. */
export function toApiEvent(event: SimEvent, txid: string, eventIndex: number): ApiTxEvent | null {
  const d = event.data;
  const base = { event_index: eventIndex, tx_id: txid };
  const kind = (name: string): "transfer" | "mint" | "burn" =>
    name.endsWith("mint_event") ? "mint" : name.endsWith("burn_event") ? "burn" : "transfer";
  switch (event.event) {
    case "print_event":
      return {
        ...base,
        event_type: "smart_contract_log",
        contract_log: { contract_id: d.contract_identifier, topic: d.topic ?? "print", value: hexRepr(clarityOf(d)) },
      };
    case "stx_transfer_event":
    case "stx_mint_event":
    case "stx_burn_event":
      return {
        ...base,
        event_type: "stx_asset",
        asset: {
          asset_event_type: kind(event.event),
          sender: d.sender ?? "",
          recipient: d.recipient ?? "",
          amount: String(d.amount),
          ...(d.memo ? { memo: d.memo } : {}),
        },
      };
    case "ft_transfer_event":
    case "ft_mint_event":
    case "ft_burn_event":
      return {
        ...base,
        event_type: "fungible_token_asset",
        asset: {
          asset_event_type: kind(event.event),
          asset_id: d.asset_identifier,
          sender: d.sender ?? "",
          recipient: d.recipient ?? "",
          amount: String(d.amount),
        },
      };
    case "nft_transfer_event":
    case "nft_mint_event":
    case "nft_burn_event":
      return {
        ...base,
        event_type: "non_fungible_token_asset",
        asset: {
          asset_event_type: kind(event.event),
          asset_id: d.asset_identifier,
          sender: d.sender ?? "",
          recipient: d.recipient ?? "",
          value: hexRepr(clarityOf(d)),
        },
      };
    default:
      return null;
  }
}
