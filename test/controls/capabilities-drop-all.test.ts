import { describe, expect, it } from 'vitest';
import { controlById } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { deployment, inventoryOf } from '../support/inventory.js';

const control = controlById('workload.capabilities-drop-all')!;
const pod = (capabilities?: Record<string, unknown>) => ({
  containers: [{ name: 'app', image: 'x:1', ...(capabilities ? { securityContext: { capabilities } } : {}) }],
});

describe('workload.capabilities-drop-all says what is wrong with a container’s capabilities', () => {
  it('drop and add in every combination: message and evidence', () => {
    const results = evaluate(
      inventoryOf([
        deployment('hardened', 'a', pod({ drop: ['ALL'] })),
        deployment('bind', 'a', pod({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] })),
        deployment('unset', 'a', pod()),
        deployment('unset-again', 'b', pod({ drop: ['NET_RAW'] })),
        deployment('bind-only', 'a', pod({ add: ['NET_BIND_SERVICE'] })),
        deployment('adds', 'a', pod({ drop: ['ALL'], add: ['NET_ADMIN'] })),
        deployment('both', 'a', pod({ add: ['SYS_TIME', 'NET_BIND_SERVICE'] })),
      ]),
      [control],
      [],
      { now: new Date('2026-12-03T00:00:00Z') },
    ).toArray();
    const byName = Object.fromEntries(results.map((r) => [r.resource.name, r]));
    expect(byName['hardened']!.status).toBe('PASS');
    expect(byName['bind']!.status).toBe('PASS');
    const notDropped = {
      message: "container 'app' does not drop ALL",
      evidence: { field: 'containers[app].securityContext.capabilities', added: [] },
    };
    for (const name of ['unset', 'unset-again', 'bind-only']) expect(byName[name]).toMatchObject({ status: 'FAIL', ...notDropped });
    expect(byName['adds']).toMatchObject({ status: 'FAIL', message: "container 'app' adds NET_ADMIN", evidence: { added: ['NET_ADMIN'] } });
    expect(byName['both']).toMatchObject({
      status: 'FAIL',
      message: "container 'app' does not drop ALL and adds SYS_TIME",
      evidence: { added: ['SYS_TIME'] },
    });
  });
});
