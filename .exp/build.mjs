import * as esbuild from 'esbuild';
const t = performance.now();
const r = await esbuild.build({
  entryPoints: { cli: '/work/main/src/cli.ts' },
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
  outdir: '/work/main/.exp/dist', outExtension: { '.js': '.mjs' }, metafile: true, logLevel: 'warning',
  packages: process.argv[2] === 'external' ? 'external' : undefined,
  banner: { js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);" },
});
console.log('build ms', Math.round(performance.now() - t));
const outs = Object.entries(r.metafile.outputs).map(([f, o]) => [f, o.bytes]).sort((a,b)=>b[1]-a[1]).slice(0,8);
console.log(outs);
