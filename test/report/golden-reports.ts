import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Manifests from '../../shared/collectors/manifests.js';
import type * as Scan from '../../shared/engine/scan.js';
import type * as Controls from '../../shared/controls/index.js';
import type * as Settings from '../../shared/config/settings.js';
import type * as DefaultExemptions from '../../shared/engine/default-exemptions.js';
import type * as Format from '../../shared/report/format.js';
import type * as ScanFixture from './scan-fixture.js';
import type { Inventory } from '../../shared/inventory/types.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The reports every format renders for three scans — examples/ (with the default exemptions), the
 * formatter tests' fixture scan (hostile names, a leaked key, exemptions, an unreachable cluster)
 * and a 5,000-object synthetic cluster — with a fixed scan id and clock, as sha256 and size.
 *
 * Run against another checkout it records that checkout's reports: the committed digests were
 * made from main before results became compact and output streamed, so the test comparing them
 * with this checkout proves the documents did not change by a byte. When a format changes on
 * purpose, record again from the checkout that has the change:
 *   npx tsx test/report/golden-reports.ts [--root DIR]   (writes test/report/golden-digests.json)
 */
export const GOLDEN_FORMATS = ['table', 'json', 'sarif', 'junit', 'ocsf', 'asff', 'html'] as const;
export const GOLDEN_FILE = join(REPO_ROOT, 'test/report/golden-digests.json');

export type GoldenDigests = Record<string, Record<string, { sha256: string; bytes: number }>>;

const SCAN = {
  scanId: '00000000-0000-4000-8000-000000000000',
  startedAt: '2026-11-30T12:00:00.000Z',
  finishedAt: '2026-11-30T12:01:00.000Z',
};

export async function goldenDigests(root = REPO_ROOT): Promise<GoldenDigests> {
  const load = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { ManifestLoader } = (await load('shared/collectors/manifests.ts')) as typeof Manifests;
  const { runScan } = (await load('shared/engine/scan.ts')) as typeof Scan;
  const { controls } = (await load('shared/controls/index.ts')) as typeof Controls;
  const { defaultConfig } = (await load('shared/config/settings.ts')) as typeof Settings;
  const { DEFAULT_EXEMPTIONS } = (await load('shared/engine/default-exemptions.ts')) as typeof DefaultExemptions;
  const { formatReport } = (await load('shared/report/format.ts')) as typeof Format;
  const { fixtureScan } = (await load('test/report/scan-fixture.ts')) as typeof ScanFixture;
  // Typed here, not imported: bench builds on test/support, so test must not import bench.
  const { syntheticInventory } = (await load('bench/synthetic.ts')) as { syntheticInventory: (opts: { objects: number }) => Inventory };

  const scanOptions = {
    controls,
    exemptions: DEFAULT_EXEMPTIONS,
    config: defaultConfig(),
    framework: 'all',
    scanId: SCAN.scanId,
    startedAt: new Date(SCAN.startedAt),
    finishedAt: () => new Date(SCAN.finishedAt),
  };
  // File names in the reports are relative to the working directory: the checkout's root.
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const loader = new ManifestLoader();
    loader.addPath('examples');
    const loaded = loader.result({ kind: 'manifests', name: 'examples' }, SCAN.startedAt);
    const examples = runScan(loaded.targets, { ...scanOptions, errors: loaded.errors });
    const synthetic = runScan([{ inventory: syntheticInventory({ objects: 5_000 }) }], scanOptions);
    const scans = {
      examples: { report: examples, locations: loaded.locations },
      fixture: { report: fixtureScan() },
      'synthetic-5k': { report: synthetic },
    };
    const out: GoldenDigests = {};
    for (const [name, { report, ...ctx }] of Object.entries(scans)) {
      out[name] = {};
      for (const format of GOLDEN_FORMATS) {
        const text = formatReport(report, format, { controls, color: false, ...ctx });
        out[name][format] = { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
      }
    }
    return out;
  } finally {
    process.chdir(cwd);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--root');
  const root = at >= 0 ? process.argv[at + 1]! : REPO_ROOT;
  writeFileSync(GOLDEN_FILE, JSON.stringify(await goldenDigests(root.endsWith('/') ? root : `${root}/`), null, 2) + '\n');
  process.stdout.write(`recorded ${GOLDEN_FILE} from ${root}\n`);
}
