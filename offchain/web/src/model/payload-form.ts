// The propose form's model, driven by the codec: each kind's fields come from PAYLOAD_TYPES, the draft is the
// codec's JSON form (docs/design.md section 3's field names), and turning a draft into a payload goes through
// actionFromJson, validateAction (with the live dao-settings bounds) and encodeActionHex. Nothing here knows a kind
// by hand except for display hints.
import {
  ActionError,
  LV_WALLETS,
  PAYLOAD_TYPES,
  SETTINGS,
  actionFromJson,
  actionToJson,
  encodeActionHex,
  validateAction,
  type Action,
  type ActionKind,
  type FieldType,
  type Json,
  type PayloadBounds,
} from "../../../actions/index.ts";
import { EXAMPLES } from "../../../actions/examples.ts";
import { formatGt } from "./amounts.ts";

export type Draft = { [key: string]: Json };
export type Path = (string | number)[];

/** The value a new, empty field starts with in the JSON form. */
export function emptyValue(type: FieldType): Json {
  switch (type.t) {
    case "uint":
    case "ascii":
    case "buff":
    case "principal":
      return "";
    case "bool":
      return false;
    case "optional":
      return null;
    case "list":
      return [];
    case "tuple":
      return Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, emptyValue(field)]));
  }
}

export function emptyDraft(kind: ActionKind): Draft {
  return emptyValue({ t: "tuple", fields: PAYLOAD_TYPES[kind] }) as Draft;
}

/** The codec's example action of the kind, in JSON form. */
export function exampleDraft(kind: ActionKind): Draft {
  const example = EXAMPLES.find((action) => action.kind === kind);
  return example ? actionToJson(example) : emptyDraft(kind);
}

/** A copy of `value` with the element at `path` replaced. */
export function setAt(value: Json, path: Path, next: Json): Json {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === "number") {
    const copy = value.slice();
    copy[head] = setAt(value[head] ?? null, rest, next);
    return copy;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && typeof head === "string") {
    return { ...value, [head]: setAt(value[head] ?? null, rest, next) };
  }
  throw new Error(`no field at ${path.join(".")}`);
}

export type DraftResult = { ok: true; action: Action; payloadHex: string } | { ok: false; error: ActionError };

/** The draft as a validated action and its consensus bytes, or the codec's first complaint (code and field). */
export function draftToAction(kind: ActionKind, draft: Json, bounds: PayloadBounds): DraftResult {
  try {
    const action = validateAction(actionFromJson(kind, draft), bounds);
    return { ok: true, action, payloadHex: encodeActionHex(action) };
  } catch (error) {
    if (error instanceof ActionError) return { ok: false, error };
    throw error;
  }
}

/** A unit or format hint for a field, for the label. */
export function fieldHint(kind: ActionKind, name: string, type: FieldType, draft?: Draft): string | null {
  if (kind === "contract-proposal" && name === "code-hash")
    return "SHA-512/256 of the contract's source, 32 bytes hex; filled from the deployed contract";
  if (kind === "vault-set" && name === "descriptor-hash")
    return "sha256 of the descriptor text as lvdao vault prints it, 32 bytes hex";
  if (kind === "vault-set" && (name.endsWith("-key") || name === "guardian-keys"))
    return "extended public keys: the 78 serialized bytes as hex (base58check payload without its checksum)";
  if (type.t === "buff") return `hex, up to ${type.max} bytes`;
  if (kind === "setting" && name === "value") {
    const key = typeof draft?.key === "string" ? SETTINGS[draft.key] : undefined;
    return key ? `${key.unit}, ${key.min} to ${key.max}` : null;
  }
  if ((kind === "gt-grant" || kind === "treasury-transfer") && name === "amount") return gtHint(draft?.amount);
  if (kind === "lv-transfer" && name === "amount") return "LV units";
  if (name === "guardian-threshold") return "k of the guardian keys";
  if (name === "recovery-older" || name === "last-resort-older") return "blocks (relative timelock)";
  if (name === "max-trade-lv" || name === "max-period-lv") return "LV base units";
  if (name === "quote-ttl") return "seconds";
  if (kind === "lv-pricing" && name === "period") return "Stacks blocks";
  if (name === "max-fee-rate") return "sat/vB";
  if (name === "budget-period") return "burn blocks";
  if (name === "cltv-delta") return "blocks";
  if (name.endsWith("-sats")) return "sats";
  if (name.endsWith("-msat")) return "msat";
  if (name.endsWith("-ppm") || name === "inbound-ppm-discount") return "ppm";
  if (name.endsWith("-bps")) return "bps";
  if (name.endsWith("-pct")) return "%";
  return null;
}

/** GT amounts are typed in base units; the hint shows the GT they make once the text is a whole number. */
function gtHint(value: Json | undefined): string {
  const unit = "GT base units (10^-6 GT)";
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^\d+$/.test(text) ? `${unit}: ${formatGt(BigInt(text))} GT` : unit;
}

/** Known values to offer for a field (a datalist), when the payload rules name them. */
export function fieldSuggestions(kind: ActionKind, name: string): readonly string[] {
  if (kind === "setting" && name === "key") return Object.keys(SETTINGS);
  if (kind === "lv-transfer" && (name === "from" || name === "to")) return LV_WALLETS;
  return [];
}

/** A list of buffers typed one per line. */
export function linesToList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
