import { asNumber, asRecord, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';
import { imdsOf, nodegroupName, nodegroupRef, nodegroupsOrOutcome } from './nodegroups.js';

export const nodegroupImdsv2 = defineControl(
  {
    id: 'eks.nodegroup-imdsv2',
    title: 'Nodegroups must require IMDSv2 with a hop limit of 1',
    severity: 'high',
    category: 'Nodes',
    scope: 'eks',
    frameworks: { nsa: 'Protecting sensitive cloud infrastructure', kubescape: ['C-0052'] },
    rationale:
      "With IMDSv1 or a hop limit above 1, any pod can reach the instance metadata service and take the node role's credentials " +
      '(SSRF is enough with IMDSv1). HttpTokens=required stops unsigned requests; a hop limit of 1 stops packets from pod network ' +
      "namespaces. Settings are read from the launch template version the nodes use (EKS's own when the nodegroup has none); a " +
      'launch template that leaves a field unset fails, because the value then depends on AMI and account defaults. Pods that need ' +
      'AWS credentials should use IRSA or EKS Pod Identity instead of the node role.',
    remediation:
      'Use a launch template with MetadataOptions HttpTokens=required and HttpPutResponseHopLimit=1 (or HttpEndpoint=disabled) and ' +
      'update the nodegroup to that version.',
  },
  judgeEksCluster({ reads: ['eks:nodegroups', 'eks:launch-templates'] }, function* ({ ctx }) {
    const found = nodegroupsOrOutcome(ctx);
    if (!('nodegroups' in found)) {
      if (found.outcome) yield found.outcome;
      return;
    }
    for (const ng of found.nodegroups) {
      const ref = nodegroupRef(ng);
      const imds = imdsOf(ng);
      if (!imds) {
        yield ctx.outcome('UNKNOWN', ref, `the IMDS settings of nodegroup ${nodegroupName(ng)} could not be read`);
        continue;
      }
      const tokens = asString(imds['httpTokens']);
      const hops = asNumber(imds['httpPutResponseHopLimit']);
      const endpoint = asString(imds['httpEndpoint']);
      const lt = asRecord(ng['imdsLaunchTemplate']);
      const evidence = {
        httpTokens: tokens ?? null,
        httpPutResponseHopLimit: hops ?? null,
        httpEndpoint: endpoint ?? null,
        source: asString(imds['source']),
        launchTemplate: asString(lt?.['name']) ?? asString(lt?.['id']),
        launchTemplateVersion: asString(lt?.['version']),
      };
      if (endpoint === 'disabled') {
        yield ctx.outcome('PASS', ref, 'the instance metadata endpoint is disabled', evidence);
        continue;
      }
      const problems: string[] = [];
      if (tokens !== 'required')
        problems.push(tokens === 'optional' ? 'IMDSv1 is allowed (HttpTokens=optional)' : 'HttpTokens is not set to required');
      if (hops === undefined) problems.push('the hop limit is not set');
      else if (hops > 1) problems.push(`the hop limit is ${hops} (pods can reach IMDS)`);
      if (problems.length > 0) {
        yield ctx.outcome('FAIL', ref, `nodegroup ${nodegroupName(ng)}: ${problems.join('; ')}`, evidence);
        continue;
      }
      yield ctx.outcome('PASS', ref, 'IMDSv2 required with hop limit 1', evidence);
    }
  }),
);
