import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HardlineSettings } from './config.js';
import { FindingEvents } from './constructs/finding-events.js';
import { FindingsApi } from './constructs/findings-api.js';
import { FindingsStore } from './constructs/findings-store.js';
import { MemberReadRole } from './constructs/member-read-role.js';
import { MemberRoleStackSet } from './constructs/member-role-stack-set.js';
import { PipelineAlarms } from './constructs/pipeline-alarms.js';
import { ScanPipeline } from './constructs/scan-pipeline.js';
import { memberReadRoleTemplate } from './member-read-role-stack.js';

export interface HardlineStackProps extends StackProps {
  settings: HardlineSettings;
}

/** The service: a composition of hardline's constructs and nothing else (DESIGN: infra/). */
export class HardlineStack extends Stack {
  readonly store: FindingsStore;
  readonly pipeline: ScanPipeline;
  readonly events: FindingEvents;
  readonly api: FindingsApi;
  readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: HardlineStackProps) {
    super(scope, id, { description: 'hardline: scheduled org-wide EKS/ECR hardening scanner', ...props });
    const s = props.settings;
    const logRetention = s.logRetentionDays as logs.RetentionDays;
    this.store = new FindingsStore(this, 'FindingsStore', { deletionProtection: s.deletionProtection });
    this.pipeline = new ScanPipeline(this, 'ScanPipeline', { store: this.store, settings: s, logRetention });
    this.events = new FindingEvents(this, 'FindingEvents', { store: this.store, siem: s.siem, archiveRetentionDays: s.archiveRetentionDays, logRetention });
    this.api = new FindingsApi(this, 'FindingsApi', { store: this.store, logRetention, rateLimit: s.apiRateLimit, burstLimit: s.apiBurstLimit });
    this.alarms = new PipelineAlarms(this, 'Alarms', {
      stateMachine: this.pipeline.stateMachine,
      functions: [...this.pipeline.functions, this.events.publisher, this.api.handler],
      deadLetterQueues: [this.events.streamDeadLetters, this.events.deliveryDeadLetters],
      ...(s.alarmEmail ? { alarmEmail: s.alarmEmail } : {}),
      coverageFloorPercent: s.coverageFloorPercent,
    });
    if (s.deployMemberRole) {
      new MemberReadRole(this, 'MemberReadRole', { roleName: s.memberRoleName, scannerAccountId: Aws.ACCOUNT_ID, scannerRolePrefix: s.scannerRolePrefix, externalId: s.externalId });
    }
    if (s.memberRoleOrganizationalUnits.length > 0) {
      new MemberRoleStackSet(this, 'MemberRoleStackSet', {
        templateBody: memberReadRoleTemplate({ memberRoleName: s.memberRoleName, scannerRolePrefix: s.scannerRolePrefix }),
        organizationalUnitIds: s.memberRoleOrganizationalUnits,
        externalId: s.externalId,
        callAs: s.stackSetCallAs,
      });
    }
  }
}
