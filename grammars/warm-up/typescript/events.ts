// Ananke grammar warm-up text: original code, not part of the build.

export type Listener<T> = (payload: T) => void | Promise<void>;
type EventKey<M> = Extract<keyof M, string>;

interface Subscription<T> {
  listener: Listener<T>;
  once: boolean;
  priority: number;
}

/**
 * A small strongly typed event hub. Listeners run in priority order
 * (higher first); errors are collected and reported to `onError`.
 */
export class EventHub<Events extends { [K in keyof Events]: unknown }> {
  private readonly subscriptions = new Map<keyof Events, Subscription<any>[]>();
  onError: (error: unknown, name: keyof Events) => void = (error, name) => {
    console.error(`[events] listener for "${String(name)}" threw`, error);
  };

  on<K extends EventKey<Events>>(name: K, listener: Listener<Events[K]>, priority = 0): () => void {
    return this.add(name, { listener, once: false, priority });
  }

  once<K extends EventKey<Events>>(name: K, listener: Listener<Events[K]>): () => void {
    return this.add(name, { listener, once: true, priority: 0 });
  }

  off<K extends EventKey<Events>>(name: K, listener?: Listener<Events[K]>): void {
    if (listener === undefined) {
      this.subscriptions.delete(name);
      return;
    }
    const list = this.subscriptions.get(name);
    if (!list) return;
    const remaining = list.filter((sub) => sub.listener !== listener);
    remaining.length ? this.subscriptions.set(name, remaining) : this.subscriptions.delete(name);
  }

  emit<K extends EventKey<Events>>(name: K, payload: Events[K]): number {
    const list = this.subscriptions.get(name);
    if (!list || list.length === 0) return 0;

    let called = 0;
    for (const sub of [...list]) {
      if (sub.once) this.off(name, sub.listener);
      try {
        const result = sub.listener(payload);
        if (result instanceof Promise) {
          result.catch((error: unknown) => this.onError(error, name));
        }
        called += 1;
      } catch (error) {
        this.onError(error, name);
      }
    }
    return called;
  }

  /** Resolves with the next payload for `name`, or rejects after `timeoutMs`. */
  waitFor<K extends EventKey<Events>>(name: K, timeoutMs = 5000): Promise<Events[K]> {
    return new Promise<Events[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        dispose();
        reject(new Error(`Timed out waiting for "${name}" after ${timeoutMs}ms`));
      }, timeoutMs);
      const dispose = this.once(name, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  }

  async *stream<K extends EventKey<Events>>(name: K, signal?: AbortSignal): AsyncGenerator<Events[K]> {
    const queue: Events[K][] = [];
    let wake: (() => void) | null = null;
    const dispose = this.on(name, (payload) => {
      queue.push(payload);
      wake?.();
    });
    try {
      while (!signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            signal?.addEventListener("abort", () => resolve(), { once: true });
          });
          wake = null;
          continue;
        }
        yield queue.shift()!;
      }
    } finally {
      dispose();
    }
  }

  private add<K extends keyof Events>(name: K, sub: Subscription<Events[K]>): () => void {
    const list = this.subscriptions.get(name) ?? [];
    const index = list.findIndex((existing) => existing.priority < sub.priority);
    if (index === -1) list.push(sub);
    else list.splice(index, 0, sub);
    this.subscriptions.set(name, list);
    return () => this.off(name as EventKey<Events> & K, sub.listener);
  }
}
