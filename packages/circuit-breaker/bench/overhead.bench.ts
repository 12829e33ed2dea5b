/**
 * Success-path overhead per call: @rampart/circuit-breaker against raw opossum `fire` and
 * cockatiel, in the same run. Run: `pnpm bench circuit-breaker`.
 */
import { compare, ratio, report } from '@rampart/bench-kit';
import {
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { createCircuitBreaker } from '../src/index.ts';
import { CircuitBreaker } from './opossum.ts';

/** The guarded function: resolves at once, so the breakers' own cost is what is measured. */
const work = async (value: number): Promise<number> => value;
let next = 0;
const input = (): number => next++ & 1023;

const opossumDefault = new CircuitBreaker(work, { name: 'opossum-default' });
const opossumNoTimeout = new CircuitBreaker(work, { name: 'opossum-no-timeout', timeout: false });
const rampartDefault = createCircuitBreaker((value: number, _signal: AbortSignal) => work(value), {
  name: 'rampart-default',
});
const rampartNoTimeout = createCircuitBreaker(
  (value: number, _signal: AbortSignal) => work(value),
  { name: 'rampart-no-timeout', timeoutMs: false },
);
const cockatielBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 30_000,
  breaker: new ConsecutiveBreaker(5),
});
const cockatielWithTimeout = wrap(timeout(10_000, TimeoutStrategy.Aggressive), cockatielBreaker);

const result = await compare('one successful call through a closed breaker', {
  baseline: 'opossum fire, defaults (10 s timeout)',
  cases: [
    { name: 'opossum fire, defaults (10 s timeout)', fn: () => opossumDefault.fire(input()) },
    { name: 'opossum fire, no timeout', fn: () => opossumNoTimeout.fire(input()) },
    {
      name: 'Rampart execute, defaults (10 s timeout, per-call signal)',
      fn: () => rampartDefault.execute(input()),
    },
    { name: 'Rampart execute, no timeout', fn: () => rampartNoTimeout.execute(input()) },
    {
      name: 'cockatiel timeout(10 s) + breaker (per-call signal)',
      fn: () =>
        cockatielWithTimeout.execute(({ signal }) => work(input() + (signal.aborted ? 1 : 0))),
    },
    {
      name: 'cockatiel breaker, no timeout',
      fn: () => cockatielBreaker.execute(() => work(input())),
    },
  ],
});

opossumDefault.shutdown();
opossumNoTimeout.shutdown();
await rampartDefault.dispose();
await rampartNoTimeout.dispose();

const row = (name: string) => result.rows.find((candidate) => candidate.name === name);
const rampart = row('Rampart execute, defaults (10 s timeout, per-call signal)');
const rampartUntimed = row('Rampart execute, no timeout');
const timeRatio = (relative: number | undefined) => ratio(1 / (relative ?? Number.NaN));

await report('circuit-breaker.overhead', {
  title: '@rampart/circuit-breaker: success-path overhead',
  rerun: 'pnpm bench circuit-breaker',
})
  .text(
    'One call of an `async` function that resolves at once, through a closed breaker, so what is ' +
      "measured is the breaker's own work. With defaults, opossum arms a 10 s timer per call; " +
      'Rampart arms one too and also gives the function its own `AbortSignal`, which the timeout ' +
      'aborts (opossum has no per-call signal); cockatiel needs a timeout policy wrapped around ' +
      'its breaker for the same.',
  )
  .compareTable(result)
  .text(
    `With defaults Rampart takes ` +
      `${timeRatio(rampart?.relativeToBaseline)} the time of raw opossum \`fire\`, without a timeout ` +
      `${timeRatio(rampartUntimed?.relativeToBaseline)}.`,
  )
  .write();
