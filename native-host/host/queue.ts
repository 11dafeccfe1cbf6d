// One queue per token: requests with the same key run one after another, in arrival order. PKCS#11 tokens do one
// thing at a time, and a second login while a PIN pad waits confuses most of them.

export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it under `key`; resolves when it has finished. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task).catch(() => undefined);
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every task queued so far under a key that `match` accepts has finished. */
  drain(match: (key: string) => boolean): Promise<void> {
    const waits = [...this.tails.entries()].filter(([k]) => match(k)).map(([, p]) => p);
    return Promise.all(waits).then(() => undefined);
  }

  get size(): number {
    return this.tails.size;
  }
}
