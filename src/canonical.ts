// Canonical JSON (keys sorted at every level, no whitespace) and its sha256: the identity of a
// prompt version's content, and later of a response-store key. Same content, same hash.

import { createHash } from 'node:crypto';

/** `scalar` writes each non-object value; a caller may pass one that remembers long strings (store keys). */
export function canonicalJson(value: unknown, scalar: (value: unknown) => string = scalarJson): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, scalar)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, scalar)}`).join(',')}}`;
}

function scalarJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * sha256 of a document's text, remembering the last one: a stored answer's text is hashed to
 * check the store entry and again for its grade-cache key, one right after the other (10,000
 * stored documents: ~0.35 s each time). The same string compares equal at once.
 */
export function textSha256(text: string): string {
  if (text !== lastText) {
    lastHash = sha256(text);
    lastText = text;
  }
  return lastHash;
}
let lastText: string | null = null;
let lastHash = '';
