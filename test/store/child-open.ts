// Run by reopen.test.ts in a separate process: opens the store in HARDLINE_STORE_DIR (owned by the
// parent), counts findings, optionally adds an exemption, and prints the outcome as JSON.
import { openStore } from '../../shared/store/open.js';

const opened = await openStore();
try {
  const page = await opened.store.findings({}, { limit: 500 });
  if (process.argv.includes('--exempt')) {
    await opened.store.putExemption('from-child', {
      controlId: 'workload.privileged',
      match: { cluster: 'prod' },
      reason: 'added by another process',
    });
  }
  process.stdout.write(JSON.stringify({ count: page.items.length, pid: process.pid }));
} finally {
  await opened.close();
}
