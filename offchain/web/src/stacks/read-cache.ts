// Read-only results kept for one chain tip. A read-only call answers the same for the same arguments until a new
// block, so every page, panel and account bar asking for it in one block shares one request; a new tip starts a
// new generation. Failed reads are dropped so they are tried again.

export class TipCache {
  private tipKey: string | null = null;
  private entries = new Map<string, Promise<unknown>>();

  /** Starts a new generation when the tip moved; reads in flight for the old tip are not kept. */
  observe(tipKey: string): void {
    if (tipKey === this.tipKey) return;
    this.tipKey = tipKey;
    this.entries.clear();
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit as Promise<T>;
    const promise = load();
    this.entries.set(key, promise);
    promise.catch(() => {
      if (this.entries.get(key) === promise) this.entries.delete(key);
    });
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }
}
