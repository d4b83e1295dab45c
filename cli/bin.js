#!/usr/bin/env node
// The `hardline` command (npm link, npm install -g ., npx hardline): runs the TypeScript CLI
// through tsx (no build step) from the user's working directory, under Node 22 or newer.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 22;
const major = Number(process.versions.node.split('.')[0]);
const self = fileURLToPath(import.meta.url);
// `npm ci` installs Node 22 here (the `node` devDependency); a linked bin may start under an older PATH node.
const bundledNode = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));

// `npm run hardline -- …` runs in the repository root: paths and the store belong to where the user typed it.
if (process.env.npm_lifecycle_event === 'hardline' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

if (major < MIN_MAJOR) {
  if (!existsSync(bundledNode) || process.env.HARDLINE_REEXEC === '1') {
    process.stderr.write(
      `hardline: needs Node.js ${MIN_MAJOR} or newer, this is ${process.version} (${process.execPath}).\n` +
        `  Run \`npm ci\` in ${fileURLToPath(new URL('..', import.meta.url))} (it installs Node ${MIN_MAJOR} under node_modules/node),\n` +
        `  or put Node ${MIN_MAJOR} first on your PATH.\n`,
    );
    process.exit(2);
  }
  // Re-run under the repository's Node 22: @kubernetes/client-node crashes on older ones.
  const child = spawn(bundledNode, [self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, HARDLINE_REEXEC: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (e) => {
    process.stderr.write(`hardline: could not start ${bundledNode}: ${e.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 2);
    // End the way the child ended, so a shell sees the signal too.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('./main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
