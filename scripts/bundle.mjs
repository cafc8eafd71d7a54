// `npm run build`, after tsc: links dist/src into dist/ktool/, one module per lazily loaded
// command plus shared chunks. Node's ESM loader resolves, reads and compiles every file on its
// own (~130 of them for server-start), which was about a third of the broker's start-up; one
// file per command removes that. npm packages stay external. bin/ktool.js runs the bundle only
// while it is newer than dist/src (a later plain `tsc` makes dist/src run instead).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = new URL('../dist/ktool/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../dist/src/cli.js', import.meta.url).pathname],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
