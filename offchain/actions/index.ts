// lvdao's action payload codec: typed object <-> Clarity tuple <-> consensus bytes, the JSON form, and the
// payload rules. Shared by the relay, the web app and the CLI; browser-safe (no Node APIs).
export * from "./kinds.ts";
export type * from "./types.ts";
export { ActionError, type ActionErrorName } from "./errors.ts";
export { toClarityValue, fromClarityValue, describe as describeType } from "./clarity.ts";
export { encodeAction, encodeActionHex, decodeAction, bytesToHex, hexToBytes, MAX_PAYLOAD_BYTES } from "./bytes.ts";
export { actionFromJson, actionToJson, type Json } from "./json.ts";
export { validateAction, checkSetting, requestedAmount, isPubkey, POOL } from "./validate.ts";
export { SETTINGS, DEFAULT_SETTINGS, type SettingSpec, type PayloadBounds } from "./settings.ts";
export { codeHash } from "./code-hash.ts";
export { FIELD_UNITS, kindFields, type FieldLine } from "./units.ts";
export { bodyHash, bodyProblem, linkProblem, BODY_MAX_CHARS, LINK_MAX_CHARS } from "./proposal-text.ts";
export { contractCalls, type ContractCalls, type CalledContract, type TraitCall } from "./contract-calls.ts";
export { proposalCode, describeProposalCode, type ProposalCode } from "./proposal-code.ts";
