import { describe, expect, it } from 'vitest';
import { controlById } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { deployment, inventoryOf } from '../support/inventory.js';

const control = controlById('workload.secrets-in-env')!;
const secretVar = (name: string, secret: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key: 'k' } } });
const pod = (container: Record<string, unknown>) => ({ containers: [{ name: 'app', image: 'x:1', ...container }] });

describe('workload.secrets-in-env names every way a container takes Secrets', () => {
  it('one variable (the kept verdict), several variables, a variable with envFrom, envFrom alone, none', () => {
    const results = evaluate(
      inventoryOf([
        deployment('one', 'a', pod({ env: [{ name: 'PLAIN', value: 'x' }, secretVar('DB_PASSWORD', 'db')] })),
        deployment('one-again', 'b', pod({ env: [secretVar('DB_PASSWORD', 'db')] })),
        deployment('two', 'a', pod({ env: [secretVar('DB_PASSWORD', 'db'), secretVar('API_KEY', 'api')] })),
        deployment('mixed', 'a', pod({ env: [secretVar('DB_PASSWORD', 'db')], envFrom: [{ secretRef: { name: 'bundle' } }] })),
        deployment('from', 'a', pod({ envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 'bundle' } }] })),
        deployment('none', 'a', pod({ env: [{ name: 'PLAIN', value: 'x' }], envFrom: [{ configMapRef: { name: 'cm' } }] })),
      ]),
      [control],
      [],
      { now: new Date('2026-12-03T00:00:00Z') },
    ).toArray();
    const byName = Object.fromEntries(results.map((r) => [r.resource.name, r]));
    expect(byName['one']!.message).toBe("container 'app' takes Secret db through env DB_PASSWORD (secretKeyRef)");
    expect(byName['one']!.evidence).toEqual({ field: 'containers[app].env', variables: ['DB_PASSWORD'], secrets: ['db'] });
    expect(byName['one-again']!.message).toBe(byName['one']!.message);
    expect(byName['two']!.message).toBe("container 'app' takes Secrets db, api through env DB_PASSWORD, API_KEY (secretKeyRef)");
    expect(byName['mixed']!.message).toBe(
      "container 'app' takes Secrets db, bundle through env DB_PASSWORD (secretKeyRef) and envFrom secretRef bundle",
    );
    expect(byName['from']!.message).toBe("container 'app' takes Secret bundle through envFrom secretRef bundle");
    expect(byName['from']!.evidence).toEqual({ field: 'containers[app].envFrom', secrets: ['bundle'] });
    expect(byName['none']!.status).toBe('PASS');
  });
});
