/** A `set` that has been called but has not written yet (it is reading its tags' versions). */
interface PendingSet {
  readonly ticket: number;
  readonly value: unknown;
  readonly tags: readonly string[];
}

/** What is known about one key while a `set` of it is pending. */
interface KeyState {
  /** The latest ticket that took effect on the key (a write or a delete). */
  appliedTicket: number;
  /** The latest `set` called and not yet written: what reads must see meanwhile. */
  latest: PendingSet | undefined;
  /** How many `set` calls of the key are pending. */
  pending: number;
}

/**
 * Keeps the operations on one key in program order. Deletes, `clear` and `set` without tags
 * take effect synchronously, when called. A `set` with tags must first read its tags'
 * versions (asynchronously): it takes a ticket when called and, once ready, writes only if
 * no later operation on the key has taken effect meanwhile — else it has been overwritten
 * already, exactly as if it had written first. Until it writes, reads of the key see its
 * value, and a `deleteByTag` of one of its tags deletes the key (the value was written, then
 * invalidated). Only keys with a pending `set` are remembered.
 */
export class KeyOrder {
  #tickets = 0;
  #clearedAt = 0;
  readonly #keys = new Map<string, KeyState>();

  /** Registers a `set` of `key` about to read its tags' versions; returns its ticket. */
  begin(key: string, value: unknown, tags: readonly string[]): number {
    this.#tickets += 1;
    const ticket = this.#tickets;
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { appliedTicket: 0, latest: undefined, pending: 0 };
      this.#keys.set(key, state);
    }
    state.latest = { ticket, value, tags };
    state.pending += 1;
    return ticket;
  }

  /**
   * Ends a pending `set`. With `apply`, says whether it may write now (no later operation on
   * its key took effect); the caller then writes synchronously. Without, it is withdrawn.
   */
  settle(key: string, ticket: number, apply: boolean): boolean {
    const state = this.#keys.get(key);
    if (state === undefined) return false;
    const allowed = apply && ticket > state.appliedTicket && ticket > this.#clearedAt;
    if (allowed) state.appliedTicket = ticket;
    if (state.latest?.ticket === ticket) state.latest = undefined;
    state.pending -= 1;
    if (state.pending === 0) this.#keys.delete(key);
    return allowed;
  }

  /** Records operations taking effect now on `keys` (a delete, a `set` without tags). */
  overwrite(keys: readonly string[]): void {
    if (this.#keys.size === 0) return;
    for (const key of keys) {
      const state = this.#keys.get(key);
      if (state === undefined) continue;
      this.#tickets += 1;
      state.appliedTicket = this.#tickets;
      state.latest = undefined;
    }
  }

  /** Records a `clear` taking effect now: every pending `set` is overwritten. */
  clear(): void {
    this.#tickets += 1;
    this.#clearedAt = this.#tickets;
    for (const state of this.#keys.values()) state.latest = undefined;
  }

  /** The value of the latest pending `set` of `key`, when its latest operation is one. */
  pending(key: string): { readonly value: unknown } | undefined {
    if (this.#keys.size === 0) return undefined;
    return this.#keys.get(key)?.latest;
  }

  /** Splits keys into those a pending `set` answers (with its value) and the rest. */
  split(keys: readonly string[]): { answered: Map<string, unknown>; rest: string[] } {
    const answered = new Map<string, unknown>();
    const rest: string[] = [];
    for (const key of keys) {
      const pending = this.pending(key);
      if (pending === undefined) rest.push(key);
      else answered.set(key, pending.value);
    }
    return { answered, rest };
  }

  /** The keys whose latest pending `set` carries one of `tags` (a `deleteByTag` must delete them). */
  taggedWith(tags: readonly string[]): string[] {
    if (this.#keys.size === 0) return [];
    const wanted = new Set(tags);
    const keys: string[] = [];
    for (const [key, state] of this.#keys) {
      if (state.latest?.tags.some((tag) => wanted.has(tag)) === true) keys.push(key);
    }
    return keys;
  }
}
