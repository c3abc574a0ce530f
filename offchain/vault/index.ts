// The DAO's Taproot vault: keys, descriptor, addresses, spend builders, signing and size estimates.
export * from "./descriptor.ts";
export * from "./keys.ts";
export * from "./sign.ts";
export * from "./spend.ts";
export * from "./weights.ts";
export * from "./chain.ts";
