/**
 * ioredis for the suites in tests/rate-limiter-*.test.ts, which live outside any package and
 * so cannot resolve this package's devDependencies by name.
 */
export { Cluster, Redis } from 'ioredis';
