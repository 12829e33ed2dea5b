import { defineScript, type LuaScript } from './lua-script.ts';

/**
 * Writes the results of loads (KEYS: data keys of one slot), each only if the key still holds
 * what the load read: the same write id, or, for a load that read nothing (an empty id),
 * still nothing written since, and the read younger than the fencing horizon. ARGV[1]: the
 * horizon (the tombstones' TTL), ARGV[2]: now in Redis time (ms, as the store estimates it);
 * then 4 per key: the value to store (`<expiresAt>:<id>\n<record>`), its TTL in ms, the id
 * the load read, and when it read it. Returns 1 (written) or 0 (refused) per key.
 */
export const fencedWriteScript: LuaScript = defineScript(`
local horizon = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local results = {}
for i, key in ipairs(KEYS) do
  local base = 2 + (i - 1) * 4
  local id = ARGV[base + 3]
  local current = redis.call('GET', key)
  local allowed
  if current and string.sub(current, 1, 1) == '~' then
    allowed = id ~= '' and string.sub(current, 2) == id
  elseif current then
    local newline = string.find(current, '\\n', 1, true)
    local head = newline and string.sub(current, 1, newline - 1) or ''
    local currentId = string.match(head, ':([^:]*)$') or ''
    if id == '' then
      allowed = currentId == '' and (now - tonumber(ARGV[base + 4])) < horizon
    else
      allowed = currentId == id
    end
  else
    allowed = id == '' and (now - tonumber(ARGV[base + 4])) < horizon
  end
  if allowed then
    redis.call('SET', key, ARGV[base + 1], 'PX', ARGV[base + 2])
    results[i] = 1
  else
    results[i] = 0
  end
end
return results
`);

/**
 * Current tag versions (KEYS: tag keys of one slot). ARGV[1]: keep at least this many ms;
 * then one candidate version per key, stored when the tag has none. Returns the versions.
 */
export const tagVersionsScript: LuaScript = defineScript(`
local keep = tonumber(ARGV[1])
local versions = {}
for i, key in ipairs(KEYS) do
  local version = redis.call('GET', key)
  if not version then
    version = ARGV[i + 1]
    redis.call('SET', key, version, 'PX', keep)
  else
    local ttl = redis.call('PTTL', key)
    if ttl >= 0 and ttl < keep then redis.call('PEXPIRE', key, keep) end
  end
  versions[i] = version
end
return versions
`);

/**
 * New tag versions (KEYS: tag keys of one slot). ARGV[1]: 'hard' or 'soft'; ARGV[2]: keep at
 * least this many ms; then one new random id per key. A hard invalidation replaces both parts
 * of `hard:soft`, a soft one the soft part. Returns the new versions.
 */
export const invalidateTagsScript: LuaScript = defineScript(`
local keep = tonumber(ARGV[2])
local versions = {}
for i, key in ipairs(KEYS) do
  local id = ARGV[i + 2]
  local current = redis.call('GET', key)
  local version = id .. ':' .. id
  if current and ARGV[1] == 'soft' then
    local colon = string.find(current, ':', 1, true)
    if colon then version = string.sub(current, 1, colon - 1) .. ':' .. id end
  end
  local ttl = redis.call('PTTL', key)
  if ttl < keep then ttl = keep end
  redis.call('SET', key, version, 'PX', ttl)
  versions[i] = version
end
return versions
`);

/** Extends a lease still held by ARGV[1] to ARGV[2] ms. Returns 1 if it did. */
export const renewLeaseScript: LuaScript = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

/** Deletes a lease only if ARGV[1] still holds it. Returns 1 if it did. */
export const releaseLeaseScript: LuaScript = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`);
