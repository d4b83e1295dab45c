import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FACTS, factsSource } from '../../scripts/catalog.js';
import { CONTROL_FACTS } from '../../shared/controls/facts.js';
import { controls } from '../../shared/controls/index.js';
import type { Control } from '../../shared/controls/types.js';

const CONTROLS_DIR = fileURLToPath(new URL('../../shared/controls/', import.meta.url));
const DOMAINS = readdirSync(CONTROLS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

const isControl = (v: unknown): v is Control =>
  typeof v === 'object' && v !== null && typeof (v as Control).id === 'string' && typeof (v as Control).check === 'function';

describe('control catalog', () => {
  it('lists every control a domain folder defines (a control file not in its domain list would never run)', async () => {
    const defined: string[] = [];
    for (const domain of DOMAINS) {
      for (const file of readdirSync(join(CONTROLS_DIR, domain)).filter((f) => f.endsWith('.ts'))) {
        const mod = (await import(pathToFileURL(join(CONTROLS_DIR, domain, file)).href)) as Record<string, unknown>;
        for (const value of Object.values(mod)) if (isControl(value)) defined.push(`${domain}/${file}: ${value.id}`);
      }
    }
    const listed = new Set(controls.map((c) => c.id));
    expect(defined.filter((d) => !listed.has(d.split(': ')[1]!))).toEqual([]);
    expect(new Set(defined.filter((d) => !d.includes('/index.ts')).map((d) => d.split(': ')[1])).size).toBe(controls.length);
  });

  it('keeps each control in the folder of its id’s domain', () => {
    for (const c of controls) expect(DOMAINS, c.id).toContain(c.id.split('.')[0]);
  });

  it('shared/controls/facts.generated.ts is current (regenerate with `npm run catalog`)', () => {
    expect(readFileSync(FACTS, 'utf8') === factsSource(), 'facts.generated.ts is stale: run npm run catalog').toBe(true);
    expect(CONTROL_FACTS.map((c) => c.id)).toEqual(controls.map((c) => c.id));
  });
});
