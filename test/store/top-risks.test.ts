import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlFacts } from '../../shared/controls/facts.js';
import { report, result, staging, tempStore, type TestStore } from './support.js';

/**
 * The summary's top risks follow the HTML report's rule: severity first, the number of open
 * findings only among equals. Six LOW findings of one control must not outrank one CRITICAL.
 */
let s: TestStore;

beforeAll(async () => {
  s = await tempStore();
  const low = Array.from({ length: 6 }, (_, i) => result({ control: 'workload.resource-limits', severity: 'low', name: `low-${i}` }));
  const high = [
    result({ control: 'workload.host-pid', severity: 'high', name: 'h1' }),
    result({ control: 'workload.privilege-escalation', severity: 'high', name: 'h2' }),
    result({ control: 'workload.privilege-escalation', severity: 'high', name: 'h3' }),
  ];
  const critical = result({ control: 'workload.privileged', severity: 'critical', name: 'c1' });
  await s.store.saveScan(report('r1', [...low, ...high, critical]));
  await s.store.saveScan(
    report('r2', [result({ control: 'workload.privilege-escalation', severity: 'high', name: 'h4', target: staging })], {
      targets: [staging],
    }),
  );
  // Exempted findings are not open risks.
  await s.store.saveScan(
    report(
      'r3',
      [result({ control: 'workload.host-ipc', severity: 'high', name: 'x', exempted: true, target: { ...staging, name: 'dev' } })],
      {
        targets: [{ ...staging, name: 'dev' }],
      },
    ),
  );
});
afterAll(async () => s?.dispose());

describe('GET /summary top risks', () => {
  it('ranks by severity, then open count; counts targets; leaves exempted findings out', async () => {
    const { topRisks } = await s.store.summary();
    expect(topRisks.map((r) => [r.controlId, r.severity, r.open, r.targets])).toEqual([
      ['workload.privileged', 'critical', 1, 1],
      ['workload.privilege-escalation', 'high', 3, 2],
      ['workload.host-pid', 'high', 1, 1],
      ['workload.resource-limits', 'low', 6, 1],
    ]);
    expect(topRisks[0]!.title).toBe(controlFacts('workload.privileged')!.title);
  });

  it('follows a filter like the rest of the summary', async () => {
    const { topRisks } = await s.store.summary({ cluster: ['staging'] });
    expect(topRisks.map((r) => [r.controlId, r.open, r.targets])).toEqual([['workload.privilege-escalation', 1, 1]]);
  });
});
