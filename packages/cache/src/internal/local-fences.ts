/** One read or load in progress: `invalidated` turns true when its key is invalidated. */
export interface LocalFence {
  readonly key: string;
  invalidated: boolean;
}

/**
 * The reads and loads in progress in this process, by key, so an invalidation that happens
 * while one is in flight (a local `set`/`delete`/`clear`, or one delivered by the bus) keeps
 * it from writing what it read or produced into L1 or L2 afterwards. Costs one map entry per
 * key with a read in flight; nothing per cached key.
 */
export class LocalFences {
  /** One fence, or a set of them when several reads of a key overlap. */
  readonly #byKey = new Map<string, LocalFence | Set<LocalFence>>();

  /** Registers a read or load of `key`; call {@link LocalFences.end} when it is done. */
  begin(key: string): LocalFence {
    const fence: LocalFence = { key, invalidated: false };
    const current = this.#byKey.get(key);
    if (current === undefined) this.#byKey.set(key, fence);
    else if (current instanceof Set) current.add(fence);
    else this.#byKey.set(key, new Set([current, fence]));
    return fence;
  }

  /** Unregisters a fence. */
  end(fence: LocalFence): void {
    const current = this.#byKey.get(fence.key);
    if (current === fence) {
      this.#byKey.delete(fence.key);
    } else if (current instanceof Set) {
      current.delete(fence);
      if (current.size === 0) this.#byKey.delete(fence.key);
    }
  }

  /** Invalidates the fences of `keys`, or of every key. */
  invalidate(keys: readonly string[] | 'all'): void {
    if (keys === 'all') {
      for (const fences of this.#byKey.values()) invalidateAll(fences);
      return;
    }
    for (const key of keys) {
      const fences = this.#byKey.get(key);
      if (fences !== undefined) invalidateAll(fences);
    }
  }

  /** Number of keys with a read in flight (for tests). */
  get size(): number {
    return this.#byKey.size;
  }
}

function invalidateAll(fences: LocalFence | Set<LocalFence>): void {
  if (fences instanceof Set) for (const fence of fences) fence.invalidated = true;
  else fences.invalidated = true;
}
