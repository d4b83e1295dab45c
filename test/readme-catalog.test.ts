import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, renderReadme } from '../scripts/catalog.js';
import { controls } from '../shared/controls/index.js';

describe('README control catalog', () => {
  it('is current with the catalog (regenerate with `npm run catalog`)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(renderReadme(readme) === readme, 'README catalog out of date: run npm run catalog').toBe(true);
  });

  it('lists every control id once', () => {
    const readme = readFileSync(README, 'utf8');
    const catalog = readme.slice(readme.indexOf('<!-- catalog:begin'), readme.indexOf('<!-- catalog:end'));
    for (const c of controls) expect(catalog.split(`| \`${c.id}\` |`).length - 1, c.id).toBe(1);
  });
});
