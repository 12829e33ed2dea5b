import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { expositionContentTypes, negotiateExpositionFormat } from './index.ts';

const PROMETHEUS_SCRAPER =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('negotiateExpositionFormat', () => {
  it.each([
    [PROMETHEUS_SCRAPER, 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text;Version="1.0.0"', 'openmetrics'],
    ['text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.8', 'prometheus'],
    ['text/plain;q=0.5,application/openmetrics-text;version=0.0.1', 'openmetrics'],
    ['application/openmetrics-text;version=2.0.0,text/plain;q=0.2', 'prometheus'],
    ['application/openmetrics-text;q=0,*/*', 'prometheus'],
    ['application/*,text/plain', 'prometheus'],
    ['application/openmetrics-text,text/plain', 'prometheus'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'prometheus'],
    ['application/json', 'prometheus'],
    ['*/*', 'prometheus'],
    ['', 'prometheus'],
    ['application/openmetrics-text;q=bogus,text/plain;q=0.1', 'prometheus'],
  ] as const)('answers %j with %s', (accept, format) => {
    expect(negotiateExpositionFormat(accept)).toBe(format);
  });

  it('answers a missing header with the Prometheus text format', () => {
    expect(negotiateExpositionFormat(undefined)).toBe('prometheus');
  });

  it('reads repeated Accept headers as one list', () => {
    expect(negotiateExpositionFormat(['text/plain;q=0.5', 'application/openmetrics-text'])).toBe(
      'openmetrics',
    );
  });

  it('never throws and always picks one of the two formats', () => {
    fc.assert(
      fc.property(fc.string(), (accept) => {
        expect(['prometheus', 'openmetrics']).toContain(negotiateExpositionFormat(accept));
      }),
    );
  });

  it('uses prom-client’s content types', () => {
    expect(expositionContentTypes.prometheus).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(expositionContentTypes.openmetrics).toBe(Registry.OPENMETRICS_CONTENT_TYPE);
  });
});
