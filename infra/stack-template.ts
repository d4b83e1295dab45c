import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, type Stack } from 'aws-cdk-lib';

/**
 * A member stack as a self-contained template (no bootstrap parameter) for a StackSet. Synthesized
 * in its own output folder: under `cdk synth` the default would be the service app's cdk.out.
 */
export function selfContainedTemplate(build: (app: App, synthesizer: BootstraplessSynthesizer) => Stack): string {
  const outdir = mkdtempSync(join(tmpdir(), 'hardline-member-template-'));
  try {
    const app = new App({ outdir });
    const stack = build(app, new BootstraplessSynthesizer());
    return JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
