// Secrets never reach a file or a terminal. Every text that comes from a provider (an error body,
// a gateway echoing our request headers back) or from an exception passes through here before it
// is stored or printed. Two layers, because they fit different texts:
//
// - `redactSecrets`: the VALUES of the keys in use, wherever they appear. Registered where a key
//   enters the program (the CLI's environment, a key handed to a provider), so a writer needs no
//   configuration. Safe on any text — model output and whole report files included: a 30+
//   character key never occurs in a document by chance.
// - `redact`: the values, plus the SHAPES of credentials — `Bearer …`, `sk-…`, `x-api-key: …`,
//   `Authorization: …`, `api_key=…`, URL `user:pass@` — for error texts and diagnostics, where a
//   key we were never told about (a gateway's own, a proxy's) can show up. Not for model output:
//   a pipeline design document may rightly show `Authorization: Bearer <token>` or a
//   `postgres://user:pass@host` example.
//
// The registered values are module state on purpose: a key known anywhere must be masked
// everywhere, including in an exception that the CLI prints after the command that read the
// suite (and so knew its apiKeyEnv) has thrown. Threading a redactor through every writer,
// report renderer and error path would leave exactly the gaps this module exists to close.

export const MASK = '[redacted]';

/**
 * Shorter values are not treated as secrets: no real API key is this short, and masking, say,
 * "x" or "local" everywhere would garble every text (a local server's placeholder key).
 */
const MIN_SECRET_LENGTH = 8;

const secrets = new Set<string>();
/** Longest first, so that a key containing another key is masked whole. */
let ordered: string[] = [];

/** Mask this value (and its URL-encoded form) in everything written or printed from now on. */
export function addSecret(value: string | null | undefined): void {
  const v = value?.trim();
  if (!v || v.length < MIN_SECRET_LENGTH || secrets.has(v)) return;
  secrets.add(v);
  for (const form of [encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]) if (form !== v && form.length >= MIN_SECRET_LENGTH) secrets.add(form);
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** The user and password of a URL with credentials (`https://user:pass@host`), as secrets. */
export function addUrlSecrets(url: string | null | undefined): void {
  const m = url ? USERINFO_OF.exec(url) : null;
  if (!m) return;
  const info = m[1]!;
  addSecret(info);
  for (const part of info.split(':')) {
    addSecret(part);
    try {
      addSecret(decodeURIComponent(part));
    } catch {
      // Not percent-encoded after all: the raw form is registered.
    }
  }
}

/**
 * The key variables a CLI invocation may use, registered at its start: the vendors' own, any
 * `*_API_KEY` (a suite's apiKeyEnv usually is one), and the credentials of any `*_BASE_URL`.
 * Keys named otherwise are registered when they are handed to a provider (providers/index.ts).
 */
export function addSecretsFromEnv(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (/(^|_)API_KEY$/.test(name)) addSecret(value);
    if (/_BASE_URL$/.test(name)) addUrlSecrets(value);
  }
}

/** `text` with every registered secret value masked. */
export function redactSecrets(text: string): string {
  for (const s of ordered) if (text.includes(s)) text = text.split(s).join(MASK);
  return text;
}

/** The user:pass of `scheme://user:pass@host`, up to the first / ? # or space. */
const USERINFO_OF = /^[a-z][a-z0-9+.-]*:\/\/([^\s/?#@]+)@/i;

/** Credential shapes, each replaced keeping its label so that the text still says what was there. */
const SHAPES: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
  // URL credentials: https://user:pass@host → https://[redacted]@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${MASK}@`],
  // Header echoes, as text or (escaped) JSON: authorization: Bearer xyz, "x-api-key":"xyz", api_key=xyz
  [
    /\b((?:proxy-)?authorization|(?:x-)?(?:goog-)?api[-_]?key|access[-_]?token|client[-_]?secret|password|passwd)(\\*["']?\s*[:=]\s*\\*["']?)(?:(bearer|basic|token)\s+)?[^\s"'\\,;&}]+/gi,
    (_, name, sep, scheme) => `${name}${sep}${scheme ? `${scheme} ` : ''}${MASK}`,
  ],
  // A token after an auth scheme, wherever it stands; one with a digit or a symbol, so that
  // "Basic authentication failed" stays readable.
  [/\b(bearer|basic)\s+([A-Za-z0-9._~+/=-]{8,})/gi, (all, scheme, token) => (/[0-9._~+/=-]/.test(token) ? `${scheme} ${MASK}` : all)],
  // Key shapes of the common vendors: OpenAI and Anthropic (sk-…), Stripe-style (sk_live_…),
  // Google (AIza…), GitHub (ghp_…, github_pat_…), Groq (gsk_…), xAI (xai-…).
  [/\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}|\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|\bAIza[0-9A-Za-z_-]{30,}|\b(?:gh[opsur]_|github_pat_)[A-Za-z0-9_]{20,}|\bgsk_[A-Za-z0-9]{20,}|\bxai-[A-Za-z0-9]{20,}/g, MASK],
];

/** `text` (an error, a diagnostic) with registered secrets and anything shaped like a credential masked. */
export function redact(text: string): string {
  let out = redactSecrets(text);
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement as string);
  return out;
}

/** `redact` for any thrown value: its message (and stack, when asked) with secrets masked. */
export function redactError(error: unknown, withStack = false): string {
  const text = error instanceof Error ? (withStack && error.stack ? error.stack : error.message) : String(error);
  return redact(text);
}
