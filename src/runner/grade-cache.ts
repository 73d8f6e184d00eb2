// The grade cache: a re-run of a stored and graded suite must not grade anything again. A grade
// is keyed by everything that decides it — the sha256 of the output text, the scenario (its id
// AND a hash of its content, so that editing a scenario's facts re-grades), the graders' version
// and the grade policy (weights, hard graders, threshold) — and holds what a cell result keeps
// (the overall score, pass, and each grader's pass, score and reason) plus the lines each grader
// pointed at, which the HTML report shows: so a report never grades a document again either.
//
// On disk it lives beside the response store, as ONE append-only JSONL file per graders' version
// (`<store>/grades/<gradersVersion>.<FORMAT>.jsonl`), not one file per grade: measured on this machine,
// reading 10,000 small files with a cold page cache took 1.07 s, one 19 MB JSONL file 0.14 s.
// A file per version also means old grades can be deleted wholesale after a graders change.
// Lines are only parsed when asked for: loading keeps each line's key and place in the file, so
// a big cache costs one read and a scan, not 10,000 JSON.parse calls that a run might never need.
// Appends are single writeSync calls of whole lines (O_APPEND), so concurrent runs and kills
// can at worst tear the last line. An entry that cannot be read back (a torn line, bad JSON,
// the wrong shape) is a miss, with a warning — never a crash and never a wrong grade. Each line
// carries a checksum of its grade (`c`), so a grade changed on disk is a miss too, not a score
// used silently.
//
// The cache is an optimisation: when it cannot be read or written (a full disk, a read-only
// store, a file where its folder goes) it says so once and the run grades without it — grades
// are kept in memory for the rest of the command (the report's evidence lines need them).

import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { GradePolicy } from '../../graders/grade.ts';
import { canonicalJson, sha256, textSha256 } from '../canonical.ts';
import type { Scenario } from '../dataset/schema.ts';
import { describeWriteFailure, injectedFault, isWriteFailure } from './write-failure.ts';

/** A cell result's grade (results.json) plus, per grader, its evidence lines: [line, notes]. */
export interface CachedGrade {
  score: number;
  pass: boolean;
  grades: Record<string, { pass: boolean; score: number; reason: string; at: [number, string][] }>;
}

/** A grade as a cell result keeps it: each grader's verdict, without the evidence lines. */
export interface Verdict {
  score: number;
  pass: boolean;
  grades: Record<string, { pass: boolean; score: number; reason: string }>;
}

/** What a cell result keeps of a grade: each grader's verdict; the evidence lines stay here. */
export function withoutEvidence(graded: Verdict): Verdict['grades'] {
  return Object.fromEntries(Object.entries(graded.grades).map(([id, g]) => [id, { pass: g.pass, score: g.score, reason: g.reason }]));
}

/**
 * The cache file's format, part of its name: a cache written in an older shape is not read
 * (its outputs are graded again, once) rather than read as grades without evidence.
 */
const FORMAT = 'v3';

export interface GradeCache {
  get(key: string): CachedGrade | null;
  put(key: string, grade: CachedGrade): void;
}

export interface GradeKeyParts {
  text: string;
  scenario: Scenario | null;
  gradersVersion: string;
  policy: GradePolicy;
}

// Memoised per object: scenarios and policies are loaded once per run and never mutated.
const scenarioHashes = new WeakMap<Scenario, string>();

/** A scenario's identity for grading: its id plus a hash of its content. */
export function scenarioIdentity(scenario: Scenario | null): string | null {
  if (!scenario) return null;
  let hash = scenarioHashes.get(scenario);
  if (!hash) scenarioHashes.set(scenario, (hash = `${scenario.id}@${sha256(canonicalJson(scenario)).slice(0, 16)}`));
  return hash;
}

const policyJsons = new WeakMap<GradePolicy, string>();

/** The policy as the grade key holds it (memoised: policies are loaded once and never mutated). */
export function policyJson(policy: GradePolicy): string {
  let json = policyJsons.get(policy);
  if (json === undefined) policyJsons.set(policy, (json = canonicalJson(policy)));
  return json;
}

export function gradeKey(parts: GradeKeyParts): string {
  return gradeKeyOf(textSha256(parts.text), scenarioIdentity(parts.scenario), parts.gradersVersion, policyJson(parts.policy));
}

/** gradeKey from its parts' identities: the text's sha256, scenarioIdentity, and policyJson. */
export function gradeKeyOf(textHash: string, scenario: string | null, gradersVersion: string, policy: string): string {
  // Each part is JSON (a string or an object), so the parts cannot run into each other.
  return sha256(`${JSON.stringify(textHash)}\n${JSON.stringify(scenario)}\n${JSON.stringify(gradersVersion)}\n${policy}`);
}

/** True when `value` has the shape of a CachedGrade; anything else read back is a miss. */
export function isCachedGrade(value: unknown): value is CachedGrade {
  const g = value as CachedGrade;
  if (!g || typeof g !== 'object' || typeof g.pass !== 'boolean' || !unit(g.score) || !g.grades || typeof g.grades !== 'object') return false;
  return Object.values(g.grades).every((x) => x && typeof x === 'object' && typeof x.pass === 'boolean' && unit(x.score) && typeof x.reason === 'string' && Array.isArray(x.at));
}

const unit = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;

export class MemoryGradeCache implements GradeCache {
  private readonly entries = new Map<string, CachedGrade>();
  get(key: string): CachedGrade | null {
    const entry = this.entries.get(key);
    return entry ? structuredClone(entry) : null;
  }
  put(key: string, grade: CachedGrade): void {
    this.entries.set(key, structuredClone(grade));
  }
}

// A line: {"k":"<key>","c":"<checksum>","g":<grade JSON>}
const KEY_PREFIX = '{"k":"';
const KEY_LENGTH = 64;
const CHECKSUM_INFIX = '","c":"';
const CHECKSUM_LENGTH = 16;
const GRADE_INFIX = '","g":';
/** Where the grade's JSON starts in a line. */
const GRADE_AT = KEY_PREFIX.length + KEY_LENGTH + CHECKSUM_INFIX.length + CHECKSUM_LENGTH + GRADE_INFIX.length;

/** The checksum a line carries: the start of the sha256 of its grade's JSON, as written. */
function checksum(gradeJson: string): string {
  return sha256(gradeJson).slice(0, CHECKSUM_LENGTH);
}
const NEWLINE = 0x0a;

/** Where a line is: in the file as read (one shared buffer), or in a buffer of its own (put since). */
interface LineRef {
  bytes: Buffer;
  start: number;
  end: number;
}

export class FsGradeCache implements GradeCache {
  readonly file: string;
  private lines: Map<string, LineRef> | null = null;
  private fd: number | null = null;
  private torn = 0;
  /** The file ends in the middle of a line (a torn write): the next append starts a new one. */
  private tornTail = false;
  /** The file could not be read or written: in memory only from then on (said once). */
  private unusable = false;

  /** `dir` is the grades folder (conventionally `<store>/grades`). */
  constructor(
    readonly dir: string,
    readonly gradersVersion: string,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.file = join(dir, `${gradersVersion.replace(/[^\w.-]/g, '_')}.${FORMAT}.jsonl`);
  }

  get(key: string): CachedGrade | null {
    const ref = this.load().get(key);
    if (ref === undefined) return null;
    try {
      // A line as put() writes it: the grade's JSON at a fixed place, so its checksum is of the
      // bytes as read (re-serialising what JSON.parse read cost a re-run of 10,000 grades ~0.4 s).
      const at = ref.start + GRADE_AT;
      const c = ref.bytes.toString('latin1', at - GRADE_INFIX.length - CHECKSUM_LENGTH, at - GRADE_INFIX.length);
      if (ref.end - at < 2 || ref.bytes[ref.end - 1] !== 0x7d || ref.bytes.toString('latin1', at - GRADE_INFIX.length, at) !== GRADE_INFIX || ref.bytes.toString('latin1', ref.start + KEY_PREFIX.length + KEY_LENGTH, at - GRADE_INFIX.length - CHECKSUM_LENGTH) !== CHECKSUM_INFIX) throw new Error('unexpected content');
      const g = ref.bytes.subarray(at, ref.end - 1);
      if (c !== createHash('sha256').update(g).digest('hex').slice(0, CHECKSUM_LENGTH)) throw new Error('checksum mismatch; changed after it was written');
      const grade = JSON.parse(g.toString('utf8')) as unknown;
      if (!isCachedGrade(grade)) throw new Error('unexpected content');
      return grade;
    } catch (error) {
      this.warn(`${this.file}: corrupt grade-cache entry ${key.slice(0, 12)}… (${(error as Error).message}); grading again`);
      this.lines!.delete(key);
      return null;
    }
  }

  put(key: string, grade: CachedGrade): void {
    const json = JSON.stringify(grade);
    const line = Buffer.from(`${KEY_PREFIX}${key}${CHECKSUM_INFIX}${checksum(json)}${GRADE_INFIX}${json}}\n`);
    const lines = this.load();
    lines.set(key, { bytes: line, start: 0, end: line.length - 1 });
    if (this.unusable) return;
    try {
      if (this.fd === null) {
        mkdirSync(this.dir, { recursive: true });
        this.fd = openSync(this.file, 'a');
      }
      injectedFault('grades', this.file);
      // No fsync: a lost grade is only graded again (see journal.ts for the same reasoning).
      const text = this.tornTail ? Buffer.concat([Buffer.from('\n'), line]) : line;
      let written = 0;
      try {
        while (written < text.length) written += writeSync(this.fd, text, written, text.length - written);
      } finally {
        // Part of a line on disk: the next append starts on a fresh line.
        if (written > 0) this.tornTail = written < text.length;
      }
    } catch (error) {
      if (!isWriteFailure(error)) throw error;
      this.giveUp(`cannot write (${describeWriteFailure(error)})`);
    }
  }

  /** Stop using the file for the rest of the command, saying so once. */
  private giveUp(why: string): void {
    if (this.unusable) return;
    this.unusable = true;
    this.close();
    this.warn(`${this.file}: grade cache ${why}; grading without it (nothing is lost: outputs are graded again next time)`);
  }

  /** Release the append handle (grades put later reopen it). */
  close(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // closing a file on a failing disk: nothing to keep
      }
    }
    this.fd = null;
  }

  /** Entries in the file (the last one wins for a key written twice). */
  get size(): number {
    return this.load().size;
  }

  /**
   * Index the file: each line's key and where the line is. The file stays one buffer (a line is
   * decoded only when asked for): 10,000 grades with their evidence are ~40 MB of UTF-8, which
   * as one JavaScript string took twice that (a note with "€" or "×" makes it two bytes a char).
   */
  private load(): Map<string, LineRef> {
    if (this.lines) return this.lines;
    const lines = new Map<string, LineRef>();
    let bytes: Buffer | null = null;
    try {
      if (existsSync(this.file)) bytes = readFileSync(this.file);
    } catch (error) {
      if (!isWriteFailure(error)) throw error;
      this.giveUp(`cannot be read (${describeWriteFailure(error)})`);
    }
    if (bytes) {
      this.tornTail = bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE;
      const prefix = Buffer.from(KEY_PREFIX);
      for (let start = 0; start < bytes.length; ) {
        let end = bytes.indexOf(NEWLINE, start);
        if (end < 0) end = bytes.length;
        if (end > start) {
          // The key sits at a fixed place; a line without one cannot be attributed to any key.
          const keyEnd = start + prefix.length + KEY_LENGTH;
          if (end > keyEnd && bytes.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0 && bytes[keyEnd] === 0x22) lines.set(bytes.toString('latin1', start + prefix.length, keyEnd), { bytes, start, end });
          else this.torn++;
        }
        start = end + 1;
      }
    }
    if (this.torn) this.warn(`${this.file}: ${this.torn} unreadable grade-cache line(s) skipped; those outputs are graded again`);
    return (this.lines = lines);
  }
}
