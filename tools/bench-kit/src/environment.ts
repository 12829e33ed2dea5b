import { arch, availableParallelism, cpus, platform } from 'node:os';

/** Where and when a benchmark ran: printed under every section so readers can weigh the numbers. */
export interface BenchEnvironment {
  /** Day of the run, `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** `process.version`, e.g. `v24.21.0`. */
  readonly nodeVersion: string;
  /** Model name of the first CPU as the OS reports it, e.g. `AMD EPYC 7763 64-Core Processor`. */
  readonly cpuModel: string;
  /** Cores this process may use (`os.availableParallelism()`). */
  readonly cores: number;
  /** `<platform> <arch>`, e.g. `linux x64`. */
  readonly platform: string;
}

/** Describes the current machine and run; `now` is injectable for tests. */
export function describeEnvironment(now: Date = new Date()): BenchEnvironment {
  const model = cpus()[0]?.model.trim().replace(/\s+/g, ' ');
  return {
    date: now.toISOString().slice(0, 10),
    nodeVersion: process.version,
    cpuModel: model === undefined || model === '' ? 'unknown CPU' : model,
    cores: availableParallelism(),
    platform: `${platform()} ${arch()}`,
  };
}
