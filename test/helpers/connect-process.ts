// `ktool connect-standalone` in a child process, for tests that kill the worker without a clean
// shutdown (SIGKILL). Usage: node --import tsx test/helpers/connect-process.ts <args...>
import { main } from '../../src/cli.js';

process.exitCode = await main(['connect-standalone', ...process.argv.slice(2)]);
