// The execution queue's history from its print events (docs/events.md, execution-queue): which actions were
// queued, and each one's claims, receipts, failures, expiry or veto, with the transaction that recorded it. The
// authoritative current status comes from execution-queue.get-action; these events are the receipts behind it.
import { Cl } from "@stacks/transactions";
import type { LogEntry } from "./api.ts";
import { Fields } from "./cv.ts";

export type QueueStep =
  | { topic: "action-queued"; txid: string; eta: bigint; expires: bigint }
  | { topic: "action-claimed"; txid: string; relay: string; claimExpires: bigint; attempts: bigint }
  | { topic: "action-executed"; txid: string; relay: string; evidenceHex: string }
  | {
      topic: "action-failed";
      txid: string;
      relay: string;
      code: bigint;
      retryable: boolean;
      detail: string;
      attempts: bigint;
      final: boolean;
    }
  | { topic: "action-expired"; txid: string }
  | { topic: "action-vetoed"; txid: string };

export interface QueueHistory {
  id: bigint;
  kind: string;
  steps: QueueStep[];
}

export interface AutonomousAction {
  txid: string;
  policyId: bigint;
  kind: string;
  amount: bigint;
  evidenceHex: string;
  period: bigint;
  spent: bigint;
  relay: string;
}

export interface QueueLog {
  /** Newest queued first. */
  actions: QueueHistory[];
  /** Newest first. */
  autonomous: AutonomousAction[];
}

/** Builds the queue's history from execution-queue's events, oldest first as allLogs returns them. */
export function queueFromLogs(entries: LogEntry[]): QueueLog {
  const byId = new Map<bigint, QueueHistory>();
  const autonomous: AutonomousAction[] = [];
  for (const entry of entries) {
    const value = Cl.deserialize(entry.hex.replace(/^0x/, ""));
    if (value.type !== "tuple") continue;
    const f = new Fields(value, "execution-queue event");
    if (!f.has("topic")) continue;
    const topic = f.string("topic");
    const txid = entry.txid;
    if (topic === "autonomous-action") {
      autonomous.push({
        txid,
        policyId: f.uint("policy-id"),
        kind: f.string("kind"),
        amount: f.uint("amount"),
        evidenceHex: f.hex("evidence"),
        period: f.uint("period"),
        spent: f.uint("spent"),
        relay: f.principal("relay"),
      });
      continue;
    }
    if (!topic.startsWith("action-")) continue;
    const id = f.uint("id");
    if (topic === "action-queued") {
      byId.set(id, {
        id,
        kind: f.string("kind"),
        steps: [{ topic, txid, eta: f.uint("eta"), expires: f.uint("expires") }],
      });
      continue;
    }
    const history = byId.get(id);
    if (!history) continue; // an event of an action queued before the pages we read
    switch (topic) {
      case "action-claimed":
        history.steps.push({
          topic,
          txid,
          relay: f.principal("relay"),
          claimExpires: f.uint("claim-expires"),
          attempts: f.uint("attempts"),
        });
        break;
      case "action-executed":
        history.steps.push({ topic, txid, relay: f.principal("relay"), evidenceHex: f.hex("evidence") });
        break;
      case "action-failed":
        history.steps.push({
          topic,
          txid,
          relay: f.principal("relay"),
          code: f.uint("code"),
          retryable: f.bool("retryable"),
          detail: f.string("detail"),
          attempts: f.uint("attempts"),
          final: f.bool("final"),
        });
        break;
      case "action-expired":
      case "action-vetoed":
        history.steps.push({ topic, txid });
        break;
    }
  }
  return { actions: [...byId.values()].reverse(), autonomous: autonomous.reverse() };
}
