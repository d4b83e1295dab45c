import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { controlById, controls } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';

/**
 * Table-driven fixtures (as Polaris does): test/controls/fixtures/<control id>/{pass,fail,unknown}/*.{yaml,json}.
 * Every control needs at least one pass and one fail fixture: adding a control = its file + its fixtures.
 * Every file is scanned as one inventory (YAML manifests, or a JSON snapshot carrying gaps/eks/ecr data):
 * - fail/: the control yields at least one FAIL;
 * - pass/: at least one PASS and no FAIL, UNKNOWN or ERROR;
 * - unknown/: at least one UNKNOWN and no PASS.
 */
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const NOW = new Date('2026-11-30T12:00:00Z');

type Expectation = 'pass' | 'fail' | 'unknown';
const cases: [string, Expectation, string][] = [];
for (const id of existsSync(FIXTURES) ? readdirSync(FIXTURES).sort() : []) {
  for (const kind of ['pass', 'fail', 'unknown'] as const) {
    const dir = join(FIXTURES, id, kind);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort())
      cases.push([id, kind, join(dir, file)]);
  }
}

function evaluateFile(controlId: string, file: string) {
  const loader = new ManifestLoader();
  loader.addText(readFileSync(file, 'utf8'), file);
  const loaded = loader.result({ kind: 'manifests', name: 'fixture' }, NOW.toISOString());
  expect(loaded.errors, `${file} must parse`).toEqual([]);
  const control = controlById(controlId)!;
  return loaded.inventories.flatMap((inv) => evaluate(inv, [control], [], { now: NOW }).toArray());
}

describe('control fixtures', () => {
  it('every fixture folder names a control of the catalog', () => {
    const unknownIds = [...new Set(cases.map(([id]) => id))].filter((id) => !controlById(id));
    expect(unknownIds).toEqual([]);
  });

  it('every control, of every scope, has pass and fail fixtures', () => {
    const missing = controls
      .filter((c) => !cases.some(([id, k]) => id === c.id && k === 'pass') || !cases.some(([id, k]) => id === c.id && k === 'fail'))
      .map((c) => c.id);
    expect(missing).toEqual([]);
  });

  it.each(cases)('%s %s: %s', (controlId, expectation, file) => {
    const results = evaluateFile(controlId, file);
    const statuses = results.map(
      (r) => `${r.status} ${r.resource.kind}/${r.resource.name}${r.resource.container ? `[${r.resource.container}]` : ''}: ${r.message}`,
    );
    const has = (s: string) => results.some((r) => r.status === s);
    if (expectation === 'fail') expect(has('FAIL'), statuses.join('\n')).toBe(true);
    if (expectation === 'pass') {
      expect(results.filter((r) => ['FAIL', 'UNKNOWN', 'ERROR'].includes(r.status)).map((r) => r.message)).toEqual([]);
      expect(has('PASS'), statuses.join('\n')).toBe(true);
    }
    if (expectation === 'unknown') {
      expect(has('UNKNOWN'), statuses.join('\n')).toBe(true);
      expect(has('PASS'), statuses.join('\n')).toBe(false);
    }
  });
});
