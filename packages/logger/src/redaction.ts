/**
 * The keys every logger made by `createLogger` redacts, whatever else you configure:
 * credentials and session material that must never reach a log.
 *
 * They are matched at the top level of a log line, one level down in any object (so
 * `user.password` and `headers.authorization`) and in every `headers` object found there
 * (so `req.headers.cookie` and an HTTP client's `config.headers.Authorization`), in their
 * usual spellings: `accessToken`, `access_token`, `access-token`, `AccessToken`,
 * `ACCESS_TOKEN`, `Set-Cookie`, `X-API-Key`, …
 */
export const defaultRedactedKeys: readonly string[] = Object.freeze([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
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
