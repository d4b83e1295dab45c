// Loaded with `node --import` by the lint tools: their `typescript` resolves to the TypeScript 5.9
// installed beside this file (the compiler API they need), while the project's tsc stays TypeScript 7.
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

if (typeof nodeModule.registerHooks !== 'function') {
  throw new Error(
    `the lint tools need Node >= 22.15 (module.registerHooks), this is ${process.version}: run them through npm (npm run lint)`,
  );
}

const fromHere = nodeModule.createRequire(import.meta.url);

nodeModule.registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'typescript' || specifier.startsWith('typescript/')) {
      return { url: pathToFileURL(fromHere.resolve(specifier)).href, shortCircuit: true };
    }
    return next(specifier, context);
  },
});
