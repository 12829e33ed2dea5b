import { type CompiledLimit, ceilDivide } from './common.ts';

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

/** Takes `cost` tokens. */
export function chargeTokenBucket(
  limit: CompiledLimit,
  s: number[],
  o: number,
  cost: number,
): void {
  s[o] = (s[o] as number) - cost * limit.windowMs;
}

/** Returns `cost` tokens, never beyond a full bucket. */
export function giveBackTokenBucket(
  limit: CompiledLimit,
  s: number[],
  o: number,
  cost: number,
): void {
  s[o] = Math.min(limit.capacity * limit.windowMs, (s[o] as number) + cost * limit.windowMs);
}

/** Writes remaining, reset, retry and refill at `out[at + 1…4]`; returns the reset time. */
export function describeTokenBucket(
  limit: CompiledLimit,
  s: number[],
  o: number,
  asked: number,
  admitted: boolean,
  out: number[],
  at: number,
): number {
  const rate = limit.limit;
  const windowMs = limit.windowMs;
  const full = limit.capacity * windowMs;
  const tokens = s[o] as number;
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
