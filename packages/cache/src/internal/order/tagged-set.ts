import type { LoadSettings } from '../loader.ts';
import type { PreparedWrite } from '../record-codec.ts';
import type { TagVersions } from '../tag-versions.ts';
import type { Tiers } from '../tiers.ts';
import type { KeyOrder } from './key-order.ts';

/** What a tagged `set` works with. */
export interface TaggedSetContext {
  readonly order: KeyOrder;
  readonly tiers: Tiers;
  readonly tags: TagVersions;
  readonly clock: { now(): number };
}

/**
 * A `set` with tags: it reads its tags' versions first, so it takes a ticket (reads of the
 * key see its value meanwhile) and then writes only if no later operation on the key took
 * effect in between (see {@link KeyOrder}); otherwise that operation has overwritten it.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when the serializer cannot encode the value (before anything).
 */
export async function setTagged(
  context: TaggedSetContext,
  key: string,
  value: unknown,
  settings: LoadSettings,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { order, tiers, tags, clock } = context;
  const encoded = tiers.codec.encode(value, 'set');
  const ticket = order.begin(key, encoded.stored, settings.tags);
  let write: PreparedWrite | undefined;
  let at = 0;
  try {
    const stamp = await tags.capture(settings.tags, settings.ttlMs + settings.graceMs, signal);
    at = clock.now();
    if (signal?.aborted !== true) {
      write = tiers.codec.build(encoded, settings.ttlMs, settings.graceMs, at, { tags: stamp });
    }
  } finally {
    if (!order.settle(key, ticket, write !== undefined)) write = undefined;
  }
  if (write !== undefined) await tiers.write(key, write, at, signal);
}
