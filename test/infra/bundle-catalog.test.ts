import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, functionEntry, type FunctionName } from '../../infra/constructs/scanner-function.js';
import { controlById } from '../../shared/controls/index.js';

/**
 * The functions that only relay findings (events, the API, the Security Hub import) read the
 * generated control facts, never the catalog with its checks and the policy engines behind them.
 */
const LIGHT: FunctionName[] = ['publish-events', 'api', 'securityhub-import'];
// Text that exists only in the catalog proper: a rationale (facts carry no rationale) and a check's verdict message.
const CATALOG_PROBES = [controlById('network.nodeport-service')!.rationale.slice(0, 60), 'is of type NodePort: it listens on'];

let dir: string;
const bundles = new Map<FunctionName, { code: string; inputs: string[] }>();
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hardline-light-bundles-'));
  for (const name of LIGHT) {
    const outfile = join(dir, name, 'index.mjs');
    const r = await build({ ...esbuildOptions(functionEntry(name), outfile), metafile: true, sourcemap: false });
    const inputs = Object.keys((r.metafile as Metafile).inputs);
    bundles.set(name, { code: readFileSync(outfile, 'utf8'), inputs });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundles of the functions that relay findings', () => {
  it.each(LIGHT)('%s carries the control facts but no control check and no policy engine', (name) => {
    const { code, inputs } = bundles.get(name)!;
    const controlFiles = inputs.filter((f) => f.includes('shared/controls/') || f.includes('shared/policy/'));
    expect(controlFiles.sort()).toEqual(['shared/controls/facts.generated.ts', 'shared/controls/facts.ts']);
    for (const probe of CATALOG_PROBES) expect(code.includes(probe), `${name} contains "${probe}"`).toBe(false);
  });
});
