import { asRecord, asRecords, asString, getPath, type JsonRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { type ContainerName, KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads, type Verdict } from './walk.js';

const present = (v: unknown) => v !== undefined && v !== null;

/** Whether the container takes any Secret through its environment, read without building anything. */
function takesSecret(spec: Record<string, unknown>): boolean {
  const env = spec['env'];
  if (Array.isArray(env)) for (const e of env) if (present(getPath(asRecord(e), 'valueFrom', 'secretKeyRef'))) return true;
  const envFrom = spec['envFrom'];
  if (Array.isArray(envFrom)) for (const e of envFrom) if (present(asRecord(e)?.['secretRef'])) return true;
  return false;
}

const secretNameOf = (env: JsonRecord) => asString(getPath(env, 'valueFrom', 'secretKeyRef', 'name'));

/** The one env entry taking a Secret, when there is exactly one and no envFrom takes one (the usual case). */
function onlySecretVariable(spec: JsonRecord): JsonRecord | undefined {
  const envFrom = spec['envFrom'];
  if (Array.isArray(envFrom)) for (const e of envFrom) if (present(asRecord(e)?.['secretRef'])) return undefined;
  const env = spec['env'];
  if (!Array.isArray(env)) return undefined;
  let found: JsonRecord | undefined;
  for (const item of env) {
    const e = asRecord(item);
    if (!e || !present(getPath(e, 'valueFrom', 'secretKeyRef'))) continue;
    if (found) return undefined;
    found = e;
  }
  return found;
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
      if (!takesSecret(c.spec)) return undefined;
      const one = onlySecretVariable(c.spec);
      if (one) return oneVariable.container(ctx, c, asString(one['name']) || '(unnamed)', secretNameOf(one) ?? '');
      const variables = asRecords(c.spec['env'])
        .filter((e) => present(getPath(e, 'valueFrom', 'secretKeyRef')))
        .map((e) => ({ name: asString(e['name']) || '(unnamed)', secret: secretNameOf(e) }));
      const sources = asRecords(c.spec['envFrom'])
        .filter((e) => present(e['secretRef']))
        .map((e) => asString(getPath(e, 'secretRef', 'name')) || '(unnamed)');
      if (variables.length === 0 && sources.length === 0) return undefined;
      return secretsVerdict(c, variables, sources);
    },
    passMessage: 'no Secret passed through environment variables',
  }),
);
