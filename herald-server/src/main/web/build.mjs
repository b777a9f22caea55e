// Bundles the inbox widget into OUT (argv[2]; Maven passes target/classes/web) with
// socket.io-client inside, so a page loads one file from Herald and needs no other host. The demo
// page and the admin console are plain files that Maven's resources step copies beside it.
import { build } from 'esbuild';
import path from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUTPUT_DIR');
  process.exit(2);
}
await build({
  entryPoints: ['widget/herald-inbox.js'],
  outfile: path.join(out, 'widget/herald-inbox.js'),
  bundle: true, format: 'iife', target: ['es2020'], minify: true, legalComments: 'eof', logLevel: 'warning',
});
