import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { esbuildOptions, functionEntry } from '../../infra/constructs/scanner-function.js';
import { controlById } from '../../shared/controls/index.js';

/** The one real bundle of the suite: scan-cluster built exactly as ScannerFunction has NodejsFunction build it. */
let dir: string;
let outfile: string;
let bundled: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hardline-bundle-test-'));
  outfile = join(dir, 'index.mjs');
  const out = await build({ ...esbuildOptions(functionEntry('scan-cluster'), outfile), metafile: true });
  bundled = Object.keys(out.metafile.inputs);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('scan-cluster bundle', () => {
  it('is one ESM file with the AWS SDK inside (no static import left to the runtime) and a source map without sources', () => {
    const code = readFileSync(outfile, 'utf8');
    expect(code.startsWith("import{createRequire}from'module';const require=createRequire(import.meta.url);")).toBe(true);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).not.toMatch(/from\s*["']@kubernetes\/client-node["']/);
    const map = JSON.parse(readFileSync(`${outfile}.map`, 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
  });

  it('leaves only the EC2 client to the Lambda runtime, imported lazily so a cold start never resolves it', () => {
    const code = readFileSync(outfile, 'utf8');
    const dynamic = new Set([...code.matchAll(/import\(\s*["'](@aws-sdk\/[^"']+)["']\s*\)/g)].map((m) => m[1]));
    expect(dynamic).toEqual(new Set(['@aws-sdk/client-ec2']));
    expect(bundled.filter((f) => f.includes('node_modules/@aws-sdk/client-ec2/'))).toEqual([]);
    expect(bundled.some((f) => f.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(true);
  });

  it('stays within 1.5 MB (every client a new control adds counts against it)', () => {
    expect(statSync(outfile).size).toBeLessThanOrEqual(1_536 * 1024);
  });

  it('reads EKS API servers without client-node: neither it nor undici (its fetch) is in the bundle', () => {
    expect(bundled.some((f) => f.includes('shared/collectors/kubernetes/bearer-http.ts'))).toBe(true);
    expect(bundled.filter((f) => /node_modules\/(@kubernetes|undici|ws|js-yaml)\//.test(f))).toEqual([]);
    expect(bundled.some((f) => f.includes('client-node-http'))).toBe(false);
  });

  it('carries the control catalog (so the probes test/infra/bundle-catalog.test.ts looks for would be found)', () => {
    const code = readFileSync(outfile, 'utf8');
    expect(code).toContain(controlById('network.nodeport-service')!.rationale.slice(0, 60));
    expect(code).toContain('is of type NodePort: it listens on');
  });

  it('loads in Node and answers a bad event with the real error name (class names survive minification)', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('HARDLINE_TABLE', 'hardline-findings');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const mod = (await import(pathToFileURL(outfile).href)) as { handler: (e: unknown, c: Context) => Promise<unknown> };
    const context = { functionName: 'scan-cluster', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
    await expect(mod.handler({ scanId: 'x' }, context)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^invalid step input: startedAt/),
    });
  });
});
