import { createHash } from 'node:crypto';
import {
  type CompiledLimit,
  FIXED_WINDOW,
  GCRA,
  SLIDING_WINDOW,
  TOKEN_BUCKET,
} from './algorithms.ts';

/**
 * The Redis side of the store: one script per limits configuration checks and updates every
 * limit of one caller in one round trip, all or nothing. It mirrors the `check` step and the
 * state change of internal/algorithms.ts (the same integer arithmetic on doubles) with each
 * limit's numbers written in as constants (no argument parsing, no algorithm dispatch, no
 * closures: all cost time on every run), then returns the new state; the store computes
 * remaining, resetMs, retryAfterMs and refillMs from it with the same code as the memory
 * store. Change both together; the conformance suite compares them.
 *
 * KEYS: the caller's one key, `<prefix>{<key>}:<limit names joined by +>` (the hash tag keeps
 * a caller on one slot of a Cluster). ARGV: mode (0 consume, 1 peek, 2 reward, 3 reset),
 * cost, now in ms or '' for Redis `TIME`.
 * Returns, packed as `struct.pack('<Bd' .. 'Bddd' × limits)` (one bulk string is cheaper for
 * Redis to build and for the client to parse than an array): whether all limits admit the
 * cost, the time used, then per limit: admits (0/1) and its three state numbers.
 *
 * The key's value holds every limit: per limit the algorithm code (a byte) and the three
 * state numbers (little-endian doubles, exact for these integers), 25 bytes per limit; a
 * limit whose code differs starts afresh, and so does a value of another length. One `GET`
 * and one `SET` per decision, whatever the number of limits. The key is written with `PX`
 * set to exactly when the last of its limits stops mattering (the longest `resetMs`), and
 * deleted when every limit equals a fresh one. With an injected time it lives at least
 * {@link INJECTED_TIME_MIN_TTL_MS} of real time.
 */

/**
 * The shortest time-to-live of a key written at an injected time (`nowMs` given): real time
 * keeps running while a test steps its own clock, and must not expire state the test's
 * clock still needs. Stored state carries its own timestamps, so a longer life never
 * changes a decision.
 */
export const INJECTED_TIME_MIN_TTL_MS = 60_000;

/** Bytes per limit in a stored value: the algorithm code, then three doubles. */
const VALUE_BYTES_PER_LIMIT = 25;

/** Bytes before the per-limit ones in the script's reply: all admit (a byte), the time used (a double). */
export const REPLY_HEADER_BYTES = 9;
/** Bytes the ban's remaining milliseconds (a double) add to the header of a script with bans. */
export const REPLY_BAN_BYTES = 8;
/** Bytes per limit in the script's reply: admits (a byte), then three state numbers (doubles). */
export const REPLY_LIMIT_BYTES = 25;
/** The script's mode argument of each operation. */
export const SCRIPT_MODES: readonly ['0', '1', '2', '3'] = ['0', '1', '2', '3'];

/** Lua that loads limit `i`'s state and brings it to `now`, setting `f<i>` (fits). */
function checkCode(limit: CompiledLimit, i: number): string {
  const { code, limit: r, windowMs: w, capacity } = limit;
  const full = capacity * w;
  const load = `local a${i}, b${i}, c${i}
if stored and k${i} == ${code} then a${i}, b${i}, c${i} = sa${i}, sb${i}, sc${i} end
local f${i}
`;
  if (code === GCRA) {
    return `${load}if a${i} == nil then a${i}, b${i}, c${i} = now, 0, 0 end
if b${i} >= ${r} then a${i} = a${i} + 1; b${i} = 0 end
if a${i} < now or (a${i} == now and b${i} == 0) then a${i} = now; b${i} = 0 end
f${i} = (a${i} - now) * ${r} + b${i} + cost * ${w} <= ${full}
`;
  }
  if (code === TOKEN_BUCKET) {
    return `${load}if a${i} == nil then a${i}, b${i}, c${i} = ${full}, now, 0 end
do
  local time = b${i}
  if now > time then time = now end
  if a${i} > ${full} then a${i} = ${full} end
  local elapsed = time - b${i}
  if elapsed * ${r} >= ${full} - a${i} then a${i} = ${full} else a${i} = a${i} + elapsed * ${r} end
  b${i} = time
end
f${i} = a${i} >= cost * ${w}
`;
  }
  const roll = `if a${i} == nil then a${i}, b${i}, c${i} = -math.huge, 0, 0 end
local t${i} = a${i}
if now > t${i} then t${i} = now end
do
  local current = math.floor(t${i} / ${w}) * ${w}
  if a${i} ~= current then
    ${code === SLIDING_WINDOW ? `if a${i} == current - ${w} then c${i} = b${i} else c${i} = 0 end` : ''}
    b${i} = 0
    a${i} = current
  end
end
`;
  if (code === FIXED_WINDOW) return `${load}${roll}f${i} = b${i} + cost <= ${r}\n`;
  return `${load}${roll}f${i} = c${i} * (${w} - (t${i} - a${i})) + b${i} * ${w} + cost * ${w} <= ${r * w}\n`;
}

/** Lua that charges (`change == 1`) or gives back (`2`) limit `i`, then stores it with its TTL. */
function applyCode(limit: CompiledLimit, i: number): string {
  const { code, limit: r, windowMs: w, capacity } = limit;
  const full = capacity * w;
  let body: string;
  if (code === GCRA) {
    body = `if change == 1 then
  local total = b${i} + cost * ${w}
  local carry = math.floor(total / ${r})
  a${i} = a${i} + carry
  b${i} = total - carry * ${r}
else
  local delay = (a${i} - now) * ${r} + b${i} - cost * ${w}
  if delay <= 0 then
    a${i} = now; b${i} = 0
  else
    local whole = math.floor(delay / ${r})
    a${i} = now + whole
    b${i} = delay - whole * ${r}
  end
end
if a${i} < now then ttl = 0 elseif b${i} > 0 then ttl = a${i} - now + 1 else ttl = a${i} - now end
`;
  } else if (code === TOKEN_BUCKET) {
    body = `if change == 1 then
  a${i} = a${i} - cost * ${w}
else
  a${i} = a${i} + cost * ${w}
  if a${i} > ${full} then a${i} = ${full} end
end
do
  local missing = ${full} - a${i}
  ttl = math.floor(missing / ${r})
  if ttl * ${r} < missing then ttl = ttl + 1 end
end
`;
  } else {
    const giveBack =
      code === FIXED_WINDOW
        ? `if b${i} > cost then b${i} = b${i} - cost else b${i} = 0 end`
        : `b${i} = b${i} - cost
  if b${i} < 0 then
    c${i} = c${i} + b${i}
    if c${i} < 0 then c${i} = 0 end
    b${i} = 0
  end`;
    const lifetime =
      code === FIXED_WINDOW
        ? `if b${i} > 0 then ttl = a${i} + ${w} - t${i} else ttl = 0 end`
        : `if b${i} > 0 then ttl = a${i} + ${2 * w} - t${i} elseif c${i} > 0 then ttl = a${i} + ${w} - t${i} else ttl = 0 end`;
    body = `if change == 1 then
  b${i} = b${i} + cost
else
  ${giveBack}
end
${lifetime}
`;
  }
  return `${body}if ttl > longest then longest = ttl end
`;
}

/** The script of one limits configuration and its SHA1, for `EVALSHA`. */
export interface RateLimitScript {
  readonly source: string;
  readonly sha: string;
}

const scripts = new WeakMap<readonly CompiledLimit[], RateLimitScript>();
const banScripts = new WeakMap<readonly CompiledLimit[], RateLimitScript>();

/** Lua that reads the caller's ban (`KEYS[2]` holds until when, in ms), setting `banned`. */
const READ_BAN = `local banned = 0
local blockMs = tonumber(ARGV[4])
do
  local text = redis.call('GET', KEYS[2])
  local untilMs = text and tonumber(text)
  if untilMs and untilMs > now then banned = untilMs - now end
end
`;

/** Lua that bans the caller for `blockMs` after a consume the limits rejected. */
const WRITE_BAN = `if mode == 0 and not all and banned == 0 and blockMs > 0 then
  banned = blockMs
  local px = blockMs
  if injected and px < ${INJECTED_TIME_MIN_TTL_MS} then px = ${INJECTED_TIME_MIN_TTL_MS} end
  redis.call('SET', KEYS[2], string.format('%.0f', now + blockMs), 'PX', px)
end
`;

/**
 * The script for `limits`, generated once per limits array. With `bans`, it also takes the
 * caller's ban key (`KEYS[2]`, same hash tag) and the ban's length (`ARGV[4]`): a consume
 * the limits reject bans the caller for that long, a banned consume charges nothing, and the
 * reply carries the ban's remaining milliseconds after the time (a double). Its reset
 * deletes both keys.
 */
export function scriptFor(limits: readonly CompiledLimit[], bans = false): RateLimitScript {
  const cache = bans ? banScripts : scripts;
  let script = cache.get(limits);
  if (script !== undefined) return script;
  const indexes = limits.map((_, index) => index + 1);
  const source = `-- @rampart/rate-limiter: ${limits.map((limit) => `${limit.name} ${limit.algorithm} ${limit.limit}/${limit.windowMs}ms burst ${limit.capacity}`).join(', ')}${bans ? ', bans' : ''}
local mode = tonumber(ARGV[1])
local now
local injected = ARGV[3] ~= ''
if injected then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if mode == 3 then
  redis.call('DEL', KEYS[1]${bans ? ', KEYS[2]' : ''})
  return {1, now}
end
${bans ? READ_BAN : ''}local cost = tonumber(ARGV[2])
local value = redis.call('GET', KEYS[1])
local stored = value and #value == ${VALUE_BYTES_PER_LIMIT * limits.length}
local ${indexes.map((i) => `k${i}, sa${i}, sb${i}, sc${i}`).join(', ')}
if stored then ${indexes.map((i) => `k${i}, sa${i}, sb${i}, sc${i}`).join(', ')} = struct.unpack('<${'Bddd'.repeat(limits.length)}', value) end
${limits.map((limit, index) => checkCode(limit, index + 1)).join('')}
local all = ${indexes.map((i) => `f${i}`).join(' and ')}
local change = 0
if mode == 2 then change = 2 elseif mode == 0 and all${bans ? ' and banned == 0' : ''} then change = 1 end
if change ~= 0 then
  local ttl
  local longest = 0
${limits.map((limit, index) => applyCode(limit, index + 1)).join('')}  if longest > 0 then
    if injected and longest < ${INJECTED_TIME_MIN_TTL_MS} then longest = ${INJECTED_TIME_MIN_TTL_MS} end
    redis.call('SET', KEYS[1], struct.pack('<${'Bddd'.repeat(limits.length)}', ${limits.map((limit, index) => `${limit.code}, a${index + 1}, b${index + 1}, c${index + 1}`).join(', ')}), 'PX', longest)
  else
    redis.call('DEL', KEYS[1])
  end
end
${bans ? WRITE_BAN : ''}return struct.pack('<Bd${bans ? 'd' : ''}${'Bddd'.repeat(limits.length)}', all${bans ? ' and banned == 0' : ''} and 1 or 0, now, ${bans ? 'banned, ' : ''}${indexes.map((i) => `f${i} and 1 or 0, a${i}, b${i}, c${i}`).join(', ')})
`;
  script = { source, sha: createHash('sha1').update(source).digest('hex') };
  cache.set(limits, script);
  return script;
}
