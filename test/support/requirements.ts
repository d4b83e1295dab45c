import { existsSync } from 'node:fs';
import { SHARED_DIR } from './paths.js';

/**
 * Tests that need `../shared` (the Kubernetes PSS corpus, collected reference data) or a headless
 * Chromium. A user's clone has neither necessarily: there such tests are skipped, and say so loudly.
 * CI sets HARDLINE_REQUIRE_SHARED=1 / HARDLINE_REQUIRE_BROWSER=1, under which a missing one fails
 * the file instead of skipping it.
 */
export const CHROMIUM_PATH = process.env['HARDLINE_CHROMIUM'] ?? '/usr/bin/chromium';

function available(present: boolean, what: string, requireVar: string, hint: string): boolean {
  if (present) return true;
  if (process.env[requireVar] === '1') throw new Error(`${what} is required (${requireVar}=1) but missing: ${hint}`);
  process.stderr.write(`\n!!! SKIPPED: ${what} is missing — ${hint}. Set ${requireVar}=1 to make this a failure.\n\n`);
  return false;
}

/** Whether `../shared/<relative>` exists beside the repository (throws when it must). */
export function hasShared(relative: string, what: string): boolean {
  return available(
    existsSync(`${SHARED_DIR}${relative}`),
    `${what} (../shared/${relative})`,
    'HARDLINE_REQUIRE_SHARED',
    'clone the design documents and corpora beside the repository as ../shared',
  );
}

/** Whether a headless Chromium is installed (throws when it must). HARDLINE_SKIP_BROWSER=1 skips quietly on purpose. */
export function hasBrowser(): boolean {
  if (process.env['HARDLINE_SKIP_BROWSER'] === '1' && process.env['HARDLINE_REQUIRE_BROWSER'] !== '1') return false;
  return available(
    existsSync(CHROMIUM_PATH),
    `Chromium (${CHROMIUM_PATH})`,
    'HARDLINE_REQUIRE_BROWSER',
    'install it with apt-get install -y chromium (.ci/run does), or point HARDLINE_CHROMIUM at one',
  );
}
