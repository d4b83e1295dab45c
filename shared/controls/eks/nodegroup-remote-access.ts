import { asRecord, asString, asStrings } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';
import { nodegroupName, nodegroupRef, nodegroupsOrOutcome } from './nodegroups.js';

export const nodegroupRemoteAccess = defineControl(
  {
    id: 'eks.nodegroup-remote-access',
    title: 'Nodegroups must not allow SSH to the nodes',
    severity: 'medium',
    category: 'Nodes',
    scope: 'eks',
    frameworks: { nsa: 'Network separation: worker node segmentation', cis: ['5.4.3'] },
    rationale:
      "SSH to a node gives root on every pod it runs and the node role's credentials. A nodegroup with remoteAccess but no source " +
      'security groups opens port 22 to 0.0.0.0/0. An EC2 key pair set in the launch template enables SSH the same way. Use SSM ' +
      'Session Manager (audited, no open port) for node access.',
    remediation:
      'Create nodegroups without remoteAccess (or key pair in the launch template) and use SSM Session Manager for break-glass access.',
  },
  judgeEksCluster({ reads: ['eks:nodegroups', 'eks:launch-templates'] }, function* ({ ctx }) {
    const found = nodegroupsOrOutcome(ctx);
    if (!('nodegroups' in found)) {
      if (found.outcome) yield found.outcome;
      return;
    }
    for (const ng of found.nodegroups) {
      const ref = nodegroupRef(ng);
      const remote = asRecord(ng['remoteAccess']);
      const key = asString(remote?.['ec2SshKey']);
      const ltKey = asString(ng['launchTemplateKeyName']);
      if (key) {
        const groups = asStrings(remote?.['sourceSecurityGroups']);
        const open = groups.length === 0;
        yield ctx.outcome(
          'FAIL',
          ref,
          open
            ? `nodegroup ${nodegroupName(ng)} allows SSH with key ${key} from anywhere (no source security groups: port 22 open to 0.0.0.0/0)`
            : `nodegroup ${nodegroupName(ng)} allows SSH with key ${key} from security groups ${groups.join(', ')}`,
          { ec2SshKey: key, sourceSecurityGroups: groups, openToInternet: open },
        );
        continue;
      }
      if (ltKey) {
        yield ctx.outcome(
          'FAIL',
          ref,
          `nodegroup ${nodegroupName(ng)} launches nodes with EC2 key pair ${ltKey} (from its launch template)`,
          { launchTemplateKeyName: ltKey },
        );
        continue;
      }
      yield ctx.outcome('PASS', ref, 'no SSH remote access configured');
    }
  }),
);
