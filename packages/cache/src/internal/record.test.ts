import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJsonHeader, decodeRecord, encodeRecord, type RecordMeta } from './record.ts';

const payloads = fc.oneof(fc.string(), fc.json(), fc.constant(''), fc.constant('\n{"g":1}\n'));
const tagStamps = fc.dictionary(
  fc.string(),
  fc.tuple(fc.nat(), fc.nat()).map(([hard, soft]) => `${hard}:${soft}`),
);
const metas: fc.Arbitrary<RecordMeta> = fc.record(
  {
    graceMs: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e16, noNaN: true })),
    createdAt: fc.oneof(
      fc.nat(),
      fc.integer({ min: 1e14, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ),
    tags: fc.option(tagStamps, { nil: undefined }),
    loadMs: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true })),
  },
  { requiredKeys: ['graceMs', 'createdAt'] },
);

/** Header pieces that the fast path must read exactly as JSON does, or leave to JSON. */
const fragment = fc.oneof(
  fc.constantFrom('{"g":', ',"c":', ',"d":', ',"t":', '}', '}\n', '\n', '{}', ' ', ','),
  fc.constantFrom('0', '00', '01', '-1', '1.5', '1e3', '-0', '999999999999999', '1000000000000000'),
  fc.nat().map(String),
  fc.integer({ min: 1e14, max: 1e17 }).map(String),
  fc.string({ maxLength: 3 }),
);
const headers = fc
  .tuple(
    fc.constantFrom('c1', 'c1{"g":', 'c0', ''),
    fc.array(fragment, { maxLength: 12 }),
    payloads,
  )
  .map(([start, pieces, payload]) => `${start}${pieces.join('')}\n${payload}`);

describe('L2 record encoding', () => {
  it('reads back what it writes, whatever the metadata and payload', () => {
    fc.assert(
      fc.property(metas, payloads, (meta, payload) => {
        const decoded = decodeRecord(encodeRecord(payload, meta));
        const loadMs = meta.loadMs !== undefined && meta.loadMs > 0 ? Math.round(meta.loadMs) : 0;
        expect(decoded).toEqual({
          // The header is JSON: -0 comes back as 0.
          graceMs: meta.graceMs + 0,
          createdAt: meta.createdAt + 0,
          tags: meta.tags,
          loadMs,
          payload,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('reads every string the same as a plain JSON read of the header', () => {
    fc.assert(
      fc.property(headers, (data) => {
        expect(decodeRecord(data)).toEqual(decodeJsonHeader(data));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the same as a plain JSON read on every record it writes', () => {
    fc.assert(
      fc.property(metas, payloads, (meta, payload) => {
        const data = encodeRecord(payload, meta);
        expect(decodeRecord(data)).toEqual(decodeJsonHeader(data));
      }),
      { numRuns: 500 },
    );
  });

  it('reads records as earlier versions wrote them', () => {
    const written = [
      'c1{"g":0,"c":1764000000000}\n{"id":1}',
      'c1{"g":5000,"c":1764000000000,"d":42}\n"text"',
      'c1{"g":5000,"c":1764000000000,"t":{"user:1":"3:0"},"d":42}\n[1,2]',
    ];
    expect(written.map(decodeRecord)).toEqual([
      { graceMs: 0, createdAt: 1764000000000, tags: undefined, loadMs: 0, payload: '{"id":1}' },
      { graceMs: 5000, createdAt: 1764000000000, tags: undefined, loadMs: 42, payload: '"text"' },
      {
        graceMs: 5000,
        createdAt: 1764000000000,
        tags: { 'user:1': '3:0' },
        loadMs: 42,
        payload: '[1,2]',
      },
    ]);
  });

  it('reads no record from a string it did not write', () => {
    for (const data of ['', 'c1', 'c1{"g":1,"c":2}', 'c2{"g":1,"c":2}\n1', 'c1{"g":-1,"c":2}\n1']) {
      expect(decodeRecord(data)).toBeUndefined();
    }
  });
});
