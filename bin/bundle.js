// The compiled form of the sources that bin/promptgate.js runs. Loading our TypeScript through
// tsx's hooks cost ~1.2 s per start (every module of every dependency crosses to the hook
// thread); one esbuild bundle of src/ and its dependencies loads in ~0.1 s. The bundle is
// built on first use and whenever a source changes, so there is still no build step to forget:
//
//   dist/<key>/cli.mjs (+ grade-worker.mjs, stored-worker.mjs, lazily loaded chunks),
//   key = a hash of this checkout's path and every source file's path, size and mtime, and of
//   package-lock.json.
//
// A build goes to a temporary folder renamed into place, so processes starting together (tests,
// CI) never see half a bundle; the loser of a race uses the winner's. Plain JavaScript: it runs
// before any TypeScript loader exists.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

const here = join(import.meta.dirname, '..');
const SOURCES = ['src', 'graders'];
/** Older bundles are removed once they are this old (a running process may still load chunks of its own). */
const KEEP_OLD_MS = 10 * 60_000;
/** A build takes ~0.5 s; a lock this old was left by a process that died while building. */
const STALE_LOCK_MS = 60_000;

/** The source files a bundle depends on (tests, fixtures and test helpers are not bundled). */
function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'fixtures') walk(path);
      } else if (/\.(ts|json|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const dir of SOURCES) walk(join(root, dir));
  return [...files, join(root, 'package-lock.json'), join(root, 'bin/bundle.js')];
}

export function bundleKey(root = here) {
  const hash = createHash('sha256').update(root);
  for (const file of sourceFiles(root)) {
    const s = statSync(file, { throwIfNoEntry: false });
    hash.update(`\n${relative(root, file)}:${s?.size}:${s?.mtimeMs}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundle's entry point for the current sources, building it when missing; null when it
 * cannot be built (esbuild missing or failing), and then the caller runs the sources with tsx.
 * `dist` is where bundles live (tests use their own). `built` says whether this call built it.
 */
export async function bundledEntry(dist = join(here, 'dist')) {
  const dir = join(dist, bundleKey());
  const entry = join(dir, 'cli.mjs');
  if (existsSync(entry)) return { entry, built: false };
  try {
    mkdirSync(dist, { recursive: true });
    const built = await withBuildLock(join(dist, `.lock-${basename(dir)}`), () => existsSync(entry), () => build(dist, dir));
    return existsSync(entry) ? { entry, built } : null;
  } catch {
    return null;
  }
}

/**
 * Runs `work` unless another process holds the lock, in which case it waits for that process
 * to finish (`done()`) instead of building the same bundle in parallel: CI starts many commands
 * at once on a fresh clone. A lock left by a killed build is taken over once it is stale.
 */
async function withBuildLock(lock, done, work) {
  for (;;) {
    let fd;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      if (done()) return false;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile: try again
      }
      if (age > STALE_LOCK_MS) rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    try {
      if (done()) return false;
      await work();
      return true;
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}

async function build(dist, dir) {
  const esbuild = await import('esbuild');
  const tmp = join(dist, `.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    await esbuild.build({
      entryPoints: { cli: join(here, 'src/cli.ts'), 'grade-worker': join(here, 'src/runner/grade-worker.ts'), 'stored-worker': join(here, 'src/runner/stored-worker.ts') },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      // Bundled CommonJS dependencies (ajv, yaml…) still call require() for Node's built-ins.
      banner: { js: "import { createRequire as __promptgateRequire } from 'node:module'; const require = __promptgateRequire(import.meta.url);" },
      define: { __PROMPTGATE_BUNDLED__: 'true' },
      plugins: [sourceDirname],
    });
    renameSync(tmp, dir);
  } catch (error) {
    // Another process finished the same bundle first: use theirs.
    if (!existsSync(join(dir, 'cli.mjs'))) throw error;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  removeOld(dist, dir);
}

/** `import.meta.dirname` in a source file keeps meaning that file's folder (prices.json, graders' version). */
const sourceDirname = {
  name: 'source-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))), loader: 'ts' };
    });
  },
};

function removeOld(dist, keep) {
  for (const name of readdirSync(dist)) {
    const path = join(dist, name);
    if (path === keep) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
