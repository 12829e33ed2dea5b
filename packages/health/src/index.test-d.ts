import { expectTypeOf, test } from 'vitest';
import {
  type BreakerRegistryHealthSource,
  type CacheHealthSource,
  createHealth,
  createShutdown,
  type HealthCheck,
  type HealthReport,
  type HealthStatus,
  type PingableRedis,
  type Shutdown,
  shutdownOrder,
} from './index.ts';

test('checks may return nothing, a boolean or an outcome, synchronously or not', () => {
  expectTypeOf<() => void>().toExtend<HealthCheck>();
  expectTypeOf<() => Promise<void>>().toExtend<HealthCheck>();
  expectTypeOf<() => boolean>().toExtend<HealthCheck>();
  expectTypeOf<() => Promise<{ status: 'warn'; output: string }>>().toExtend<HealthCheck>();
  expectTypeOf<() => { status: 'ok' }>().not.toExtend<HealthCheck>();
  expectTypeOf<() => string>().not.toExtend<HealthCheck>();
});

test('reports and groups are typed', () => {
  const health = createHealth();
  expectTypeOf(health.check('readiness')).resolves.toEqualTypeOf<HealthReport>();
  expectTypeOf<HealthReport['status']>().toEqualTypeOf<HealthStatus>();
  // @ts-expect-error: not a probe group
  void health.check('ready');
  // @ts-expect-error: groups are probe groups
  health.add('x', () => true, { groups: ['ready'] });
});

test('ready-made checks read the other packages structurally', () => {
  expectTypeOf<{ ping(): Promise<'PONG'>; status: string }>().toExtend<PingableRedis>();
  expectTypeOf<{ stats(): { l2: { state: 'absent' } } }>().toExtend<CacheHealthSource>();
  expectTypeOf<{
    list(): { name: string; state: 'open' }[];
  }>().toExtend<BreakerRegistryHealthSource>();
});

test('the shutdown coordinator', () => {
  expectTypeOf(createShutdown).returns.toEqualTypeOf<Shutdown>();
  expectTypeOf(shutdownOrder.logger).toEqualTypeOf<1000>();
});
