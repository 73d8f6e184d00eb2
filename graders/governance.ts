// governance — the prompt's constraints: "consider data governance and access control
// requirements". Pipelines copy data into more places than any application does; who may read
// it, how personal data is protected, and how long it lives must be designed, not assumed.
//
// Access control is required (RBAC, IAM, least privilege, grants, row/column-level security,
// service accounts, Unity Catalog / Lake Formation), plus at least two of: PII handling
// (masking, tokenisation, pseudonymisation), lineage or a data catalog, retention or lifecycle
// rules, encryption (at rest, in transit, KMS, TLS), audit logging.
// Score = (access control + min(others, 2)) / 3.

import { at, defineGrader, findCriteria, grade } from './core.ts';

const ACCESS = { name: 'access control', re: /access control|\brbac\b|\babac\b|\biam\b|least[- ]privilege|row[- ]level (?:security|access)|column[- ]level|permissions?|\bgrants?\b|\bgrant (?:select|usage|read)|authori[sz]ation|unity catalog|lake formation|service accounts?|access polic|\bacls?\b/i };
const OTHERS = [
  { name: 'PII handling', re: /\bpii\b|\bphi\b|personal data|personally identifiable|\bmask|tokeni[sz]|pseudonymi|anonymi|redact|sensitive (?:data|fields|columns)/i },
  { name: 'lineage', re: /lineage|openlineage|marquez|datahub|data catalog|amundsen|provenance|collibra|atlan|purview|glue (?:data )?catalog/i },
  { name: 'retention', re: /retention|\bttl\b|lifecycle|\bpurg|archiv|delete[sd]? after|expir(?:e|y|ation)/i },
  { name: 'encryption', re: /encrypt|\bkms\b|\btls\b|\bssl\b|at rest|in transit|\bcmk\b/i },
  { name: 'audit', re: /\baudit/i },
];

export default defineGrader({
  id: 'governance',
  description: 'Access control plus PII handling, lineage, retention, encryption or audit',
  weight: 1,
  grade(doc) {
    const access = findCriteria(doc, [ACCESS]).found[0];
    const others = findCriteria(doc, OTHERS);
    const n = Math.min(others.found.length, 2);
    const score = ((access ? 1 : 0) + n) / 3;
    const wants = [access ? '' : 'no access control', n < 2 ? `${others.found.length} of PII handling, lineage, retention, encryption, audit (wanted 2)` : ''].filter(Boolean);
    const reason = wants.length ? wants.join('; ') : `access control plus ${others.found.map((f) => f.name).join(', ')}`;
    const found = [...(access ? [access] : []), ...others.found];
    return grade(wants.length === 0, score, reason, found.map((f) => at(f.line, `${f.name}: ${f.text}`)), { found: found.map((f) => f.name), missing: [...(access ? [] : [ACCESS.name]), ...others.missing] });
  },
});
