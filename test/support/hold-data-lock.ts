// A second OS process for the data-lock tests: takes the data folder's lock, says so, and waits to be killed.
// Usage: node --import tsx test/support/hold-data-lock.ts DATA_DIR
import { acquireDataLock } from '../../src/store/data-lock.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: hold-data-lock.ts DATA_DIR');
  process.exit(2);
}
acquireDataLock(dataDir);
process.stdout.write(`locked ${process.pid}\n`);
setInterval(() => undefined, 60_000);
