import type { DocumentOptions, SchemaOptions, Tags } from 'yaml';

/**
 * YAML read the way kubectl and the API server read it (sigs.k8s.io/yaml, YAML 1.1), so a manifest
 * means here what it means in the cluster: `privileged: yes` / `on` / `y` is true, `0755` is octal,
 * `<<` merges. As there, timestamps and `1:30` stay strings, and `0o755` (YAML 1.2) is still octal.
 */
export const KUBERNETES_YAML: DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags: Tags): Tags => [
    ...tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
    'intOct',
  ],
};
