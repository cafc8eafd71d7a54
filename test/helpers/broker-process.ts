// A broker in a child process, for tests that must kill it without a clean shutdown (SIGKILL).
// Usage: node --import tsx test/helpers/broker-process.ts <logDir> [key=value ...]
// Prints `READY <port>` once it listens; SIGTERM shuts it down cleanly.
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { Broker } from '../../src/broker/index.js';
import { silentLogger } from '../../src/log.js';

const [logDir, ...overrides] = process.argv.slice(2);
const props = new Map<string, string>([
  ['listeners', 'PLAINTEXT://127.0.0.1:0'],
  ['log.dirs', logDir!],
  ...overrides.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
]);
const broker = await Broker.start(brokerConfigFrom(props), silentLogger);
process.on('SIGTERM', () => {
  void broker.close().then(() => process.exit(0));
});
process.stdout.write(`READY ${broker.port}\n`);
