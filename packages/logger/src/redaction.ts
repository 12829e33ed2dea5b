/**
 * The keys every logger made by `createLogger` redacts, whatever else you configure:
 * credentials and session material that must never reach a log.
 *
 * @remarks
 * They are matched at every depth of a log line (down to 16 levels; deeper objects are
 * written as `"[Object]"`): in nested objects and arrays (`users[3].password`), in what an
 * object's `toJSON()` returns, and in errors wherever they sit (`{ upstream: error }`),
 * their own properties (an HTTP client's `config.headers.Authorization`) and their causes.
 * Keys match in their usual spellings: `accessToken`, `access_token`, `access-token`,
 * `AccessToken`, `ACCESS_TOKEN`, `Set-Cookie`, `X-API-Key`, …
 */
export const defaultRedactedKeys: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
]);

/** What a redacted value is replaced with. */
export const REDACTED: '[Redacted]' = '[Redacted]';
