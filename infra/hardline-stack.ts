import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { changeEventsTemplate } from './change-events-member-stack.js';
import { clusterOnboardingTemplate } from './cluster-onboarding-stack.js';
import type { HardlineSettings } from './config.js';
import { ChangeRescans } from './constructs/change-rescans.js';
import { ClusterOnboarding } from './constructs/cluster-onboarding.js';
import { FindingEvents } from './constructs/finding-events.js';
import { FindingsApi } from './constructs/findings-api.js';
import { FindingsStore } from './constructs/findings-store.js';
import { MemberChangeEvents } from './constructs/member-change-events.js';
import { MemberOnboardingAccess } from './constructs/member-onboarding.js';
import { MemberReadRole } from './constructs/member-read-role.js';
import { MemberRoleStackSet } from './constructs/member-role-stack-set.js';
import { fullRunsCompleted, PipelineAlarms } from './constructs/pipeline-alarms.js';
import { ScanPipeline } from './constructs/scan-pipeline.js';
import { SecurityHubImport } from './constructs/security-hub-import.js';
import { memberReadRoleTemplate } from './member-read-role-stack.js';

export interface HardlineStackProps extends StackProps {
  settings: HardlineSettings;
}

/** The service: a composition of hardline's constructs and nothing else. */
export class HardlineStack extends Stack {
  readonly store: FindingsStore;
  readonly pipeline: ScanPipeline;
  readonly events: FindingEvents;
  readonly api: FindingsApi;
  readonly alarms: PipelineAlarms;
  readonly securityHub?: SecurityHubImport;
  /** Automatic onboarding of clusters (opt-in: onboardingOrganizationalUnits or onboardOwnAccount). */
  readonly onboarding?: ClusterOnboarding;
  /** Rescans of the one target a change event touches (opt-in: changeRescans). */
  readonly changeRescans?: ChangeRescans;

  constructor(scope: Construct, id: string, props: HardlineStackProps) {
    super(scope, id, { description: 'hardline: scheduled org-wide EKS/ECR hardening scanner', ...props });
    const s = props.settings;
    const logRetention = s.logRetentionDays as logs.RetentionDays;
    this.store = new FindingsStore(this, 'FindingsStore', { deletionProtection: s.deletionProtection });
    this.pipeline = new ScanPipeline(this, 'ScanPipeline', { store: this.store, settings: s, logRetention });
    this.events = new FindingEvents(this, 'FindingEvents', {
      store: this.store,
      siem: s.siem,
      archiveRetentionDays: s.archiveRetentionDays,
      logRetention,
    });
    this.api = new FindingsApi(this, 'FindingsApi', {
      store: this.store,
      logRetention,
      rateLimit: s.apiRateLimit,
      burstLimit: s.apiBurstLimit,
      ...(s.scanConfig ? { scanConfig: s.scanConfig } : {}),
    });
    if (s.securityHub) this.securityHub = new SecurityHubImport(this, 'SecurityHub', { bus: this.events.bus, logRetention });
    if (s.onboardingOrganizationalUnits.length > 0 || s.onboardOwnAccount) this.onboarding = this.deployOnboarding(s, logRetention);
    if (s.changeRescans) this.changeRescans = this.deployChangeRescans(s, logRetention);
    this.alarms = new PipelineAlarms(this, 'Alarms', {
      stateMachine: this.pipeline.stateMachine,
      functions: [
        ...this.pipeline.functions,
        this.events.publisher,
        this.api.handler,
        ...(this.onboarding ? [this.onboarding.fn] : []),
        ...(this.securityHub ? [this.securityHub.handler] : []),
        ...(this.changeRescans ? [this.changeRescans.fn] : []),
      ],
      deadLetterQueues: [
        this.events.streamDeadLetters,
        this.events.deliveryDeadLetters,
        this.pipeline.scheduleDeadLetters,
        ...(this.onboarding ? [this.onboarding.deadLetters] : []),
        ...(this.securityHub ? [this.securityHub.deadLetters] : []),
        ...(this.changeRescans ? [this.changeRescans.deadLetters] : []),
      ],
      missedRunWindow: Duration.hours(s.missedRunAlarmHours),
      // Rescans succeed all day: with them on, only an organisation-wide run counts as "a run succeeded".
      ...(this.changeRescans ? { missedRunMetric: fullRunsCompleted(Duration.hours(s.missedRunAlarmHours)) } : {}),
      ...(s.alarmEmail ? { alarmEmail: s.alarmEmail } : {}),
      coverageFloorPercent: s.coverageFloorPercent,
    });
    if (s.deployMemberRole) {
      new MemberReadRole(this, 'MemberReadRole', {
        roleName: s.memberRoleName,
        scannerAccountId: Aws.ACCOUNT_ID,
        scannerRolePrefix: s.scannerRolePrefix,
        externalId: s.externalId,
      });
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

  /** Scanner side; member side in this account and region (account mode) or through a StackSet to the OUs, in every scanned region. */
  private deployChangeRescans(s: HardlineSettings, logRetention: logs.RetentionDays): ChangeRescans {
    const rescans = new ChangeRescans(this, 'ChangeRescans', {
      settings: s,
      store: this.store,
      stateMachine: this.pipeline.stateMachine,
      discover: this.pipeline.discover,
      logRetention,
    });
    if (s.orgMode === 'account') {
      new MemberChangeEvents(this, 'OwnAccountChangeEvents', { memberRoleName: s.memberRoleName, changesBusArn: rescans.bus.eventBusArn });
      return rescans;
    }
    const regions = s.regions.length > 0 ? s.regions : [Aws.REGION];
    new MemberRoleStackSet(this, 'ChangeEventsStackSet', {
      templateBody: changeEventsTemplate({ memberRoleName: s.memberRoleName }),
      organizationalUnitIds:
        s.changeEventsOrganizationalUnits.length > 0 ? s.changeEventsOrganizationalUnits : s.memberRoleOrganizationalUnits,
      externalId: s.externalId,
      callAs: s.stackSetCallAs,
      stackSetName: 'hardline-change-events',
      description: 'hardline: forwards EKS/ECR change events to the scanner for rescans of the target that changed',
      regions,
      parameters: { RoleRegion: regions[0]!, ChangesBusArn: rescans.bus.eventBusArn },
    });
    return rescans;
  }

  /** The scanner side, and the member side: in this account (account mode) or through a StackSet to the opted-in OUs. */
  private deployOnboarding(s: HardlineSettings, logRetention: logs.RetentionDays): ClusterOnboarding {
    const onboarding = new ClusterOnboarding(this, 'ClusterOnboarding', { settings: s, logRetention });
    const member = { memberRoleName: s.memberRoleName, scannerRolePrefix: s.scannerRolePrefix, mode: s.onboardingMode };
    if (s.onboardOwnAccount) {
      new MemberOnboardingAccess(this, 'OwnAccountOnboarding', {
        ...member,
        scannerAccountId: Aws.ACCOUNT_ID,
        externalId: s.externalId,
        onboardingBusArn: onboarding.bus.eventBusArn,
      });
    }
    if (s.onboardingOrganizationalUnits.length > 0) {
      const regions = s.regions.length > 0 ? s.regions : [Aws.REGION];
      new MemberRoleStackSet(this, 'OnboardingStackSet', {
        templateBody: clusterOnboardingTemplate(member),
        organizationalUnitIds: s.onboardingOrganizationalUnits,
        externalId: s.externalId,
        callAs: s.stackSetCallAs,
        stackSetName: 'hardline-cluster-onboarding',
        description: `hardline: automatic onboarding of EKS clusters (${s.onboardingMode}) for the hardening scan`,
        regions,
        parameters: { RoleRegion: regions[0]!, OnboardingBusArn: onboarding.bus.eventBusArn },
      });
    }
    return onboarding;
  }
}
