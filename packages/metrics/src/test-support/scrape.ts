import type { Metrics } from '../metrics.ts';
import type { ExpositionFormat } from '../types.ts';
import { type ParsedFamily, parseExposition } from './exposition-parser.ts';

/** Renders and parses a scrape (the parser also checks its structure). */
export async function scrape(
  metrics: Metrics,
  format: ExpositionFormat = 'prometheus',
): Promise<Map<string, ParsedFamily>> {
  return parseExposition(await metrics.render(format), format);
}

/** The scrape text without the `rampart_metrics_*` families, in the same format. */
export function withoutSelfMetrics(text: string, format: ExpositionFormat): string {
  const blocks: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# HELP ')) blocks.push([]);
    if (line === '' || line === '# EOF') continue;
    blocks[blocks.length - 1]?.push(line);
  }
  const kept = blocks
    .filter((block) => !block[0]?.startsWith('# HELP rampart_metrics_'))
    .map((block) => block.join('\n'));
  return format === 'openmetrics' ? `${kept.join('\n')}\n# EOF\n` : `${kept.join('\n\n')}\n`;
}

/** Renders without the self-metrics. */
export async function renderUserMetrics(
  metrics: Metrics,
  format: ExpositionFormat = 'prometheus',
): Promise<string> {
  return withoutSelfMetrics(await metrics.render(format), format);
}
