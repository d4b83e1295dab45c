import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../shared/config/settings.js';
import type { CheckContext } from '../../shared/controls/types.js';
import { KeptVerdicts } from '../../shared/controls/workload/verdicts.js';
import { InventoryIndex } from '../../shared/inventory/indexed.js';

const contextOf = (index: InventoryIndex) =>
  ({ index, inventory: index.inventory, config: defaultConfig(), now: new Date(0), outcome: () => 0 }) as unknown as CheckContext;
const newIndex = () =>
  new InventoryIndex({
    target: { kind: 'manifests', name: 't' },
    resources: [],
    gaps: [],
    collectedAt: '2026-12-03T00:00:00Z',
    origin: 'manifests',
  });

describe('KeptVerdicts', () => {
  it('hands out one verdict per container type, name, cause and detail within an evaluation, built from those alone', () => {
    let built = 0;
    const kept = new KeptVerdicts<'a' | 'b'>({
      container: (c, cause, detail) => {
        built++;
        return { message: `${c.type} '${c.name}' ${cause} ${detail}`, evidence: { field: c.name } };
      },
    });
    const ctx = contextOf(newIndex());
    const app = { type: 'container' as const, name: 'app' };
    const first = kept.container(ctx, app, 'a', 'x');
    expect(kept.container(ctx, { type: 'container', name: 'app' }, 'a', 'x')).toBe(first);
    expect(built).toBe(1);
    expect(kept.container(ctx, app, 'a', 'y').message).toBe("container 'app' a y");
    expect(kept.container(ctx, app, 'b', 'x').message).toBe("container 'app' b x");
    expect(kept.container(ctx, { type: 'initContainer', name: 'app' }, 'a', 'x').message).toBe("initContainer 'app' a x");
    expect(kept.container(ctx, { type: 'container', name: 'db' }, 'a', 'x').message).toBe("container 'db' a x");
    expect(built).toBe(5);
    // Shared by every result that names it, so nobody may change it.
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.evidence)).toBe(true);
  });

  it('starts afresh for another evaluation (another index) and keeps pod verdicts by cause and detail', () => {
    let built = 0;
    const kept = new KeptVerdicts<'mounts'>({
      pod: (cause, sa) => {
        built++;
        return { message: `${cause} ${sa}` };
      },
    });
    const one = contextOf(newIndex());
    const v = kept.pod(one, 'mounts', 'default');
    expect(kept.pod(one, 'mounts', 'default')).toBe(v);
    expect(kept.pod(one, 'mounts', 'builder').message).toBe('mounts builder');
    const two = contextOf(newIndex());
    const again = kept.pod(two, 'mounts', 'default');
    expect(again).not.toBe(v);
    expect(again).toEqual(v);
    expect(built).toBe(3);
  });

  it('past its limit builds verdicts without keeping them, and they are still right', () => {
    const kept = new KeptVerdicts({ container: (c, image) => ({ message: `${c.name} ${image}` }) });
    const ctx = contextOf(newIndex());
    for (let i = 0; i < 9000; i++) expect(kept.container(ctx, { type: 'container', name: 'app' }, `img-${i}`).message).toBe(`app img-${i}`);
    const late = kept.container(ctx, { type: 'container', name: 'app' }, 'img-8999');
    expect(late.message).toBe('app img-8999');
    expect(kept.container(ctx, { type: 'container', name: 'app' }, 'img-8999')).not.toBe(late);
    expect(kept.container(ctx, { type: 'container', name: 'app' }, 'img-1')).toBe(
      kept.container(ctx, { type: 'container', name: 'app' }, 'img-1'),
    );
  });
});
