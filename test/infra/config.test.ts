import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseSettings, settingsFromContext } from '../../infra/config.js';

describe('deployment settings (CDK context)', () => {
  it('defaults deploy a working account-mode scanner', () => {
    expect(parseSettings({})).toMatchObject({
      schedule: 'cron(0 3 * * ? *)',
      scheduleTimezone: 'UTC',
      regions: [],
      orgMode: 'account',
      memberRoleName: 'hardline-read',
      scannerRolePrefix: 'hardline-scanner',
      siem: { kind: 'queue' },
      retentionDays: 90,
      mapMode: 'distributed',
      maxConcurrency: 20,
      deletionProtection: true,
      deployMemberRole: true,
      scanClusterReservedConcurrency: 20,
      missedRunAlarmHours: 26,
    });
    expect(parseSettings({ maxConcurrency: '35' }).scanClusterReservedConcurrency).toBe(35);
    expect(parseSettings({ orgMode: 'organization' }).deployMemberRole).toBe(false);
  });

  it('reads -c values, which arrive as strings: lists, JSON objects, numbers and booleans', () => {
    const app = new App({
      context: {
        regions: 'eu-west-1, us-east-1',
        siem: '{"kind":"firehose","deliveryStreamArn":"arn:aws:firehose:eu-west-1:111122223333:deliverystream/siem"}',
        retentionDays: '30',
        deletionProtection: 'false',
        scanConfig: '{"allowedRegistries":["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"]}',
        '@aws-cdk/core:someFeatureFlag': true,
      },
    });
    const s = settingsFromContext(app.node);
    expect(s).toMatchObject({
      regions: ['eu-west-1', 'us-east-1'],
      siem: { kind: 'firehose' },
      retentionDays: 30,
      deletionProtection: false,
    });
    expect(s.scanConfig).toEqual({ allowedRegistries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/'] });
  });

  it('a wrong value stops the synth naming the key', () => {
    expect(() => parseSettings({ schedule: 'every day' })).toThrow(/schedule/);
    expect(() => parseSettings({ regions: 'eu-west-1,moon-1' })).toThrow(/regions/);
    expect(() => parseSettings({ siem: { kind: 'api-destination', endpoint: 'http://plain.example.com', apiKeySecretArn: 'x' } })).toThrow(
      /siem\.(endpoint|apiKeySecretArn)/,
    );
    expect(() => parseSettings({ scanConfig: { allowedRegistries: 'not-a-list' } })).toThrow(/scanConfig/);
    expect(() => parseSettings({ memberRoleOrganizationalUnits: 'ou-ab12-abcdefgh' })).toThrow(/needs orgMode=organization/);
    expect(() => parseSettings({ retentionDay: 3 })).toThrow(/retentionDay/);
    expect(() => parseSettings({ logRetentionDays: '100' })).toThrow(/logRetentionDays: one of 1, 3, 5/);
    expect(parseSettings({ logRetentionDays: '30' }).logRetentionDays).toBe(30);
    expect(() => parseSettings({ maxConcurrency: '40', scanClusterReservedConcurrency: '20' })).toThrow(
      /scanClusterReservedConcurrency \(20\) must be at least maxConcurrency \(40\)/,
    );
    expect(() => parseSettings({ missedRunAlarmHours: '0' })).toThrow(/missedRunAlarmHours/);
  });
});
