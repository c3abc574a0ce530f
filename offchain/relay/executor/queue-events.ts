// What the executor does with the chain's events: a queued relay action becomes a journal job; an action that ended
// on-chain without this relay closes its waiting job; a retryable failure (by any relay) reopens a finished job for
// the next attempt; a new proposal of a relay kind is checked early, so operators see a coming 400 or 403 before
// the vote ends.
import { isRelayKind } from "../../actions/index.ts";
import type { ActionDecoder } from "../actions.ts";
import type { RelayConfig } from "../config.ts";
import { PermanentFailure } from "../failure.ts";
import { TERMINAL_STATES, type Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { ContractEvent, EventRouter } from "../stacks/events.ts";
import { HANDLERS } from "./kinds/index.ts";
import { checkLimits } from "./limits.ts";

export interface QueueEventOptions {
  journal: Journal;
  decode: ActionDecoder;
  limits: RelayConfig["limits"];
  log: Logger;
  now: () => number;
  /** called when new work arrived */
  onWork: () => void;
}

export function registerQueueEvents(router: EventRouter, o: QueueEventOptions): void {
  router.on("execution-queue", "action-queued", async (event) => {
    const kind = event.fields.string("kind");
    if (!isRelayKind(kind)) return;
    const id = event.fields.uint("id");
    const added = await o.journal.actions.insertSeen(
      {
        id,
        kind,
        payloadHex: event.fields.hex("payload"),
        eta: Number(event.fields.uint("eta")),
        expires: Number(event.fields.uint("expires")),
        attempt: 0,
      },
      o.now(),
    );
    if (added) {
      o.log.info("action queued", { id, kind });
      o.onWork();
    }
  });

  /** A job still waiting to be claimed closes when its action ends on-chain; one this relay claimed finds out itself. */
  const closeIfWaiting = async (id: bigint, reason: string, detail: string): Promise<void> => {
    const row = await o.journal.actions.get(id);
    if (row?.state === "seen" && !row.claimTxid) await o.journal.actions.close(id, "seen", reason, o.now(), detail);
  };
  const closeOn = (reason: string) => (event: ContractEvent) =>
    closeIfWaiting(event.fields.uint("id"), reason, `${event.topic} on-chain`);
  router.on("execution-queue", "action-executed", closeOn("executed"));
  router.on("execution-queue", "action-expired", closeOn("expired"));
  router.on("execution-queue", "action-vetoed", closeOn("vetoed"));

  router.on("execution-queue", "action-failed", async (event) => {
    const id = event.fields.uint("id");
    const row = await o.journal.actions.get(id);
    if (!row) return;
    if (event.fields.bool("final")) {
      await closeIfWaiting(id, "failed", "action-failed on-chain");
      return;
    }
    const attempts = Number(event.fields.uint("attempts"));
    if (TERMINAL_STATES.includes(row.state) && row.attempt < attempts) {
      await o.journal.actions.requeue(
        id,
        row.state,
        { attempt: attempts, retryAt: 0 },
        o.now(),
        `requeued on-chain (attempt ${attempts})`,
      );
      o.onWork();
    }
  });

  router.on("proposals", "proposal-created", async (event) => {
    const kind = event.fields.string("kind");
    const id = event.fields.uint("id");
    if (!isRelayKind(kind)) {
      await o.journal.proposals.note({ id, kind, verdict: "not-relay", detail: null }, o.now());
      return;
    }
    try {
      const action = o.decode(kind, Buffer.from(event.fields.hex("payload"), "hex"));
      const refusal = checkLimits(action, o.limits, HANDLERS[action.kind].onchainSpend(action as never), 0n);
      await o.journal.proposals.note(
        { id, kind, verdict: refusal ? "over-limit" : "ok", detail: refusal?.reason ?? null },
        o.now(),
      );
      if (refusal)
        o.log.warn("a proposal is over this relay's operator limits; if it passes it will fail with 403", {
          id,
          kind,
          reason: refusal.reason,
        });
    } catch (error) {
      const reason = error instanceof PermanentFailure ? error.reason : (error as Error).message;
      await o.journal.proposals.note({ id, kind, verdict: "invalid", detail: reason }, o.now());
      o.log.warn("a proposal's payload fails the relay's validation; if it passes it will fail with 400", {
        id,
        kind,
        reason,
      });
    }
  });
}
