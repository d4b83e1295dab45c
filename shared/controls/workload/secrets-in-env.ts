import { asRecord, asRecords, asString, getPath, type JsonRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { type ContainerName, KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads, type Verdict } from './walk.js';

const present = (v: unknown) => v !== undefined && v !== null;

const secretNameOf = (env: JsonRecord) => asString(getPath(env, 'valueFrom', 'secretKeyRef', 'name'));

/**
 * How the container takes Secrets through its environment, read without building anything: not at
 * all, through exactly one env entry and no envFrom (that entry: the usual case), or otherwise.
 */
function secretUse(spec: JsonRecord): 'none' | JsonRecord | 'several' {
  let fromEnvFrom = false;
  const envFrom = spec['envFrom'];
  if (Array.isArray(envFrom)) for (const e of envFrom) if (present(asRecord(e)?.['secretRef'])) fromEnvFrom = true;
  let found: JsonRecord | undefined;
  const env = spec['env'];
  if (Array.isArray(env)) {
    for (const item of env) {
      const e = asRecord(item);
      if (!e || !present(getPath(e, 'valueFrom', 'secretKeyRef'))) continue;
      if (found || fromEnvFrom) return 'several';
      found = e;
    }
  }
  return fromEnvFrom ? 'several' : (found ?? 'none');
}

function secretsVerdict(c: ContainerName, variables: { name: string; secret: string | undefined }[], sources: string[]): Verdict {
  const secrets = [...new Set([...variables.flatMap((v) => (v.secret ? [v.secret] : [])), ...sources])];
  const parts = [
    ...(variables.length > 0 ? [`env ${variables.map((v) => v.name).join(', ')} (secretKeyRef)`] : []),
    ...(sources.length > 0 ? [`envFrom secretRef ${sources.join(', ')}`] : []),
  ];
  return {
    message: `${c.type} '${c.name}' takes Secret${secrets.length === 1 ? '' : 's'} ${secrets.join(', ') || '(unnamed)'} through ${parts.join(' and ')}`,
    evidence: {
      field: containerField(c, variables.length > 0 ? 'env' : 'envFrom'),
      ...(variables.length > 0 ? { variables: variables.map((v) => v.name) } : {}),
      secrets,
    },
  };
}

/** Kept by the variable's name and its Secret's name ('' when it names none). */
const oneVariable = new KeptVerdicts({
  container: (c, name, secret) => secretsVerdict(c, [{ name, secret: secret || undefined }], []),
});

export const secretsInEnv = defineControl(
  {
    id: 'workload.secrets-in-env',
    title: 'Secrets should be mounted as files, not passed as environment variables',
    severity: 'low',
    category: 'Secrets',
    scope: 'workload',
    frameworks: {
      nsa: 'Network separation: secrets',
      kubescape: ['C-0207'],
      cis: ['4.4.1'],
    },
    match: [
      { ref: 'KS C-0207', match: 'same', note: '(env secretKeyRef and envFrom secretRef)' },
      { ref: 'CIS 4.4.1', match: 'same', note: "(as C-0207; kube-bench's audit looks only for secretKeyRef)" },
      { ref: 'Prowler core_no_secrets_envs', match: 'stricter', note: 'Prowler checks only secretKeyRef' },
    ],
    rationale:
      'A Secret in an environment variable is copied into every child process, shows in /proc/<pid>/environ, in crash dumps and in debug endpoints that print the environment, and is not updated when the Secret rotates. A mounted Secret file is readable only where mounted and follows rotation. CIS 4.4.1: prefer secrets as files.',
    remediation:
      'Mount the Secret as a volume (or through the Secrets Store CSI driver) and have the application read the file; remove env[].valueFrom.secretKeyRef and envFrom[].secretRef.',
  },
  judgeWorkloads({
    container: (c, _w, ctx) => {
      const use = secretUse(c.spec);
      if (use === 'none') return undefined;
      if (use !== 'several') return oneVariable.container(ctx, c, asString(use['name']) || '(unnamed)', secretNameOf(use) ?? '');
      const variables = asRecords(c.spec['env'])
        .filter((e) => present(getPath(e, 'valueFrom', 'secretKeyRef')))
        .map((e) => ({ name: asString(e['name']) || '(unnamed)', secret: secretNameOf(e) }));
      const sources = asRecords(c.spec['envFrom'])
        .filter((e) => present(e['secretRef']))
        .map((e) => asString(getPath(e, 'secretRef', 'name')) || '(unnamed)');
      return secretsVerdict(c, variables, sources);
    },
    passMessage: 'no Secret passed through environment variables',
  }),
);
