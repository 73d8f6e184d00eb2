// Helpers for keeping promptgate's response store in the Actions cache (see restore/ and save/).
// Plain Node, no dependencies: it runs before and whatever `npm ci` did.
//
//   node store.mjs key DIR         the store's content key: a hash of every file's path and size
//                                  (entries are content-addressed and never rewritten; the grade
//                                  cache files only grow), or nothing when the store is empty
//   node store.mjs merge FROM INTO copy into INTO every file of FROM that INTO lacks (no file of
//                                  INTO is overwritten); prints how many
//
// Temporary files of an interrupted write (*.tmp) are neither keyed nor copied.

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

function files(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

export function storeKey(root) {
  const all = files(root);
  if (!all.length) return '';
  const hash = createHash('sha256');
  for (const file of all) hash.update(`${file} ${statSync(join(root, file)).size}\n`);
  return hash.digest('hex').slice(0, 20);
}

export function mergeStore(from, into) {
  let copied = 0;
  for (const file of files(from)) {
    const target = join(into, file);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(from, file), target);
    copied++;
  }
  return copied;
}

const [command, ...args] = process.argv.slice(2);
if (command === 'key' && args.length === 1) process.stdout.write(`${storeKey(args[0])}\n`);
else if (command === 'merge' && args.length === 2) process.stdout.write(`${mergeStore(args[0], args[1])}\n`);
else {
  process.stderr.write('usage: node store.mjs key DIR | merge FROM INTO\n');
  process.exitCode = 2;
}
