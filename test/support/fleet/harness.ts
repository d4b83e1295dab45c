import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { PROTECTED_PARTITION } from '../../../shared/pipeline/table-access.js';
import { createDynamoClient, documentClient } from '../../../shared/store/client.js';
import { FindingsStore } from '../../../shared/store/store.js';
import { ensureTable } from '../../../shared/store/table.js';
import { K8sApiServer } from '../k8s-api-server.js';
import { TABLE } from './deps.js';
import { startDynaliteProcess } from './dynalite-process.js';
import { instrumentDynamo } from './lambda.js';
import { SimulatedStream } from './stream.js';

export type PublishHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

/** What every fleet scenario runs on: the store on dynalite (its own process), one fake API server, the derived stream and the real publisher. */
export interface SimulationBase {
  raw: DynamoDBClient;
  store: FindingsStore;
  api: K8sApiServer;
  stream: SimulatedStream;
  publish: PublishHandler;
  close(): Promise<void>;
}

export async function startSimulationBase(logLevel: 'SILENT' | 'DEBUG' = 'SILENT'): Promise<SimulationBase> {
  process.env['POWERTOOLS_LOG_LEVEL'] = logLevel;
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  process.env['EVENT_BUS_NAME'] = 'hardline-fleet-bus';
  process.env['AWS_REGION'] ??= 'eu-west-1';
  // Loaded once up front: its first import (~1 s of CPU) would otherwise stall the first steps of a run
  // past the compressed registry timeout — an artefact of many "containers" sharing one process.
  await import('@kubernetes/client-node');
  const dynamo = await startDynaliteProcess();
  const raw = createDynamoClient({
    region: 'eu-west-1',
    endpoint: dynamo.endpoint,
    credentials: { accessKeyId: 'fleet', secretAccessKey: 'fleet' },
    maxAttempts: 3,
  });
  instrumentDynamo(raw, PROTECTED_PARTITION);
  await ensureTable(raw, TABLE);
  const api = await K8sApiServer.start();
  const publish = (await import('../../../functions/publish-events/handler.js')).handler as unknown as PublishHandler;
  return {
    raw,
    store: new FindingsStore({ doc: documentClient(raw), table: TABLE }),
    api,
    stream: new SimulatedStream(raw, TABLE),
    publish,
    close: async () => {
      await api.close();
      raw.destroy();
      await dynamo.close();
    },
  };
}
