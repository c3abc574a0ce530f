// Whether the DAO still has this relay enabled (execution-queue.is-relay). A relay the DAO disabled by a relay-set
// proposal must not keep claiming actions or sending its reports (every one fails with ERR_NOT_RELAY and costs a
// fee): the executor and the monitors ask here first and idle while it says no. The answer is read at most once per
// `ttlMs`; a failed read keeps the last answer (a relay that cannot read the chain cannot act on it either). Each
// change is logged once, not every round.
import type { Logger } from "../log.ts";

export interface EnablementOptions {
  /** execution-queue.is-relay for this relay's address */
  read: () => Promise<boolean>;
  log: Logger;
  address: string;
  ttlMs: number;
  now?: () => number;
}

export class RelayEnablement {
  private known = true;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<boolean> | undefined;

  constructor(private readonly o: EnablementOptions) {}

  /** True while the DAO has this relay enabled (and until the first read says otherwise). */
  async enabled(): Promise<boolean> {
    const now = (this.o.now ?? Date.now)();
    if (now - this.readAt < this.o.ttlMs) return this.known;
    this.reading ??= this.refresh(now).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async refresh(now: number): Promise<boolean> {
    let answer: boolean;
    try {
      answer = await this.o.read();
    } catch (error) {
      this.o.log.debug("could not read whether this relay is enabled", { error: (error as Error).message });
      return this.known;
    }
    this.readAt = now;
    if (answer !== this.known) {
      if (answer)
        this.o.log.info("this relay is enabled again: resuming claims and reports", { address: this.o.address });
      else
        this.o.log.warn(
          "this relay is disabled by the DAO (execution-queue.is-relay is false): idling, with no claims and no " +
            "reports, until a relay-set proposal enables it again",
          { address: this.o.address },
        );
    }
    this.known = answer;
    return answer;
  }
}
