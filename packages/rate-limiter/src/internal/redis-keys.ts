const NEEDS_ESCAPE = /[%{}]/;

/**
 * The Redis key of one caller: `<prefix>{<key>}:<limit names joined by +>`, e.g.
 * `rampart:rl:{user-42}:minute+hour`. It holds the state of every limit, so a decision reads
 * and writes one key. The key is the hash tag (`{<key>}`): whatever else a deployment keeps
 * per caller with the same tag lands on the same Cluster slot. `%`, `{` and `}` in the key
 * are percent-encoded (a `}` would end the tag early), which keeps the mapping one-to-one.
 */
export function redisKey(prefix: string, key: string, suffix: string): string {
  const tag = NEEDS_ESCAPE.test(key)
    ? key.replaceAll('%', '%25').replaceAll('{', '%7B').replaceAll('}', '%7D')
    : key;
  return `${prefix}{${tag}}:${suffix}`;
}
