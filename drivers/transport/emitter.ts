/**
 * A tiny typed event emitter shared by every driver: `on` returns the function
 * that removes the listener, and a throwing listener never breaks the emitter
 * (its error is re-thrown on a later tick, where the process can see it).
 */
export type Listener<T> = (value: T) => void;

export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  on<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn as Listener<never>);
    return () => this.off(event, fn);
  }

  off<K extends keyof E>(event: K, fn: Listener<E[K]>): void {
    this.listeners.get(event)?.delete(fn as Listener<never>);
  }

  /** resolves with the next event of this kind that passes `accept`, or rejects after `timeoutMs` */
  next<K extends keyof E>(event: K, timeoutMs: number, accept: (v: E[K]) => boolean = () => true): Promise<E[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no '${String(event)}' event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(event, (v) => {
        if (!accept(v)) return;
        clearTimeout(timer);
        off();
        resolve(v);
      });
    });
  }

  protected emit<K extends keyof E>(event: K, value: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as Listener<E[K]>)(value);
      } catch (e) {
        setImmediate(() => {
          throw e;
        });
      }
    }
  }
}
