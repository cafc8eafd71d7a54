#!/usr/bin/env node
// Thin entry: run the compiled CLI and hand its exit code to the process. `npm run build` also
// bundles dist/src into dist/ktool/ (faster start-up); a bundle older than dist/src (a plain
// `tsc` ran since) is stale, and then dist/src runs.
import { statSync } from 'node:fs';

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = mtime('../dist/ktool/cli.js') >= mtime('../dist/src/cli.js');
const { main } = await import(bundled ? '../dist/ktool/cli.js' : '../dist/src/cli.js');

process.exitCode = await main(process.argv.slice(2));
