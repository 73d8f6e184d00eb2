#!/usr/bin/env node
// Builds the published library entries into lib/ (gitignored), run by `npm run build:lib` and at
// `prepare`, so `npm ci` and `npm pack` both leave a lib/ that works:
//
//   lib/promptfoo.js  `promptgate/promptfoo`: the graders as promptfoo assertions
//                     (src/promptfoo/assertion.ts), one plain-JavaScript ES module.
//
// One self-contained bundle: a promptfoo project loads it with a bare `import()`, with no
// TypeScript loader and without resolving promptgate's own dependencies again.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = process.argv[2] ?? join(root, 'lib');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Installed as someone's dependency with scripts run but no esbuild: the published lib/ is used.
  process.stderr.write('build-lib: esbuild is not installed; lib/ left as it is\n');
  process.exit(0);
}

const { outputFiles } = await esbuild.build({
  write: false,
  entryPoints: { promptfoo: join(root, 'src/promptfoo/assertion.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (ajv, yaml…) still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __promptgateRequire } from 'node:module'; const require = __promptgateRequire(import.meta.url);" },
  plugins: [
    {
      // `import.meta.dirname` in a source keeps meaning that source's folder.
      name: 'source-dirname',
      setup(build) {
        build.onLoad({ filter: /\.ts$/ }, (args) => ({ contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))), loader: 'ts' }));
      },
    },
  ],
});

// Each file written whole and renamed into place: a promptfoo run (or test) loading lib/ while it
// is rebuilt sees the old file or the new one, never half of one.
mkdirSync(out, { recursive: true });
for (const file of outputFiles) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
