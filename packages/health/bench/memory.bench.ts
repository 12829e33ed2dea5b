/**
 * Memory of health registries: one with five checks and a probe handler (what a service
 * holds), and the cost per check of a registry with 1,000 checks, after a probe of each.
 * Run: `pnpm bench health` (needs --expose-gc, which scripts/bench.ts passes).
 */
import { measureMemory, report } from '@rampart/bench-kit';
import { createHealth, healthHandler } from '../src/index.ts';

const SAMPLES = 5;
const REGISTRIES = 1_000;

/** Median over SAMPLES of `measureMemory(build)` divided by `per`. */
async function median(build: () => Promise<unknown>, per: number): Promise<number> {
  const samples: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    samples.push((await measureMemory(build, { samples: 1 })) / per);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(SAMPLES / 2)] ?? Number.NaN);
}

const check = async (): Promise<void> => {};

async function registryOfFive(probed: boolean) {
  const health = createHealth();
  for (let index = 0; index < 5; index++) health.add(`check-${index}`, check, { cacheMs: 5_000 });
  const handler = healthHandler(health, { group: 'readiness' });
  if (probed) await health.check('readiness');
  return { health, handler };
}

const fiveCreated = await median(
  async () => Promise.all(Array.from({ length: REGISTRIES }, () => registryOfFive(false))),
  REGISTRIES,
);
const fiveProbed = await median(
  async () => Promise.all(Array.from({ length: REGISTRIES }, () => registryOfFive(true))),
  REGISTRIES,
);
const perCheck = await median(async () => {
  const health = createHealth();
  for (let index = 0; index < 1_000; index++) {
    health.add(`check-${index}`, check, { cacheMs: 5_000 });
  }
  await health.check();
  return health;
}, 1_000);

console.log(`registry of five: ${fiveCreated} B created, ${fiveProbed} B after a probe`);
console.log(`per check in a registry of 1,000, after a probe: ${perCheck} B`);

await report('health.memory', {
  title: '@rampart/health: memory of a registry',
  rerun: 'pnpm bench health',
})
  .text(
    'Heap and external bytes retained (median of 5 builds, after a full GC): a registry with ' +
      'five cached checks and its readiness handler, as created and after one probe (which ' +
      'stores each check’s cached result); and the cost of one more check in a registry of ' +
      '1,000 checks after a probe.',
  )
  .table(
    ['what', 'bytes'],
    [
      ['registry with 5 checks and a handler, created', fiveCreated],
      ['registry with 5 checks and a handler, after one probe', fiveProbed],
      ['one check in a registry of 1,000, after one probe', perCheck],
    ],
  )
  .write();
