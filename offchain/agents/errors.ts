// Every failure an agent reports is an AgentError: a stable code and a reason. Desk refusals keep the desk's own
// code (`quote-expired`, `over-limit`, ...), prefixed `desk:`.

export type AgentErrorCode =
  /** Bad robot configuration or arguments, caught before anything was asked of a daemon or the desk. */
  | "invalid-config"
  /** The desk answered with an error (`desk:<code>` in `deskCode`) or could not be reached. */
  | "desk"
  /** The desk's answer does not have the shape of the desk API. */
  | "desk-answer"
  /** The desk's invoice asks for another amount than its quote: nothing was paid. */
  | "invoice-mismatch"
  /** The desk's quote costs more than the policy's budget even after refitting: nothing was bought. */
  | "over-budget"
  /** The trade did not reach a final state in time; the payment's own outcome decides what moved. */
  | "trade-timeout"
  /** The trade ended cancelled, refunded or failed: the desk gave the sats back (the hold invoice was cancelled). */
  | "trade-failed"
  /** The robot was stopped. */
  | "stopped";

export class AgentError extends Error {
  override name = "AgentError";

  constructor(
    readonly code: AgentErrorCode,
    readonly reason: string,
    /** the desk's error code, for code "desk" */
    readonly deskCode?: string,
  ) {
    super(`${code}${deskCode ? ` (${deskCode})` : ""}: ${reason}`);
  }
}
