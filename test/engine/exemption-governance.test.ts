import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlById } from '../../shared/controls/index.js';
import { ConfigError, InputError } from '../../shared/core/errors.js';
import { parseConfig } from '../../shared/engine/config.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { parseExemptions } from '../../shared/engine/exemptions.js';
import type { IgnoredExemption, Result } from '../../shared/engine/types.js';
import type { KubeObject } from '../../shared/inventory/types.js';
import { runMainInProcess } from '../support/cli-async.js';
import { deployment, inventoryOf } from '../support/inventory.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const privileged = controlById('workload.privileged')!;
const hostPid = controlById('workload.host-pid')!;
const privPod = { hostPID: true, containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }] };

const namespace = (name: string, annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, annotations },
});

function scan(
  objects: KubeObject[],
  annotations?: 'off' | 'named' | 'any',
  maxDays?: number,
): { results: Result[]; ignored: IgnoredExemption[] } {
  const ignored: IgnoredExemption[] = [];
  const config = parseConfig({ exemptions: { ...(annotations ? { annotations } : {}), ...(maxDays ? { maxDays } : {}) } });
  const results = evaluate(inventoryOf(objects), [privileged, hostPid], [], { now: NOW, config, ignoredExemptions: ignored }).toArray();
  return { results, ignored };
}

const exemptedIds = (results: Result[]) =>
  results
    .filter((r) => r.exempted)
    .map((r) => r.controlId)
    .sort();

describe('annotation exemptions under exemptions.annotations', () => {
  it('named (default): a namespace editor writing hardline.dev/exempt: "*" exempts nothing — privileged stays FAIL — and the report says why', () => {
    const { results, ignored } = scan([
      namespace('team', { 'hardline.dev/exempt': '*', 'hardline.dev/exempt-reason': 'trust me' }),
      deployment('app', 'team', privPod),
    ]);
    expect(
      results
        .filter((r) => r.status === 'FAIL')
        .map((r) => r.controlId)
        .sort(),
    ).toEqual(['workload.host-pid', 'workload.privileged']);
    expect(exemptedIds(results)).toEqual([]);
    expect(ignored).toEqual([
      { source: 'annotation:Namespace/team', controlId: '*', problem: expect.stringMatching(/glob.*must name each control id/) },
    ]);
  });

  it('named: globs are refused, explicit catalog ids with a reason apply', () => {
    const { results, ignored } = scan([
      namespace('team', {
        'hardline.dev/exempt': 'workload.priv*, workload.host-pid',
        'hardline.dev/exempt-reason': 'debug namespace, ticket SEC-12',
      }),
      deployment('app', 'team', privPod),
    ]);
    expect(exemptedIds(results)).toEqual(['workload.host-pid']);
    expect(results.find((r) => r.controlId === 'workload.host-pid')!.exempted).toEqual({
      by: 'annotation:Namespace/team',
      reason: 'debug namespace, ticket SEC-12',
      source: 'annotation:Namespace/team',
    });
    expect(ignored.map((i) => i.controlId)).toEqual(['workload.priv*']);
  });

  it('named: an annotation without a non-empty reason does not apply', () => {
    const { results, ignored } = scan([
      deployment('app', 'team', privPod, {
        metadata: { annotations: { 'hardline.dev/exempt': 'workload.privileged', 'hardline.dev/exempt-reason': '  ' } },
      }),
    ]);
    expect(exemptedIds(results)).toEqual([]);
    expect(ignored).toEqual([
      {
        source: 'annotation:Deployment/team/app',
        controlId: 'workload.privileged',
        problem: expect.stringMatching(/no hardline.dev\/exempt-reason/),
      },
    ]);
  });

  it('an unknown control id, an impossible date or an expiry beyond maxDays does not apply and is reported', () => {
    const reason = { 'hardline.dev/exempt-reason': 'r' };
    const { results, ignored } = scan([
      deployment('typo', 'a', privPod, { metadata: { annotations: { 'hardline.dev/exempt': 'workload.priviledged', ...reason } } }),
      deployment('feb30', 'b', privPod, {
        metadata: { annotations: { 'hardline.dev/exempt': 'workload.privileged', ...reason, 'hardline.dev/exempt-expires': '2027-02-30' } },
      }),
      deployment('far', 'c', privPod, {
        metadata: { annotations: { 'hardline.dev/exempt': 'workload.privileged', ...reason, 'hardline.dev/exempt-expires': '2027-12-31' } },
      }),
      deployment('near', 'd', privPod, {
        metadata: { annotations: { 'hardline.dev/exempt': 'workload.privileged', ...reason, 'hardline.dev/exempt-expires': '2027-06-30' } },
      }),
    ]);
    expect(results.filter((r) => r.exempted).map((r) => r.resource.name)).toEqual(['near']);
    const problems = Object.fromEntries(ignored.map((i) => [i.source, i.problem]));
    expect(problems['annotation:Deployment/a/typo']).toMatch(/unknown control id 'workload.priviledged'/);
    expect(problems['annotation:Deployment/b/feb30']).toMatch(/'2027-02-30' is not a real date/);
    expect(problems['annotation:Deployment/c/far']).toMatch(/2027-12-31 is more than 365 days ahead \(exemptions.maxDays\)/);
    expect(
      scan(
        [
          deployment('far', 'c', privPod, {
            metadata: {
              annotations: { 'hardline.dev/exempt': 'workload.privileged', ...reason, 'hardline.dev/exempt-expires': '2027-12-31' },
            },
          }),
        ],
        'named',
        400,
      ).ignored,
    ).toEqual([]);
  });

  it('any: globs and missing reasons are accepted (the old behaviour, opt-in)', () => {
    const { results, ignored } = scan([namespace('team', { 'hardline.dev/exempt': '*' }), deployment('app', 'team', privPod)], 'any');
    expect(exemptedIds(results)).toEqual(['workload.host-pid', 'workload.privileged']);
    expect(ignored).toEqual([]);
  });

  it('off: no annotation applies, however well formed', () => {
    const { results, ignored } = scan(
      [
        namespace('team', { 'hardline.dev/exempt': 'workload.privileged', 'hardline.dev/exempt-reason': 'r' }),
        deployment('app', 'team', privPod),
      ],
      'off',
    );
    expect(exemptedIds(results)).toEqual([]);
    expect(ignored[0]!.problem).toMatch(/turned off/);
  });
});

describe('exemption files and config refuse what would silently do nothing', () => {
  it.each([
    [
      { controlId: 'workload.privileged', reason: 'r', expires: '2027-02-30' },
      /exemptions\[0\]\.expires: expires must be a real calendar date/,
    ],
    [{ controlId: 'workload.priviledged', reason: 'r' }, /exemptions\[0\]\.controlId: unknown control id 'workload.priviledged'/],
    [{ controlId: 'workloads.*', reason: 'r' }, /exemptions\[0\]\.controlId: 'workloads.\*' matches no control id/],
    [{ controlId: 'workload.privileged', reason: '' }, /exemptions\[0\]\.reason: every exemption needs a reason/],
    [
      { controlId: 'workload.privileged', reason: 'r', expires: '2028-01-01' },
      /exemptions\[0\]\.expires: 2028-01-01 is more than 365 days ahead \(exemptions.maxDays\)/,
    ],
  ])('%j is an error naming the entry', (entry, message) => {
    expect(() => parseExemptions([entry], 'ex.yaml', { now: NOW })).toThrow(InputError);
    expect(() => parseExemptions([entry], 'ex.yaml', { now: NOW })).toThrow(message);
    // Behind a valid entry, the index follows.
    expect(() => parseExemptions([{ controlId: 'workload.host-pid', reason: 'fine' }, entry], 'ex.yaml', { now: NOW })).toThrow(
      /exemptions\[1\]/,
    );
  });

  it('accepts a leap day, a date-time with zone and an expiry exactly maxDays ahead', () => {
    const ok = parseExemptions(
      [
        { controlId: 'workload.privileged', reason: 'r', expires: '2027-11-30' },
        { controlId: 'workload.*', reason: 'r', expires: '2027-02-28T18:00:00+01:00' },
      ],
      'ex.yaml',
      { now: NOW },
    );
    expect(ok).toHaveLength(2);
    expect(
      parseExemptions([{ controlId: 'workload.privileged', reason: 'r', expires: '2028-02-29' }], 'ex.yaml', {
        now: NOW,
        policy: { maxDays: 500 },
      }),
    ).toHaveLength(1);
  });

  it.each([
    [{ controls: { disabled: ['workload.priviledged'] } }, /controls.disabled.0: unknown control id 'workload.priviledged'/],
    [{ controls: { disabled: ['nope.*'] } }, /controls.disabled.0: 'nope.\*' matches no control id/],
    [{ controls: { severity: { 'workload.imagetag': 'low' } } }, /controls.severity.workload.imagetag: unknown control id/],
    [{ exemptions: { annotations: 'all' } }, /exemptions.annotations/],
    [{ exemptions: { maxDays: 0 } }, /exemptions.maxDays/],
  ])('config %j is an error', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('config defaults: annotations named, maxDays 365; valid globs in controls.disabled still work', () => {
    expect(parseConfig({}).exemptions).toEqual({ annotations: 'named', maxDays: 365 });
    expect(parseConfig({ controls: { disabled: ['eks.*', 'workload.image-tag'] } }).controls.disabled).toEqual([
      'eks.*',
      'workload.image-tag',
    ]);
  });
});

describe('the CLI: exit 2 naming the entry, and the scenario end to end', () => {
  let dir: string;
  const env = () => ({ HARDLINE_STORE_DIR: join(dir, 'store') });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hardline-governance-'));
    writeFileSync(
      join(dir, 'team.yaml'),
      [
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  annotations:\n    hardline.dev/exempt: "*"\n',
        'apiVersion: v1\nkind: Pod\nmetadata: { name: app, namespace: team }\nspec:\n  containers:\n    - name: app\n      image: registry.k8s.io/app:1.0\n      securityContext: { privileged: true }\n',
      ].join('---\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exempt: "*" on a namespace: privileged is a FAIL that fails the scan, and stderr and the JSON say why the annotation was not applied', async () => {
    const run = await runMainInProcess(['scan', join(dir, 'team.yaml'), '--controls', 'workload.privileged', '--format', 'json'], env());
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { results: Result[]; scan: { ignoredExemptions: IgnoredExemption[] } };
    expect(report.results.find((r) => r.controlId === 'workload.privileged')).toMatchObject({ status: 'FAIL', resource: { name: 'app' } });
    expect(report.results.some((r) => r.exempted)).toBe(false);
    expect(report.scan.ignoredExemptions).toEqual([
      { source: 'annotation:Namespace/team', controlId: '*', problem: expect.stringMatching(/needs a reason.*glob/) },
    ]);
    expect(run.stderr).toMatch(/exemption not applied: annotation:Namespace\/team \*: .*glob/);
  });

  it.each([
    [
      'impossible date',
      '- controlId: workload.privileged\n  reason: r\n  expires: 2027-02-30\n',
      /ex\.yaml: invalid exemptions: exemptions\[0\]\.expires: expires must be a real calendar date/,
    ],
    [
      'unknown control id',
      '- controlId: workload.host-pid\n  reason: ok\n- controlId: workload.privilegd\n  reason: r\n',
      /exemptions\[1\]\.controlId: unknown control id 'workload.privilegd'/,
    ],
    ['no reason', 'exemptions:\n  - controlId: workload.privileged\n', /exemptions\[0\]\.reason/],
  ])('an exemptions file with an %s is exit 2 naming the entry', async (_what, text, message) => {
    writeFileSync(join(dir, 'ex.yaml'), text);
    const run = await runMainInProcess(['scan', join(dir, 'team.yaml'), '--exemptions', join(dir, 'ex.yaml')], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('controls.disabled with an unknown id is exit 2', async () => {
    writeFileSync(join(dir, 'hardline.config.yaml'), 'controls:\n  disabled: [workload.privileged, workload.hostpid]\n');
    const run = await runMainInProcess(['scan', join(dir, 'team.yaml'), '--config', join(dir, 'hardline.config.yaml')], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/controls.disabled.1: unknown control id 'workload.hostpid'/);
  });
});
