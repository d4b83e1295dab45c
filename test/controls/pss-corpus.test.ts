import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { controls } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { frameworkById } from '../../shared/frameworks/index.js';
import type { KubeObject } from '../../shared/inventory/types.js';
import { PSS_CORPUS } from '../support/paths.js';
import { hasShared } from '../support/requirements.js';

const haveCorpus = hasShared('corpora/pss', 'the Kubernetes Pod Security Standards corpus');

/** pod-security-admission check (fixture file prefix) → the hardline control(s) that implement it. */
const CHECK_TO_CONTROLS: Record<string, string[]> = {
  privileged: ['workload.privileged'],
  allowprivilegeescalation: ['workload.privilege-escalation'],
  runasnonroot: ['workload.run-as-non-root'],
  runasuser: ['workload.run-as-user-root'],
  hostnamespaces: ['workload.host-pid', 'workload.host-ipc', 'workload.host-network'],
  hostpathvolumes: ['workload.host-path'],
  hostports: ['workload.host-port'],
  capabilities_baseline: ['workload.capabilities-baseline'],
  capabilities_restricted: ['workload.capabilities-drop-all'],
  seccompprofile_baseline: ['workload.seccomp-unconfined'],
  seccompprofile_restricted: ['workload.seccomp'],
  apparmorprofile: ['workload.apparmor'],
  selinuxoptions: ['workload.selinux'],
  procmount: ['workload.proc-mount'],
  procmount_restricted: ['workload.proc-mount-restricted'],
  sysctls: ['workload.sysctls'],
  restrictedvolumes: ['workload.volume-types'],
  hostprobesandhostlifecycle: ['workload.host-probes'],
  windowshostprocess: ['workload.windows-host-process'],
};

const NOW = new Date('2026-11-30T00:00:00Z');

function scanFixture(level: string, file: string) {
  const obj = parse(readFileSync(join(PSS_CORPUS, level, file), 'utf8')) as KubeObject;
  const framework = frameworkById(`pss-${level.split('/')[0]}`)!;
  const selected = controls.filter((c) => framework.controls.includes(c.id));
  const inventory = {
    target: { kind: 'manifests' as const, name: file },
    collectedAt: NOW.toISOString(),
    origin: 'manifests' as const,
    resources: [obj],
    gaps: [],
  };
  return evaluate(inventory, selected, [], { now: NOW });
}

function fixtures(level: 'baseline' | 'restricted', outcome: 'pass' | 'fail'): string[] {
  if (!haveCorpus) return [];
  return readdirSync(join(PSS_CORPUS, level, outcome)).filter((f) => f.endsWith('.yaml'));
}

describe.skipIf(!haveCorpus).each(['baseline', 'restricted'] as const)('Pod Security Standards corpus: %s', (level) => {
  it.each(fixtures(level, 'fail'))('fail/%s fails its mapped control', (file) => {
    const check = file.replace(/\d+\.yaml$/, '');
    const mapped = CHECK_TO_CONTROLS[check];
    expect(mapped, `no mapping for PSS check ${check}`).toBeDefined();
    const results = scanFixture(`${level}/fail`, file);
    const failing = new Set(
      results
        .toArray()
        .filter((r) => r.status === 'FAIL')
        .map((r) => r.controlId),
    );
    expect(
      mapped!.some((id) => failing.has(id)),
      `${file}: expected one of ${mapped!.join(', ')} to FAIL, got ${[...failing].join(', ') || 'none'}`,
    ).toBe(true);
  });

  it.each(fixtures(level, 'pass'))('pass/%s has no FAIL, UNKNOWN or ERROR at this level', (file) => {
    const results = scanFixture(`${level}/pass`, file);
    const bad = results.toArray().filter((r) => r.status === 'FAIL' || r.status === 'UNKNOWN' || r.status === 'ERROR');
    expect(bad.map((r) => `${r.controlId}: ${r.message}`)).toEqual([]);
    expect(results.toArray().filter((r) => r.status === 'PASS').length).toBeGreaterThan(0);
  });
});

describe('PSS corpus coverage', () => {
  it.skipIf(!haveCorpus)('holds the 148 fixtures of pod-security-admission v1.37', () => {
    const n = (['baseline', 'restricted'] as const).reduce((s, l) => s + fixtures(l, 'pass').length + fixtures(l, 'fail').length, 0);
    expect(n).toBe(148);
  });

  it('maps every PSS check to a control that declares that PSS level', () => {
    for (const ids of Object.values(CHECK_TO_CONTROLS)) {
      for (const id of ids) expect(controls.find((c) => c.id === id)?.frameworks.pss, id).toBeDefined();
    }
  });
});
