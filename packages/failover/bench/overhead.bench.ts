/**
 * Success-path overhead per call: @rampart/failover against calling the provider directly and
 * against cockatiel's `wrap(fallback, breaker)`, in the same run.
 * Run: `pnpm bench failover/bench/overhead`.
 */
import { compare, ratio, report } from '@rampart/bench-kit';
import { ConsecutiveBreaker, circuitBreaker, fallback, handleAll, wrap } from 'cockatiel';
import { createFailover } from '../src/index.ts';

/** The provider: resolves at once, so the routing's own cost is what is measured. */
const work = async (value: number): Promise<number> => value;
const spare = async (value: number): Promise<number> => -value;
let next = 0;
const input = (): number => next++ & 1023;

const cockatiel = wrap(
  fallback(handleAll, () => spare(0)),
  circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
);
const providers = [
  { name: 'primary', call: (value: number) => work(value) },
  { name: 'secondary', call: (value: number) => spare(value) },
];
const rampartNoTimeout = createFailover({
  name: 'bench-no-timeout',
  providers,
  breaker: { timeoutMs: false },
});
const rampartDefault = createFailover({ name: 'bench-default', providers });
const controller = new AbortController();
const rampartHedged = createFailover({
  name: 'bench-hedged',
  providers,
  breaker: { timeoutMs: false },
  hedge: { delayMs: 'p95' },
});

const result = await compare('one successful call to the first provider', {
  baseline: 'cockatiel wrap(fallback, breaker)',
  cases: [
    { name: 'provider called directly', fn: () => work(input()) },
    { name: 'cockatiel wrap(fallback, breaker)', fn: () => cockatiel.execute(() => work(input())) },
    {
      name: '@rampart/failover, breaker without timeout',
      fn: () => rampartNoTimeout.execute(input()),
    },
    {
      name: '@rampart/failover, defaults (10 s breaker timeout)',
      fn: () => rampartDefault.execute(input()),
    },
    {
      name: "@rampart/failover, hedging at 'p95' and a caller signal",
      fn: () => rampartHedged.execute(input(), { signal: controller.signal }),
    },
  ],
});

function relative(name: string): string {
  const row = result.rows.find((candidate) => candidate.name === name);
  return row === undefined ? 'n/a' : ratio(row.relativeToBaseline);
}

await report('failover.overhead', {
  title: '@rampart/failover: cost of a call',
  rerun: 'pnpm bench failover/bench/overhead',
})
  .text(
    "A call the first provider answers at once (an already resolved promise), so the routing's " +
      "own cost is measured: against the provider called directly and cockatiel's " +
      '`wrap(fallback, breaker)` (consecutive breaker, no timeout), built once. The comparable ' +
      "row is Rampart's breaker without a timeout; its default breaker also arms a 10 s timer " +
      'per call, and hedging adds an `AbortController` and a timer per call. The spread column ' +
      'shows how much rounds varied on this shared machine: differences within it are noise. ' +
      `**Speed relative to cockatiel: ${relative('@rampart/failover, breaker without timeout')} ` +
      `without a timeout, ${relative('@rampart/failover, defaults (10 s breaker timeout)')} with the defaults.**`,
  )
  .compareTable(result)
  .write();
await Promise.all([rampartNoTimeout.dispose(), rampartDefault.dispose(), rampartHedged.dispose()]);
