import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { mapLimit } from '../../shared/core/concurrency.js';
import { InputError, UsageError, describeError } from '../../shared/core/errors.js';
import type { Target } from '../../shared/core/types.js';
import type { TargetInput } from '../../shared/inventory/types.js';
import { redact } from '../../shared/redaction/redact.js';
import type { Progress } from '../progress.js';

export interface KubeSourceFlags {
  context?: string;
  allContexts?: boolean;
  kubeconfig?: string;
}

/** Contexts scanned at once with --all-contexts: each runs its own bounded set of lists. */
const CONTEXT_CONCURRENCY = 4;

/** The kubeconfig files to read: --kubeconfig, else $KUBECONFIG (a path list, first wins), else ~/.kube/config. */
export function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flag) return [flag];
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  return fromEnv.length > 0 ? fromEnv : [join(env['HOME'] || homedir(), '.kube', 'config')];
}

/**
 * Live clusters from a kubeconfig: one target per context (--context NAME, --all-contexts, or the
 * current context). Contexts are collected concurrently with a bound; a context whose API server
 * is dead or refuses the credentials becomes a failed target and the others carry on.
 * @kubernetes/client-node is imported here, lazily: scans of manifests never load it.
 */
export async function collectKubeTargets(flags: KubeSourceFlags, progress: Progress): Promise<TargetInput[]> {
  const k8s = await import('@kubernetes/client-node');
  const { collectKubernetesInventory, isKubeRequestError } = await import('../../shared/collectors/kubernetes/index.js');
  const { viaKubeconfig } = await import('../../shared/collectors/kubernetes/client-node-http.js');
  const base = loadKubeconfig(k8s.KubeConfig, kubeconfigFiles(flags.kubeconfig));
  const names = base.getContexts().map((c) => c.name);
  let selected: string[];
  if (flags.allContexts) {
    if (names.length === 0) throw new UsageError('the kubeconfig has no contexts');
    selected = names;
  } else {
    const name = flags.context ?? base.getCurrentContext();
    if (!name) throw new UsageError('no --context given and the kubeconfig has no current-context');
    if (!names.includes(name)) {
      throw new UsageError(`kubeconfig has no context '${name}' (available: ${names.join(', ') || 'none'})`);
    }
    selected = [name];
  }

  // One line however many contexts: how many finished, then the ones in flight.
  const active = new Map<string, string>();
  let finished = 0;
  const show = () =>
    progress.update(
      [`${finished}/${selected.length} context${selected.length === 1 ? '' : 's'}`, ...[...active].map(([n, s]) => `${n}: ${s}`)].join(
        ' · ',
      ),
    );
  return mapLimit(selected, CONTEXT_CONCURRENCY, async (name): Promise<TargetInput> => {
    const kc = new k8s.KubeConfig();
    // One KubeConfig per context: the current context is read on every request, so contexts cannot share one.
    kc.loadFromOptions({ clusters: base.getClusters(), users: base.getUsers(), contexts: base.getContexts(), currentContext: name });
    const target = targetOf(name, kc.getContextObject(name)?.cluster ?? '');
    active.set(name, 'connecting');
    show();
    try {
      const inventory = await collectKubernetesInventory(viaKubeconfig(kc), {
        target,
        onProgress: (p) => {
          active.set(name, `${p.kind} ${p.items} (${p.kindsDone}/${p.kindsTotal} kinds)`);
          show();
        },
      });
      return { inventory };
    } catch (e) {
      // Caught per context: one dead cluster never stops the others.
      const denied = isKubeRequestError(e) && (e.reason === 'unauthorized' || e.reason === 'forbidden');
      const server = kc.getCurrentCluster()?.server ?? 'the API server';
      // Refused credentials leave the cluster's state unknown; a dead or broken server is an error.
      return { target, failure: { status: denied ? 'UNKNOWN' : 'ERROR', reason: redact(`${server}: ${describeError(e)}`) } };
    } finally {
      active.delete(name);
      finished++;
      show();
    }
  });
}

/**
 * Reads the kubeconfig files the way kubectl merges them: the first file that names a cluster,
 * user or context wins, and the first current-context set wins.
 */
export function loadKubeconfig(KubeConfigClass: new () => KubeConfig, files: readonly string[]): KubeConfig {
  const existing = files.filter((f) => existsSync(f));
  if (existing.length === 0) {
    throw new UsageError(`no kubeconfig found (looked at ${files.join(', ')}); pass --kubeconfig FILE or set KUBECONFIG`);
  }
  const merged = new KubeConfigClass();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  for (const file of existing) {
    const kc = new KubeConfigClass();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      throw new InputError(`cannot read kubeconfig ${file}: ${describeError(e)}`, { cause: e, file });
    }
    for (const c of kc.getClusters()) if (!merged.getCluster(c.name)) merged.addCluster(c);
    for (const u of kc.getUsers()) if (!merged.getUser(u.name)) merged.addUser(u);
    for (const c of kc.getContexts()) if (!merged.getContextObject(c.name)) merged.addContext(c);
    if (!merged.getCurrentContext() && kc.getCurrentContext()) merged.setCurrentContext(kc.getCurrentContext());
  }
  return merged;
}

const EKS_ARN = /^arn:aws[\w-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/;

/**
 * The target of a context. `aws eks update-kubeconfig` names the cluster entry by its ARN: then the
 * target carries the EKS cluster's name, account and region, so findings from a laptop scan have
 * the same ids as the scheduled scan's. Otherwise the context name identifies the cluster.
 */
export function targetOf(contextName: string, clusterEntry: string): Target {
  const m = EKS_ARN.exec(clusterEntry);
  if (m) return { kind: 'cluster', name: m[3]!, accountId: m[2]!, region: m[1]!, arn: clusterEntry };
  return { kind: 'cluster', name: contextName };
}
