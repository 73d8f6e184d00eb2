// governance — the prompt's constraints: "consider data governance and access control
// requirements". Pipelines copy data into more places than any application does; who may read
// it, how personal data is protected, and how long it lives must be designed, not assumed.
//
// Access control is required (RBAC, IAM, least privilege, grants, row/column-level security,
// row policies, SSO/SCIM-provisioned roles, service accounts, Unity Catalog / Lake Formation on a
// line about access — "Unity Catalog captures column-level lineage" is a catalog, not access),
// named in a governance or security section, list item or sentence, or on a line about who may
// read what — an "IAM role" for a retrying job is not an access design. Plus two of: PII handling
// (masking, tokenisation, pseudonymisation), lineage or a data catalog, retention or lifecycle
// rules, encryption (at rest, in transit, KMS, TLS), audit logging.
// Score = (access control + min(others, 2)) / 3.

import { at, defineGrader, findCriteria, grade, type CriterionHit } from './core.ts';
import { searchable, underMatching, type Document } from './document.ts';

/** Access-control designs that need no context… */
const ACCESS = {
  name: 'access control',
  re: /access control|\brbac\b|\babac\b|least[- ]privilege|row[- ]level (?:security|access)|column[- ]level (?:security|access|masking|permissions?|grants?|polic)|row (?:access )?polic|(?:access|data) authori[sz]ation|authori[sz]ation (?:polic|model|rules?|layer)|access polic|secure views?|who can (?:see|read|access|query)|visible only to|(?:read|write)-only (?:role|access)|\bgrant (?:select|usage|read)|\broles?\b[^.\n]{0,60}\b(?:inherit|provision|mapped|scoped|per (?:schema|domain|team))/i,
};
/** …and words that are access control only in context ("a dedicated IAM role" for a job is not). */
const ACCESS_WORD = /\biam\b|permissions?|\bgrants?\b|service accounts?|\bacls?\b|\bsso\b|\bscim\b|\broles?\b/i;
/** A catalog that can hold permissions, which is access control only where the line speaks of access. */
const CATALOG = /unity catalog|lake formation/i;
const ABOUT_ACCESS = /grant|permission|access|\broles?\b|privilege|polic|who can|restrict/i;
/** Where an access-control mention counts: a governance or security part, or a line about who may read what. */
const GOVERNANCE_CONTEXT = /secur|govern|complian|privacy|access|permission|protect|regulat/i;
const AUDIENCE = /(?:analyst|engineer|scientist|team|group|user|role|steward|admin|auditor)s?\b[^.\n]{0,80}\b(?:read|write|access|see|query|view|grant)|(?:read|write|access|see|query|view)[^.\n]{0,40}\b(?:only|restricted|limited)\b/i;
const OTHERS = [
  { name: 'PII handling', re: /\bpii\b|\bphi\b|personal data|personally identifiable|\bmask|tokeni[sz]|pseudonymi|anonymi|redact|sensitive (?:data|fields|columns)/i },
  { name: 'lineage', re: /lineage|openlineage|marquez|datahub|data catalog|amundsen|provenance|collibra|atlan|purview|glue (?:data )?catalog/i },
  // Not "Kafka retention of 7 days" (a replay buffer) or "trip lifecycle events".
  { name: 'retention', re: /(?<!(?:kafka|topic|log|stream|message)\s)retention|\bttl\b|lifecycle (?:rule|polic|transition|management|configuration|to glacier)|\bpurg|archiv|delete[sd]? after|expir(?:e|y|ation)/i },
  { name: 'encryption', re: /encrypt|\bkms\b|\btls\b|\bssl\b|at rest|in transit|\bcmk\b/i },
  { name: 'audit', re: /\baudit/i },
];

export default defineGrader({
  id: 'governance',
  description: 'Access control plus PII handling, lineage, retention, encryption or audit',
  weight: 1,
  grade(doc) {
    const access = accessControl(doc);
    const others = findCriteria(doc, OTHERS);
    const n = Math.min(others.found.length, 2);
    const score = ((access ? 1 : 0) + n) / 3;
    const wants = [access ? '' : 'no access control', n < 2 ? `${others.found.length} of PII handling, lineage, retention, encryption, audit (wanted 2)` : ''].filter(Boolean);
    const reason = wants.length ? wants.join('; ') : `access control plus ${others.found.map((f) => f.name).join(', ')}`;
    const found = [...(access ? [access] : []), ...others.found];
    return grade(wants.length === 0, score, reason, found.map((f) => at(f.line, `${f.name}: ${f.text}`)), { found: found.map((f) => f.name), missing: [...(access ? [] : [ACCESS.name]), ...others.missing] });
  },
});

/** The first access-control design, or access word in a governance context or about who may read what. */
function accessControl(doc: Document): CriterionHit | null {
  // Headings only: a list item's own words ("Glue jobs run under an IAM role") are not context.
  const context = underMatching(doc, GOVERNANCE_CONTEXT, { items: false });
  for (const { line, text } of searchable(doc)) {
    const strong = ACCESS.re.exec(text);
    if (strong) return { name: ACCESS.name, line, text: strong[0] };
    // "Unity Catalog captures column-level lineage" is a catalog, not an access design.
    const catalog = CATALOG.exec(text);
    if (catalog && ABOUT_ACCESS.test(text)) return { name: ACCESS.name, line, text: catalog[0] };
    const weak = ACCESS_WORD.exec(text);
    if (weak && (context[line] || GOVERNANCE_CONTEXT.test(text.replace(weak[0], '')) || AUDIENCE.test(text))) return { name: ACCESS.name, line, text: weak[0] };
  }
  return null;
}
