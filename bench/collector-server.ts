import { K8sApiServer } from '../test/support/k8s-api-server.js';
import { syntheticPods } from '../test/support/synthetic-pods.js';

// Child of bench/collector.ts: the fake API server in its own process, so its memory and CPU are
// not counted against the collector. Prints {port, caData} once listening; exits when killed.
const pods = Number(process.argv[2] ?? '10000');
const server = await K8sApiServer.start();
server.addCluster('', { objects: syntheticPods(pods, 100) });
process.stdout.write(JSON.stringify({ port: server.port, caData: server.caData }) + '\n');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
