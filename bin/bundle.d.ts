// Types for bundle.js (plain JavaScript: it runs before any TypeScript loader exists).

/** A hash of the checkout's path and every bundled source's path, size and mtime. */
export function bundleKey(root?: string): string;
/** dist/<key>/cli.mjs for the current sources, built when missing (`built`: by this call); null when it cannot be built. */
export function bundledEntry(dist?: string): Promise<{ entry: string; built: boolean } | null>;
