export { compare } from './compare.ts';
export type { BenchCase, CompareOptions, CompareResult, CompareRow } from './compare-types.ts';
export { ratio } from './format.ts';
export type { Cell, CompareTableOptions } from './markdown.ts';
export type { MeasureMemoryOptions } from './memory.ts';
export { measureMemory } from './memory.ts';
export type { Report, ReportOptions } from './report.ts';
export { report } from './report.ts';
