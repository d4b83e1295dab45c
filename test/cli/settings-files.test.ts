import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, loadExemptionsFile } from '../../cli/sources/settings-files.js';
import { ConfigError, InputError } from '../../shared/core/errors.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const write = (name: string, text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'hl-settings-')), name);
  writeFileSync(file, text);
  return file;
};

describe('settings files (read at the edge, parsed by the engine)', () => {
  it('loads an exemptions file in the {exemptions: [...]} form, naming its source', () => {
    const file = write(
      'ex.yaml',
      'exemptions:\n  - controlId: workload.privileged\n    match: {cluster: "prod-*"}\n    reason: accepted\n    expires: 2027-06-30\n',
    );
    const [e] = loadExemptionsFile(file, { now: NOW });
    expect(e).toMatchObject({
      controlId: 'workload.privileged',
      match: { cluster: 'prod-*' },
      expires: '2027-06-30',
      source: `file:${file}`,
    });
  });

  it('an unreadable exemptions file is an input error naming it', () => {
    expect(() => loadExemptionsFile('/nonexistent/ex.yaml', { now: NOW })).toThrow(InputError);
    expect(() => loadExemptionsFile('/nonexistent/ex.yaml', { now: NOW })).toThrow(/cannot read exemptions \/nonexistent\/ex\.yaml/);
  });

  it('loads a config file and checks its control ids against the catalog', () => {
    expect(loadConfigFile(write('ok.yaml', 'controls:\n  disabled: [workload.host-pid]\n')).controls.disabled).toEqual([
      'workload.host-pid',
    ]);
    const typo = write('typo.yaml', 'controls:\n  disabled: [workload.host-pdi]\n');
    expect(() => loadConfigFile(typo)).toThrow(ConfigError);
    expect(() => loadConfigFile(typo)).toThrow(
      `${typo}: controls.disabled.0: unknown control id 'workload.host-pdi' (see hardline controls)`,
    );
    expect(() => loadConfigFile(write('bad.yaml', 'controls: [\n'))).toThrow(/not valid YAML/);
  });
});
