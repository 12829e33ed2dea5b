import type { IncomingMessage } from 'node:http';
import { clientIp } from '@rampart/rate-limiter';

/**
 * Finds the client's address with `clientIp`: the socket's peer is the client unless it is a
 * trusted proxy; then `X-Forwarded-For` is read from the right (the entry the proxy appended)
 * past every trusted proxy, and the first untrusted address is the client. Entries left of it
 * were written by the client and are never believed. A malformed entry ends the search at the
 * last trustworthy hop. The request logger gets the same list, so logs and limits agree.
 */
export function createClientAddressResolver(
  trustedProxies: readonly string[],
): (request: IncomingMessage) => string {
  const options = { trustProxy: trustedProxies };
  return (request) => clientIp(request, options);
}
