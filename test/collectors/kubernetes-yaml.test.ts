import { describe, expect, it } from 'vitest';
import { ManifestLoader } from '../../shared/collectors/manifests.js';

/** Values as kubectl reads them (sigs.k8s.io/yaml: go-yaml v2, YAML 1.1), not as YAML 1.2's core schema would. */
function scalars(block: string): Record<string, unknown> {
  const loader = new ManifestLoader();
  loader.addText(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: probe}\ndata:\n${block}`, 'probe.yaml');
  const loaded = loader.result({ kind: 'manifests', name: 't' }, '2026-12-03T00:00:00Z');
  expect(loaded.errors).toEqual([]);
  return loaded.inventories[0]!.resources[0]!['data'] as Record<string, unknown>;
}

describe('manifest YAML is read the way Kubernetes reads it', () => {
  it('YAML 1.1 booleans are booleans: yes/Yes/on/On/y are true, no/off/n are false; quoted they stay strings', () => {
    expect(scalars('  a: yes\n  b: On\n  c: y\n  d: no\n  e: OFF\n  f: n\n  g: "yes"\n  h: true\n')).toEqual({
      a: true,
      b: true,
      c: true,
      d: false,
      e: false,
      f: false,
      g: 'yes',
      h: true,
    });
  });

  it('a leading 0 is octal (0755 is 493) as is 0o755; quoted stays text; other numbers unchanged', () => {
    expect(scalars("  a: 0755\n  b: 0o755\n  c: '0755'\n  d: 0x1F\n  e: 1_000\n  f: 1.5\n  g: 09\n  h: 0\n")).toEqual({
      a: 0o755,
      b: 0o755,
      c: '0755',
      d: 31,
      e: 1000,
      f: 1.5,
      g: 9,
      h: 0,
    });
  });

  it('timestamps and sexagesimal-looking values stay strings, never Dates or base-60 numbers', () => {
    expect(scalars('  a: 2001-12-14\n  b: 2024-01-01T10:00:00Z\n  c: 12:30\n  d: 1:20:30.5\n')).toEqual({
      a: '2001-12-14',
      b: '2024-01-01T10:00:00Z',
      c: '12:30',
      d: '1:20:30.5',
    });
  });

  it('merge keys merge, as kubectl does', () => {
    const loader = new ManifestLoader();
    loader.addText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  <<: {a: "1"}\n  b: "2"\n', 'merge.yaml');
    const loaded = loader.result({ kind: 'manifests', name: 't' }, '2026-12-03T00:00:00Z');
    const cm = loaded.inventories[0]!.resources.find((o) => o.metadata?.name === 'm')!;
    expect(cm['data']).toEqual({ a: '1', b: '2' });
  });
});
