import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controls } from '../shared/controls/index.js';
import { frameworkById, frameworks, selectControls } from '../shared/frameworks/index.js';
import { UsageError } from '../shared/core/errors.js';
import { TOOL_VERSION } from '../shared/core/version.js';

describe('frameworks as data', () => {
  it('name only controls that exist, each once', () => {
    for (const f of frameworks) {
      expect(f.controls.filter((id) => !controls.some((c) => c.id === id)), f.id).toEqual([]);
      expect(new Set(f.controls).size, f.id).toBe(f.controls.length);
    }
  });

  it('agree with each control’s cross-references', () => {
    const ids = (id: string) => new Set(frameworkById(id)!.controls);
    for (const c of controls) {
      expect(ids('nsa-cisa').has(c.id), `${c.id} nsa`).toBe(c.frameworks.nsa !== undefined);
      expect(ids('cis-eks').has(c.id), `${c.id} cis`).toBe((c.frameworks.cis?.length ?? 0) > 0);
      expect(ids('pss-baseline').has(c.id), `${c.id} pss-baseline`).toBe(c.frameworks.pss?.level === 'baseline');
      expect(ids('pss-restricted').has(c.id), `${c.id} pss-restricted`).toBe(c.frameworks.pss !== undefined);
    }
  });

  it('selects by framework and by control globs, and rejects unknown ids', () => {
    expect(selectControls(controls, 'pss-baseline').every((c) => c.frameworks.pss?.level === 'baseline')).toBe(true);
    expect(selectControls(controls, 'all', ['workload.host-*']).map((c) => c.id)).toEqual(['workload.host-pid', 'workload.host-ipc', 'workload.host-network', 'workload.host-port', 'workload.host-path', 'workload.host-probes']);
    expect(() => selectControls(controls, 'pci')).toThrow(UsageError);
    expect(() => selectControls(controls, 'all', ['workload.nope'])).toThrow(/workload\.nope/);
  });

  it('every control carries title, rationale, remediation and a unique kebab-case domain.check id', () => {
    expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
    for (const c of controls) {
      expect(c.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(c.title.length, c.id).toBeGreaterThan(10);
      expect(c.rationale.length, c.id).toBeGreaterThan(30);
      expect(c.remediation.length, c.id).toBeGreaterThan(20);
    }
  });
});

describe('version', () => {
  it('the CLI reports the package version', () => {
    expect(TOOL_VERSION).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  });
});
