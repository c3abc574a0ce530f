// The app reads Clarity values with the checked reader it shares with the relay (offchain/clarity/clarity-values.ts).
export * from "../../../clarity/clarity-values.ts";
