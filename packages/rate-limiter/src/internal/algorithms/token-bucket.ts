import { CHARGE, type CompiledLimit, ceilDivide, GIVE_BACK } from './common.ts';

// Token-bucket state: tokens scaled by `windowMs` in `s[o]` (so `limit` tokens per `windowMs`
// refill as `limit` scaled units per millisecond, exactly), last refill time in `s[o + 1]`.

/** Refills the bucket up to `now` and tells whether `cost` tokens are there. */
export function checkTokenBucket(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  cost: number,
): boolean {
  const rate = limit.limit;
  const full = limit.capacity * limit.windowMs;
  const last = s[o + 1] as number;
  const time = Math.max(last, now);
  let tokens = Math.min(s[o] as number, full);
  const elapsed = time - last;
  tokens = elapsed * rate >= full - tokens ? full : tokens + elapsed * rate;
  s[o] = tokens;
  s[o + 1] = time;
  return tokens >= cost * limit.windowMs;
}

/** Takes or returns `cost` tokens, then writes remaining, reset, retry and refill at `out[at + 1…4]`. */
export function applyTokenBucket(
  limit: CompiledLimit,
  s: number[],
  o: number,
  cost: number,
  change: number,
  asked: number,
  admitted: boolean,
  out: number[],
  at: number,
): number {
  const rate = limit.limit;
  const windowMs = limit.windowMs;
  const full = limit.capacity * windowMs;
  let tokens = s[o] as number;
  if (change === CHARGE) tokens -= cost * windowMs;
  else if (change === GIVE_BACK) tokens = Math.min(full, tokens + cost * windowMs);
  s[o] = tokens;
  const remaining = Math.floor(tokens / windowMs);
  const reset = ceilDivide(full - tokens, rate);
  const deficit = asked * windowMs - tokens;
  out[at + 1] = remaining;
  out[at + 2] = reset;
  out[at + 3] = admitted || deficit <= 0 ? 0 : ceilDivide(deficit, rate);
  out[at + 4] =
    remaining >= limit.capacity ? 0 : ceilDivide((remaining + 1) * windowMs - tokens, rate);
  return reset;
}
