// GET /market/series: the LV market over time for the members' app, as the DAO node's inbound share, the desk's
// premium and the LV it has sold, sampled by whoever runs the desk (the relay, or `npm run demo:machines`). A
// bounded ring: the newest `capacity` samples, oldest first. Integers travel as decimal strings, like the desk API.

export interface MarketSample {
  /** unix milliseconds */
  at: number;
  /** the DAO node's inbound share, bps (pricing.ts inboundBps) */
  inboundBps: bigint;
  /** the desk's premium at that share, bps (pricing.ts premiumBps) */
  premiumBps: bigint;
  /** LV base units the desk has delivered since it started */
  lvVolume: bigint;
}

export interface MarketSeriesJson {
  samples: { at: number; inboundBps: string; premiumBps: string; lvVolume: string }[];
}

export class MarketSeries {
  private readonly ring: MarketSample[] = [];

  constructor(readonly capacity = 720) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`market series capacity must be a positive integer, got ${capacity}`);
  }

  record(sample: MarketSample): void {
    for (const field of ["inboundBps", "premiumBps", "lvVolume"] as const) {
      if (typeof sample[field] !== "bigint" || sample[field] < 0n)
        throw new RangeError(`market sample ${field} must be a non-negative bigint`);
    }
    if (sample.inboundBps > 10_000n) throw new RangeError("market sample inboundBps must be at most 10000");
    const last = this.ring[this.ring.length - 1];
    if (last && sample.at < last.at) throw new RangeError("market samples must be recorded in time order");
    this.ring.push(sample);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }

  samples(): readonly MarketSample[] {
    return this.ring;
  }

  toJSON(): MarketSeriesJson {
    return {
      samples: this.ring.map((s) => ({
        at: s.at,
        inboundBps: s.inboundBps.toString(),
        premiumBps: s.premiumBps.toString(),
        lvVolume: s.lvVolume.toString(),
      })),
    };
  }
}
