// A loop that runs a round, sleeps, and runs again until stopped; poke() cuts the sleep short (new work arrived).
// The executor and the log watcher run on it, and the workers can too. A round that throws is reported and the
// loop goes on: one failed poll must not end the relay.

export class Poller {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** a poke arrived while a round ran: run again at once instead of sleeping */
  private poked = false;

  /** `round` returns true when it should run again at once (there is more to do). */
  constructor(
    private readonly round: () => Promise<boolean | void>,
    private readonly intervalMs: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        this.poked = false;
        try {
          if ((await this.round()) === true) continue;
        } catch (error) {
          this.onError(error);
        }
        if (!this.running) break;
        if (this.poked) continue;
        await new Promise<void>((resume) => {
          const timer = setTimeout(resume, this.intervalMs());
          this.wake = () => {
            clearTimeout(timer);
            this.wake = undefined;
            resume();
          };
        });
      }
    })();
  }

  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
