import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { FindingItem, ScanItem, TargetItem } from '../../../shared/store/items.js';

/** Every item of the table, read raw (a full Scan), grouped by entity: what the checks compare. */
export interface StoreSnapshot {
  findings: Map<string, FindingItem>;
  /** By targetId. */
  targets: Map<string, TargetItem>;
  scans: Map<string, ScanItem>;
  items: number;
  /** The raw items, for secret checks. */
  raw: Record<string, AttributeValue>[];
}

export async function snapshotStore(raw: DynamoDBClient, table: string, keepRaw = false): Promise<StoreSnapshot> {
  const snap: StoreSnapshot = { findings: new Map(), targets: new Map(), scans: new Map(), items: 0, raw: [] };
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await raw.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      snap.items++;
      if (keepRaw) snap.raw.push(item);
      const entity = item['entity']?.S;
      if (entity !== 'finding' && entity !== 'target' && entity !== 'scan') continue;
      const plain = unmarshall(item) as Record<string, unknown>;
      if (entity === 'finding') snap.findings.set(String(plain['findingId']), plain as unknown as FindingItem);
      else if (entity === 'target') snap.targets.set(String(plain['PK']).replace(/^TARGET#/, ''), plain as unknown as TargetItem);
      else snap.scans.set(String(plain['scanId']), plain as unknown as ScanItem);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return snap;
}
