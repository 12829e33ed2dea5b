let warned = false;

/**
 * Emits, once per process, the warning that requests carry forwarding headers while no
 * proxy is trusted: behind a load balancer every client then shares one address.
 */
export function warnUntrustedForwarding(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    'A request carries X-Forwarded-For or Forwarded but no proxy is trusted: the client address is the socket peer. Behind a load balancer every client then shares one address (one rate limit, one log identity); set `trustProxy` to the proxies in front of this service.',
    { type: 'RampartWarning', code: 'RAMPART_UNTRUSTED_FORWARDING' },
  );
}

/** Lets the next untrusted forwarding header warn again (for tests). */
export function resetUntrustedForwardingWarning(): void {
  warned = false;
}
