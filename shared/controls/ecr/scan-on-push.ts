import { asArray, asRecord, asRecords, asString, isTrue, type JsonRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeRepositories } from './repositories.js';
import { wildcardMatches } from './wildcard.js';

const SCANNING_FREQUENCIES = new Set(['SCAN_ON_PUSH', 'CONTINUOUS_SCAN']);

/** The first registry scanning rule that scans `repository` on push or continuously, with the filter that matched. */
export function registryScanRuleMatches(
  rules: readonly JsonRecord[],
  repository: string,
): { frequency: string; filter: string } | undefined {
  for (const rule of rules) {
    const frequency = asString(rule['scanFrequency']) ?? '';
    if (!SCANNING_FREQUENCIES.has(frequency)) continue;
    for (const f of asRecords(rule['repositoryFilters'])) {
      const filter = asString(f['filter']);
      const type = asString(f['filterType']) ?? 'WILDCARD';
      if (filter !== undefined && type === 'WILDCARD' && wildcardMatches(filter, repository)) return { frequency, filter };
    }
  }
  return undefined;
}

export const scanOnPush = defineControl(
  {
    id: 'ecr.scan-on-push',
    title: 'Images must be scanned for vulnerabilities when pushed',
    severity: 'medium',
    category: 'Images',
    scope: 'ecr',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0221'], cis: ['5.1.1'], securityHub: ['ECR.1'] },
    rationale:
      'Scanning at push (or continuously with enhanced scanning) is what makes vulnerable images visible before they run. ' +
      'A repository passes when its own scanOnPush is set, when ECR reports an effective SCAN_ON_PUSH/CONTINUOUS_SCAN frequency for ' +
      'it, or when any registry-level rule (basic SCAN_ON_PUSH, enhanced SCAN_ON_PUSH or CONTINUOUS_SCAN) has a WILDCARD filter ' +
      'matching its name (`*` matches any characters, the whole name must match).',
    remediation:
      'aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules \'[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]\'',
  },
  judgeRepositories(['ecr:repositories', 'ecr:scanning-configuration'], ({ ctx, repo, name, ref }) => {
    if (isTrue(asRecord(repo['imageScanningConfiguration'])?.['scanOnPush'])) {
      return ctx.outcome('PASS', ref, 'the repository scans on push', { via: 'repository setting' });
    }
    const registry = asRecord(ctx.inventory.ecr?.registryScanning);
    const rules = asRecords(asArray(registry?.['rules']));
    const match = registryScanRuleMatches(rules, name);
    const scanType = asString(registry?.['scanType']);
    if (match) {
      return ctx.outcome('PASS', ref, `registry rule ${match.frequency} with filter '${match.filter}' covers the repository`, {
        via: 'registry rule',
        scanType,
        scanFrequency: match.frequency,
        filter: match.filter,
      });
    }
    // What ECR itself reports as applied (BatchGetRepositoryScanningConfiguration) also counts.
    const effective = asRecord(repo['scanningConfiguration']);
    const freq = asString(effective?.['scanFrequency']);
    if (freq && SCANNING_FREQUENCIES.has(freq)) {
      return ctx.outcome('PASS', ref, `ECR reports scan frequency ${freq} for the repository`, {
        via: 'effective scanning configuration',
        scanFrequency: freq,
      });
    }
    if (!registry) {
      return ctx.outcome('UNKNOWN', ref, 'the repository does not scan on push itself and the registry scanning rules could not be read');
    }
    return ctx.outcome(
      'FAIL',
      ref,
      `images pushed to ${name} are not scanned: scanOnPush is off and no registry rule (${rules.length}) matches the repository`,
      { scanType, registryRules: rules.length },
    );
  }),
);
