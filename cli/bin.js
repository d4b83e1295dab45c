#!/usr/bin/env node
// The `hardline` package bin: runs the TypeScript CLI through tsx (no build step, no dist/ folder).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
