/**
 * Rampart in an Express 5 app: request ids and one log line per request, RED metrics on
 * `/metrics`, a per-IP rate limit answering 429 problem+json with RateLimit headers, and a
 * cached endpoint in front of a flaky upstream guarded by a retry policy and a circuit
 * breaker. It starts on a free port, plays a client (a normal call, a burst from one
 * address, a cached call, a not-found, an upstream outage, a scrape), closes everything,
 * prints what happened after the service's own JSON log lines, and exits on its own.
 *
 * No Rampart package depends on Express: Express is a dependency of this example only.
 *
 * Run: pnpm --filter @rampart/example-express start
 */
import { createQuoteUpstream, runScenario } from '@rampart/example-framework-kit';
import { createService } from './app.ts';

const upstream = createQuoteUpstream();
const service = createService(upstream);
const report = await runScenario('Express 5 with Rampart', await service.listen(), upstream);
await service.close();
report.push('', 'Closed the server, cache, rate limiter, breaker, metrics and logger.');
console.log(report.join('\n'));
