import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import { INDEX } from '../../shared/store/keys.js';
import { TTL_ATTRIBUTE } from '../../shared/store/table.js';
import { acknowledge, arnRef } from './nag.js';

export interface FindingsStoreProps {
  /** Deletion protection on the table (and RETAIN on delete); off only for throw-away stacks. */
  deletionProtection: boolean;
}

/**
 * The single findings table, declared from the same key and index definitions the store code uses
 * (shared/store/keys.ts, table.ts): PK/SK, the four GSIs (projection ALL), TTL on resolved
 * findings' history, a stream of NEW_AND_OLD_IMAGES for the event publisher, PITR, and a
 * customer-managed KMS key with rotation.
 */
export class FindingsStore extends Construct {
  readonly table: dynamodb.TableV2;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: FindingsStoreProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new kms.Key(this, 'Key', {
      description: 'hardline findings table and its stream',
      enableKeyRotation: true,
      removalPolicy,
    });
    const s = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: s('PK'),
      sortKey: s('SK'),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.deletionProtection,
      removalPolicy,
      globalSecondaryIndexes: Object.values(INDEX).map((i) => ({
        indexName: i.name,
        partitionKey: s(i.pk),
        sortKey: s(i.sk),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'HARDLINE_TABLE for the CLI (hardline findings / serve against AWS)',
    });
  }

  /** Items and indexes, read and write (saving a scan, the API's exemption writes). */
  grantReadWrite(grantee: iam.IGrantable & { role?: IConstruct | undefined }): void {
    this.table.grantReadWriteData(grantee);
    this.acknowledgeGrant(grantee);
  }

  /**
   * Exactly these item actions on the table and the named indexes (a pipeline function's list in
   * shared/pipeline/table-access.ts), and an explicit deny of item writes on one partition
   * (`dynamodb:LeadingKeys`): the exemptions, which only the API writes.
   */
  grantItems(
    grantee: iam.IGrantable & { role?: IConstruct | undefined },
    access: { actions: readonly string[]; indexes: readonly string[]; denyWritesTo: { partition: string; actions: readonly string[] } },
  ): void {
    const principal = grantee.grantPrincipal;
    const resources = [this.table.tableArn, ...access.indexes.map((i) => `${this.table.tableArn}/index/${i}`)];
    principal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'FindingsTableItems', actions: [...access.actions], resources }));
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'NoWritesToProtectedPartition',
        effect: iam.Effect.DENY,
        actions: [...access.denyWritesTo.actions],
        resources: [this.table.tableArn],
        // ForAnyValue: BatchWriteItem carries many keys; one in the partition is enough to refuse it.
        conditions: { 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': [access.denyWritesTo.partition] } },
      }),
    );
    this.key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*');
    this.acknowledgeKey(grantee);
  }

  private acknowledgeGrant(grantee: { role?: IConstruct | undefined }): void {
    const scope = grantee.role;
    if (!scope) return;
    acknowledge(
      scope,
      `AwsSolutions-IAM5[Resource::${arnRef(this.table)}/index/*]`,
      "The store reads findings through this table's own GSIs (byCluster, byControl, bySeverityState, byScan); the wildcard covers only this table's indexes.",
    );
    this.acknowledgeKey(grantee);
  }

  private acknowledgeKey(grantee: { role?: IConstruct | undefined }): void {
    const scope = grantee.role;
    if (!scope) return;
    acknowledge(
      scope,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      "Data keys of the table's customer-managed key, which DynamoDB asks for on the caller's behalf; the statement is limited to that one key.",
    );
    acknowledge(
      scope,
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      "Re-encryption under the table's customer-managed key (key rotation); the statement is limited to that one key.",
    );
  }
}
