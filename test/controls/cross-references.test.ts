import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { matchText } from '../../shared/controls/match.js';
import { MATCH_GRADES, type Control, type MatchGrade, type ReferenceMatch } from '../../shared/controls/types.js';
import { SHARED_DIR } from '../support/paths.js';
import { hasShared } from '../support/requirements.js';

/**
 * Every control's cross-references and their grading (`match`) equal its row of the collected
 * cross-reference table (../shared/data/cross-references.md, "Per hardline control"): the
 * references are facts taken from each framework's own mapping, never invented, and the grading
 * says where hardline's verdict differs from another tool's.
 */
const TABLE = 'data/cross-references.md';
const haveTable = hasShared(TABLE, 'the collected cross-reference table');

interface Row {
  id: string;
  nsa: string;
  kubescape: string;
  cis: string;
  pss: string;
  securityHub: string;
  match: string;
}

/** Splits a Markdown table row on unescaped pipes. */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

function perControlRows(markdown: string): Map<string, Row> {
  const section = markdown.slice(markdown.indexOf('## Per hardline control'));
  const rows = new Map<string, Row>();
  for (const line of section.split('\n').filter((l) => /^\| [a-z]+\.[a-z0-9-]+ \|/.test(l))) {
    const [id, nsa, kubescape, cis, pss, securityHub, match] = cells(line) as [string, string, string, string, string, string, string];
    rows.set(id, { id, nsa, kubescape, cis, pss, securityHub, match });
  }
  return rows;
}

const REF_START = /^(KS|CIS|SH|Prowler) |^PSS /;
const ENTRY = new RegExp(`^((?:KS|CIS|SH|Prowler) .+?|PSS) (${MATCH_GRADES.join('|')})(?=$|[ :])(.*)$`, 's');

/** Splits on `; ` outside parentheses; a piece that does not start with a reference continues the previous note. */
function entries(text: string): ReferenceMatch[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ';' && depth === 0 && text[i + 1] === ' ') {
      pieces.push(text.slice(start, i));
      start = i + 2;
    }
  }
  pieces.push(text.slice(start));
  const merged: string[] = [];
  for (const p of pieces) {
    if (REF_START.test(p) || merged.length === 0) merged.push(p);
    else merged[merged.length - 1] += `; ${p}`;
  }
  return merged.map((p) => {
    const m = ENTRY.exec(p);
    if (!m) throw new Error(`cannot read the grading "${p}"`);
    const rest = m[3]!;
    const entry: ReferenceMatch = { ref: m[1]!, match: m[2] as MatchGrade };
    if (rest.startsWith(': ')) entry.note = rest.slice(2);
    else if (rest.startsWith(' ')) entry.note = rest.slice(1);
    return entry;
  });
}

const list = (cell: string) => (cell === '—' ? [] : cell.split(',').map((s) => s.trim()));

function columnsOf(c: Control): Omit<Row, 'id' | 'match'> {
  const f = c.frameworks;
  return {
    nsa: f.nsa ?? '—',
    kubescape: f.kubescape?.join(', ') || '—',
    cis: f.cis?.join(', ') || '—',
    pss: f.pss ? `${f.pss.check} (${f.pss.level})` : '—',
    securityHub: f.securityHub?.join(', ') || '—',
  };
}

/** The references a bare `same` grades: every one in the columns (NSA sections are not graded). */
function gradedReferences(row: Row): string[] {
  return [
    ...list(row.kubescape).map((k) => `KS ${k}`),
    ...list(row.cis).map((n) => `CIS ${n}`),
    ...(row.pss === '—' ? [] : ['PSS']),
    ...list(row.securityHub).map((s) => `SH ${s}`),
  ];
}

describe.runIf(haveTable)('cross-references', () => {
  const rows = haveTable ? perControlRows(readFileSync(`${SHARED_DIR}${TABLE}`, 'utf8')) : new Map<string, Row>();

  it('reads the table', () => {
    expect(rows.size).toBeGreaterThan(60);
    expect(entries('KS C-0057 weaker: it also fails x; CIS 4.2.1 related: admission (C-0193), see y; PSS same')).toEqual([
      { ref: 'KS C-0057', match: 'weaker', note: 'it also fails x' },
      { ref: 'CIS 4.2.1', match: 'related', note: 'admission (C-0193), see y' },
      { ref: 'PSS', match: 'same' },
    ]);
    expect(entries('KS C-0085 stricter: a (b; c); (d, e); CIS 5.1.1 related (as C-0221; f)')).toEqual([
      { ref: 'KS C-0085', match: 'stricter', note: 'a (b; c); (d, e)' },
      { ref: 'CIS 5.1.1', match: 'related', note: '(as C-0221; f)' },
    ]);
  });

  it.each(controls.map((c) => [c.id, c] as const))('%s equals its row', (id, c) => {
    const row = rows.get(id);
    expect(row, `${id} has no row in ../shared/${TABLE}`).toBeDefined();
    const { id: _id, match, ...columns } = row!;
    expect(columnsOf(c)).toEqual(columns);
    if (match === '—' || match.startsWith('— (')) {
      expect(c.match).toEqual([]);
    } else if (match === 'same' || match.startsWith('same (')) {
      // Every graded reference is the same; the control grades each one (a remark may sit on one of them).
      expect(c.match.map((m) => m.match).filter((g) => g !== 'same')).toEqual([]);
      expect(c.match.map((m) => m.ref).sort()).toEqual(gradedReferences(row!).sort());
    } else {
      expect(entries(match)).toEqual(c.match);
      expect(matchText(c.match)).toBe(match);
    }
  });
});
