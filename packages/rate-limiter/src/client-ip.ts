/**
 * The client address of a request, as `@rampart/errors` computes it for every package: the
 * logger's `trustProxy` uses the same function, so logs and limits name the same client.
 * Re-exported here because rate limits are where most services need it first.
 */
export type { ClientIpOptions, ClientRequestLike, TrustProxy } from '@rampart/errors';
export { clientIp } from '@rampart/errors';
