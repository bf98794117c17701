/** Runs async work one after another per key, in this process (keyv has no compare-and-set). */
export interface Serializer {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Waits for everything queued so far. */
  drain(): Promise<void>;
}

export function createSerializer(): Serializer {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(work, work);
      const tail = next.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
    async drain(): Promise<void> {
      await Promise.all([...tails.values()]);
    },
  };
}
