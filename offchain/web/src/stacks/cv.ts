// The app reads Clarity values with the checked reader it shares with the relay (offchain/chain/clarity-values.ts).
export * from "../../../chain/clarity-values.ts";
