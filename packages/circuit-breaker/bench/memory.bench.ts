/**
 * Memory of 10,000 breakers: a @rampart/circuit-breaker registry against 10,000 opossum
 * breakers. Run: `pnpm bench circuit-breaker` (needs --expose-gc, which scripts/bench.ts passes).
 */
import { EventEmitter } from 'node:events';
import { measureMemory, ratio, report } from '@rampart/bench-kit';
import { createCircuitBreakerRegistry } from '../src/index.ts';
import { CircuitBreaker } from './opossum.ts';

const BREAKERS = 10_000;
const SAMPLES = 5;
const work = async (value: number): Promise<number> => value;
const guarded = (value: number, _signal: AbortSignal): Promise<number> => work(value);

interface Contender {
  readonly name: string;
  /** Builds the breakers (calling each once when `call` is set); returns how to release them. */
  build(call: boolean): Promise<() => Promise<void> | void>;
}

const contenders: readonly Contender[] = [
  {
    name: '10,000 opossum breakers, defaults',
    async build(call) {
      const breakers = Array.from(
        { length: BREAKERS },
        (_, index) => new CircuitBreaker(work, { name: `host-${index}` }),
      );
      if (call) for (const [index, breaker] of breakers.entries()) await breaker.fire(index);
      return () => {
        for (const breaker of breakers) breaker.shutdown();
      };
    },
  },
  {
    name: '10,000 opossum breakers, shared rotation timer, no snapshots',
    async build(call) {
      const rotation = new EventEmitter();
      rotation.setMaxListeners(0);
      const breakers = Array.from(
        { length: BREAKERS },
        (_, index) =>
          new CircuitBreaker(work, {
            name: `host-${index}`,
            rotateBucketController: rotation,
            enableSnapshots: false,
          }),
      );
      if (call) for (const [index, breaker] of breakers.entries()) await breaker.fire(index);
      return () => {
        for (const breaker of breakers) breaker.shutdown();
      };
    },
  },
  {
    name: 'Rampart registry of 10,000 breakers, defaults',
    async build(call) {
      const registry = createCircuitBreakerRegistry();
      for (let index = 0; index < BREAKERS; index++) {
        const breaker = registry.get(`host-${index}`, guarded);
        if (call) await breaker.execute(index);
      }
      return () => registry.dispose();
    },
  },
];

/**
 * Bytes per breaker of one build. Each sample runs in its own call, and the release function
 * is dropped explicitly: a reference left in an async frame would keep the previous build
 * alive until the next one replaced it, and its late collection would be subtracted from the
 * next measurement.
 */
async function sampleOnce(contender: Contender, call: boolean): Promise<number> {
  const box: { release: (() => Promise<void> | void) | undefined } = { release: undefined };
  const bytes = await measureMemory(
    async () => {
      box.release = await contender.build(call);
      return box.release;
    },
    { samples: 1 },
  );
  await box.release?.();
  box.release = undefined;
  return bytes / BREAKERS;
}

/** Median bytes per breaker over SAMPLES builds. */
async function bytesPerBreaker(contender: Contender, call: boolean): Promise<number> {
  const samples: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) samples.push(await sampleOnce(contender, call));
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(SAMPLES / 2)] ?? Number.NaN);
}

const rows: { name: string; created: number; called: number }[] = [];
for (const contender of contenders) {
  const created = await bytesPerBreaker(contender, false);
  const called = await bytesPerBreaker(contender, true);
  rows.push({ name: contender.name, created, called });
  console.log(`${contender.name}: ${created} B per breaker created, ${called} B after one call`);
}

const baseline = rows[0];
const rampart = rows.at(-1);
const times = (bytes: number | undefined, of: number | undefined) =>
  ratio((of ?? Number.NaN) / (bytes ?? Number.NaN));

await report('circuit-breaker.memory', {
  title: '@rampart/circuit-breaker: memory of 10,000 breakers',
  rerun: 'pnpm bench circuit-breaker',
})
  .text(
    'Heap and external bytes retained per breaker (median of 5 builds, after a full GC), for ' +
      '10,000 breakers just created and after one successful call each (which allocates the ' +
      'rolling window). The second opossum row is the setup opossum recommends for many ' +
      'breakers (one shared rotation timer, no snapshot timer).',
  )
  .table(
    [
      'breakers',
      'bytes per breaker, created',
      'bytes per breaker, after one call',
      'less than opossum defaults (after one call)',
    ],
    rows.map((row) => [row.name, row.created, row.called, times(row.called, baseline?.called)]),
  )
  .text(
    `A registry of 10,000 breakers takes ${times(rampart?.created, baseline?.created)} less ` +
      `memory than 10,000 default opossum breakers when created, ` +
      `${times(rampart?.called, baseline?.called)} less after one call each.`,
  )
  .write();
