import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { describeError, isHardlineError } from '../shared/core/errors.js';
import { TOOL_VERSION } from '../shared/core/version.js';
import { registerControls } from './commands/controls.js';
import { registerDemo } from './commands/demo.js';
import { registerFindings } from './commands/findings.js';
import { EXIT, registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerSnapshot } from './commands/snapshot.js';
import { ignoreClosedOutput } from './io.js';

export function buildProgram(): Command {
  const program = new Command('hardline')
    .description('Hardening scanner for EKS clusters and ECR registries: NSA/CISA, CIS EKS, Pod Security Standards')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run hardline --help for usage)')
    // Options after a command belong to it (`findings show ID --format json` is show's --format, not findings').
    .enablePositionalOptions()
    .exitOverride();
  registerScan(program);
  registerSnapshot(program);
  registerControls(program);
  registerFindings(program);
  registerServe(program);
  registerDemo(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError();
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failures found, 2 usage or input error, 3 incomplete scan). */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  ignoreClosedOutput();
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0; everything else is a usage error.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (isHardlineError(e) && ['USAGE', 'INPUT', 'CONFIG', 'VALIDATION'].includes(e.code)) {
      process.stderr.write(`hardline: ${e.message}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`hardline: unexpected error: ${describeError(e)}\n`);
    if (process.env['HARDLINE_DEBUG']) console.error(e);
    return EXIT.USAGE;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
