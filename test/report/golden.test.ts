import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_FILE, GOLDEN_FORMATS, goldenDigests, type GoldenDigests } from './golden-reports.js';

/**
 * Results are kept compact and every format is written in pieces: the documents must still be the
 * ones main rendered before that change, byte for byte (test/report/golden-digests.json was
 * recorded from that checkout; see golden-reports.ts to record again after a deliberate change).
 */
describe('reports are byte for byte the documents of the recorded reference', () => {
  const want = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as GoldenDigests;
  let got: GoldenDigests;
  beforeAll(async () => {
    got = await goldenDigests();
  }, 120_000);

  const cases = Object.keys(want).flatMap((scan) => GOLDEN_FORMATS.map((format) => [scan, format] as const));
  it('covers examples/, the fixture scan and a 5,000-object synthetic cluster in every format', () => {
    expect(Object.keys(want).sort()).toEqual(['examples', 'fixture', 'synthetic-5k']);
    expect(cases).toHaveLength(3 * GOLDEN_FORMATS.length);
  });

  it.each(cases)('%s as %s', (scan, format) => {
    expect(got[scan]![format], `${scan} ${format}: run test/report/golden-reports.ts only if the change is deliberate`).toEqual(
      want[scan]![format],
    );
  });
});
