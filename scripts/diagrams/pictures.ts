/** The guides' diagrams, each a function returning one SVG document. */
import { arrow, box, chip, svg, text } from './svg.ts';

/** The circuit breaker's states and what moves it between them. */
export function circuitBreakerStates(): string {
  const body = [
    text(24, 32, 'A circuit breaker’s states', 'title', 'start'),
    box(30, 160, 180, 90, 'good', 'closed', [
      'calls flow; outcomes are',
      'counted in a rolling window',
    ]),
    box(360, 60, 200, 90, 'bad', 'open', [
      'calls rejected at once:',
      'CircuitOpenError with',
      'retryAfterMs',
    ]),
    box(360, 270, 200, 90, 'warn', 'half-open', [
      'halfOpenProbes trial calls;',
      'the others rejected at once',
    ]),
    box(690, 160, 180, 90, 'info', 'isolated', ['held open by isolate()', 'until reset()']),
    arrow([
      [150, 160],
      [150, 95],
      [358, 95],
    ]),
    chip(255, 90, ['failures ≥ threshold', 'in the rolling window']),
    arrow([
      [420, 150],
      [420, 268],
    ]),
    chip(325, 202, ['resetTimeoutMs elapsed', '(×2 per re-open, capped)']),
    arrow(
      [
        [500, 270],
        [500, 152],
      ],
      true,
    ),
    chip(590, 214, 'a trial call fails'),
    arrow([
      [360, 325],
      [120, 325],
      [120, 252],
    ]),
    chip(240, 325, 'successesToClose trials succeed'),
    arrow([
      [560, 105],
      [780, 105],
      [780, 158],
    ]),
    chip(670, 100, 'isolate(), from any state'),
    arrow([
      [780, 250],
      [780, 385],
      [70, 385],
      [70, 252],
    ]),
    chip(425, 385, 'reset(): closed, with the window cleared'),
  ].join('\n');
  return svg(900, 420, 'Circuit breaker states: closed, open, half-open and isolated', body);
}

/** What `getOrSet` does across L1, L2, the factory and the bus. */
export function cacheGetOrSet(): string {
  const body = [
    text(24, 30, 'What getOrSet does', 'title', 'start'),
    box(20, 70, 130, 70, 'neutral', 'getOrSet(key)', ['one load per key', '(single-flight)']),
    box(190, 70, 180, 70, 'good', 'L1: memory', [
      'W-TinyLFU, in process;',
      'fresh → answer at once',
    ]),
    box(410, 70, 200, 70, 'info', 'L2: Redis', [
      'each call under its deadline;',
      'skipped while cooling down',
    ]),
    box(660, 70, 200, 70, 'warn', 'factory({ signal })', ['your database or API']),
    arrow([
      [150, 105],
      [188, 105],
    ]),
    arrow([
      [370, 105],
      [408, 105],
    ]),
    chip(390, 128, 'miss'),
    arrow([
      [610, 105],
      [658, 105],
    ]),
    chip(634, 128, 'miss'),
    arrow([
      [510, 70],
      [510, 50],
      [85, 50],
      [85, 68],
    ]),
    chip(300, 50, 'L2 hit: L1 is filled for the remaining TTL'),
    box(410, 200, 200, 80, 'neutral', 'write back', [
      'L2 (fenced) and L1;',
      'tags recorded;',
      'key published on the bus',
    ]),
    arrow([
      [760, 140],
      [760, 170],
      [510, 170],
      [510, 198],
    ]),
    chip(640, 170, 'value'),
    box(660, 200, 260, 100, 'bad', 'slow or failing factory', [
      'softTimeoutMs: a stale value answers,',
      'the load goes on',
      'hardTimeoutMs: the signal aborts',
      'error: stale value within graceMs',
    ]),
    arrow(
      [
        [840, 140],
        [840, 198],
      ],
      true,
    ),
    box(190, 340, 420, 60, 'info', 'bus (Redis pub/sub)', ['invalidations reach every instance']),
    arrow([
      [510, 280],
      [510, 338],
    ]),
    box(660, 340, 260, 60, 'good', 'other instances', ['drop the key from their L1']),
    arrow([
      [610, 370],
      [658, 370],
    ]),
  ].join('\n');
  return svg(940, 420, 'The cache: L1, L2, the factory, grace, timeouts and the bus', body);
}

/** The hardened service's request path and where each error leaves it. */
export function requestPath(): string {
  const stages = [
    { title: 'client', lines: ['an HTTP request'], tone: 'neutral' },
    { title: 'rate limiter', lines: ['per-client limits'], tone: 'info' },
    { title: 'cache', lines: ['getOrSet, grace'], tone: 'good' },
    { title: 'retry', lines: ['jittered backoff,', 'budget, deadline'], tone: 'warn' },
    { title: 'circuit breaker', lines: ['fails fast', 'while open'], tone: 'bad' },
    { title: 'dependency', lines: ['an upstream', 'service'], tone: 'neutral' },
  ] as const;
  const exits: readonly (readonly string[] | undefined)[] = [
    undefined,
    ['429 E_RATE_LIMITED', 'with Retry-After'],
    undefined,
    ['gives up: the', 'last error, as is'],
    ['503 E_CIRCUIT_OPEN', 'at once, Retry-After'],
    ['504 E_TIMEOUT or', '503 E_UNAVAILABLE'],
  ];
  const parts = [text(24, 30, 'The request path of a hardened service', 'title', 'start')];
  stages.forEach((stage, index) => {
    const x = 20 + index * 160;
    parts.push(box(x, 60, 130, 72, stage.tone, stage.title, stage.lines));
    if (index > 0) {
      parts.push(
        arrow([
          [x - 30, 96],
          [x - 2, 96],
        ]),
      );
    }
    const exit = exits[index];
    if (exit !== undefined) {
      parts.push(
        arrow(
          [
            [x + 65, 132],
            [x + 65, 278],
          ],
          true,
        ),
        chip(x + 65, 200, exit),
      );
    }
  });
  parts.push(chip(405, 172, ['on a failure: a stale', 'value within grace']));
  parts.push(
    box(20, 280, 930, 56, 'neutral', 'toProblemResponse(error)', [
      'one place turns every error into application/problem+json; 5xx details never leave',
    ]),
  );
  return svg(
    970,
    356,
    'The request path: rate limiter, cache, retry, circuit breaker, dependency',
    parts.join('\n'),
  );
}

/** A Redis outage as the store guard lives through it. */
export function redisOutageTimeline(): string {
  const phases = [
    {
      from: 40,
      to: 200,
      tone: 'good',
      title: 'healthy',
      lines: ['every call reaches', 'Redis, under its', 'deadline'],
    },
    {
      from: 200,
      to: 370,
      tone: 'warn',
      title: 'Redis stops',
      lines: ['each call gives up at', 'its deadline: a failure'],
    },
    {
      from: 370,
      to: 590,
      tone: 'bad',
      title: 'cooling down',
      lines: ['calls skip Redis at once:', 'the fallback or L1 answers;', 'writes are journaled'],
    },
    {
      from: 590,
      to: 700,
      tone: 'info',
      title: 'probe',
      lines: ['one PING on a', 'timer, under', 'the deadline'],
    },
    {
      from: 700,
      to: 920,
      tone: 'good',
      title: 'healthy again',
      lines: ['the journal is replayed;', 'the state reads healthy', 'with no user call'],
    },
  ] as const;
  const parts = [text(24, 30, 'A Redis outage, as the store guard handles it', 'title', 'start')];
  for (const phase of phases) {
    parts.push(
      box(phase.from + 4, 80, phase.to - phase.from - 8, 140, phase.tone, phase.title, phase.lines),
    );
  }
  parts.push(
    arrow([
      [40, 250],
      [930, 250],
    ]),
    text(930, 272, 'time', 'small', 'end'),
  );
  const ticks = [
    [200, ['Redis stops']],
    [370, ['failureThreshold', 'failures in a row']],
    [590, ['coolDownMs', 'elapsed']],
    [700, ['the probe', 'succeeds']],
  ] as const;
  for (const [x, lines] of ticks) {
    parts.push(`<path d="M${x} 242 L${x} 258" class="edge"/>`, text(x, 276, lines, 'small'));
  }
  parts.push(
    arrow(
      [
        [645, 80],
        [645, 60],
        [480, 60],
        [480, 78],
      ],
      true,
    ),
    chip(562, 60, 'the probe fails: cool down again'),
  );
  return svg(
    960,
    316,
    'A Redis outage: deadline, failures, cool-down, probe, recovery',
    parts.join('\n'),
  );
}
