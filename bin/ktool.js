#!/usr/bin/env node
// Thin entry: run the compiled CLI and hand its exit code to the process.
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
