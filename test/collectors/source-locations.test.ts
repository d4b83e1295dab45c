import { describe, expect, it } from 'vitest';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { locationKey, SourceLocations } from '../../shared/collectors/source-locations.js';

const pod = (name: string, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('SourceLocations', () => {
  it('answers by kind/namespace/name, the last object read under a key winning, and nothing for unknown keys', () => {
    const locations = new SourceLocations();
    const doc = { file: 'a.yaml', line: 3 };
    locations.add('Pod', 'ns', 'web', doc);
    expect(locations.get(locationKey('Pod', 'ns', 'web'))).toBe(doc);
    locations.add('Pod', 'ns', 'web', { file: 'b.yaml', line: 9 });
    expect(locations.get('Pod/ns/web')).toEqual({ file: 'b.yaml', line: 9 });
    expect(locations.get('Pod//web')).toBeUndefined();
  });

  it('gives a List item its index path, nested Lists and arrays in Lists included, as the loader recorded it before', () => {
    const loader = new ManifestLoader();
    const nested = { apiVersion: 'v1', kind: 'List', items: [pod('c', 'ns'), pod('d')] };
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('a', 'ns'), nested, [pod('e', 'ns')], { metadata: {} }] });
    loader.addText(text, 'list.json');
    loader.addText(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: top}\n---\nkind: PodList\nitems:\n  - metadata: {name: f}\n',
      'docs.yaml',
    );
    const { locations } = loader.result({ kind: 'manifests', name: 't' }, 'now');
    expect(locations.get('Pod/ns/a')).toEqual({ file: 'list.json', line: 1, items: [0] });
    expect(locations.get('Pod/ns/c')).toEqual({ file: 'list.json', line: 1, items: [1, 0] });
    expect(locations.get('Pod//d')).toEqual({ file: 'list.json', line: 1, items: [1, 1] });
    expect(locations.get('Pod/ns/e')).toEqual({ file: 'list.json', line: 1, items: [2] });
    expect(locations.get('Namespace//top')).toEqual({ file: 'docs.yaml', line: 1, document: { start: 0, end: 53, line: 1 } });
    expect(locations.get('Pod//f')).toEqual({ file: 'docs.yaml', line: 5, document: { start: 53, end: 102, line: 4 }, items: [0] });
  });
});
