import { grantsPersistentVolumeCreate } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacPersistentVolumeCreate = defineControl(
  {
    id: 'rbac.persistent-volume-create',
    title: 'Roles should not grant create on PersistentVolumes',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0278'],
      cis: ['4.1.9'],
      match: 'same',
    },
    rationale:
      'A PersistentVolume can point at any hostPath of a node; whoever creates one and claims it mounts the node’s filesystem into a pod, around Pod Security admission. CIS 4.1.9: minimize access to create PersistentVolume objects.',
    remediation:
      'Remove create on persistentvolumes from the role: let users request storage through PersistentVolumeClaims and a StorageClass whose provisioner creates the volumes.',
  },
  judgeRolePermission({
    grants: grantsPersistentVolumeCreate,
    permission: 'create on persistentvolumes',
    judgeBuiltInRoleBindings: true,
  }),
);
