import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { PSS_CORPUS } from '../support/paths.js';
import { hasShared } from '../support/requirements.js';

const haveCorpus = hasShared('corpora/pss', 'the Kubernetes Pod Security Standards corpus');

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS with `module.exports = Ajv`; under NodeNext its types only describe `.default`.
const Ajv = AjvDraft04 as unknown as typeof AjvDraft04.default;

describe('report formats', () => {
  it('SARIF validates against the SARIF 2.1.0 schema, one rule per control, exemptions as suppressions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-sarif-'));
    writeFileSync(
      join(dir, 'ex.yaml'),
      '- controlId: workload.privileged\n  match: {namespace: storefront}\n  reason: accepted for the demo\n',
    );
    const r = runCli(['scan', 'examples/manifests', '--format', 'sarif', '--exemptions', join(dir, 'ex.yaml')]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const run = log.runs[0];
    const ruleIds = run.rules ?? run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    const located = run.results.find(
      (x: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation,
    );
    expect(located.locations[0].physicalLocation.artifactLocation.uri).toMatch(/examples\/manifests\/.+\.yaml$/);
    expect(located.partialFingerprints['hardline/findingId']).toMatch(/^[a-f0-9]{64}$/);
    const suppressed = run.results.filter((x: { suppressions?: unknown[] }) => x.suppressions);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const x of suppressed) {
      expect(x.ruleId).toBe('workload.privileged');
      expect(x.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'accepted for the demo' }]);
    }
  });

  it('JUnit has one testsuite per control with balanced testcases and counts that match the JSON', () => {
    const junit = runCli(['scan', 'examples/manifests', '--format', 'junit']).stdout;
    const json = JSON.parse(runCli(['scan', 'examples/manifests', '--format', 'json']).stdout);
    expect(junit.startsWith('<?xml')).toBe(true);
    expect((junit.match(/<testcase /g) ?? []).length).toBe(json.results.length);
    expect((junit.match(/<\/testcase>/g) ?? []).length).toBe(json.results.length);
    const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(junit)![1]);
    expect(failures).toBe(json.results.filter((x: { status: string; exempted?: unknown }) => x.status === 'FAIL' && !x.exempted).length);
  });
});

describe('Pod Security Standards corpus through the CLI (must show: 100% of the 148 fixtures right)', () => {
  /** Fixture file prefix → controls; the fixture's pod is named after its file. */
  const MAP: Record<string, string[]> = {
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

  it.skipIf(!haveCorpus).each(['baseline', 'restricted'])(
    '%s: every fail/ fixture fails its check, every pass/ fixture has no FAIL',
    (level) => {
      let right = 0;
      let total = 0;
      for (const outcome of ['fail', 'pass']) {
        const dir = `${PSS_CORPUS}/${level}/${outcome}`;
        const r = runCli(['scan', dir, '--framework', `pss-${level}`, '--format', 'json']);
        const report = JSON.parse(r.stdout);
        for (const file of readdirSync(dir)) {
          total++;
          const name = file.replace(/\.yaml$/, '');
          const failing = report.results
            .filter((x: { status: string; resource: { name: string } }) => x.status === 'FAIL' && x.resource.name === name)
            .map((x: { controlId: string }) => x.controlId);
          const ok = outcome === 'pass' ? failing.length === 0 : MAP[name.replace(/\d+$/, '')]!.some((id) => failing.includes(id));
          if (ok) right++;
          else expect.soft(ok, `${level}/${outcome}/${file}: failing=${failing.join(',')}`).toBe(true);
        }
      }
      expect(right).toBe(total);
    },
  );
});
