import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths.js';

/** tsx's loader by absolute URL: `--import tsx` would be resolved from the child's working directory. */
export const TSX_LOADER = pathToFileURL(createRequire(`${REPO_ROOT}package.json`).resolve('tsx')).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `hardline` CLI in a child process (Node 22 + tsx), as a user or CI pipeline would. */
export function runCli(args: readonly string[], opts: { stdin?: string; cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, `${REPO_ROOT}cli/main.ts`, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.stdin ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A Deployment the CLI's store tests scan: privileged (one FAIL of workload.privileged) or not (it resolves). */
export const agentDeployment = (privileged: boolean): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: agent, namespace: ops }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers:
        - name: agent
          image: registry.k8s.io/agent:1.0
          securityContext: { privileged: ${privileged} }
`;
