// offchain/agents: a robot's side of the LV economy (docs/agents.md). Sell a service for sats, pay other robots,
// convert revenue to LV at the DAO's desk by a revenue policy.
export { AgentError, type AgentErrorCode } from "./errors.ts";
export type {
  DeskPort,
  DeskQuote,
  DeskTrade,
  Invoice,
  Liquidity,
  Payment,
  RobotLightning,
  RobotTapd,
  Side,
  TradeState,
} from "./ports.ts";
export { checkPolicy, decide, lvForBudget, refit, type PolicyDecision, type RevenuePolicy } from "./policy.ts";
export { deskClient, type DeskClientOptions } from "./desk-client.ts";
export { Robot, type ConversionOutcome, type RobotOptions, type RobotStats } from "./robot.ts";
export { lndRobotLightning, tapdRobotTapd } from "./lightning-adapters.ts";
