import type { MatchGrade, ReferenceMatch } from './types.js';

/** The source prefixes a graded reference starts with, and the name a reader knows them by. */
const SOURCE_NAMES: Record<string, string> = {
  KS: 'Kubescape',
  CIS: 'CIS EKS',
  PSS: 'Pod Security Standards',
  SH: 'Security Hub',
  Prowler: 'Prowler',
};

const GRADE_PHRASE: Record<MatchGrade, string> = {
  same: 'same as',
  stricter: 'stricter than',
  weaker: 'weaker than',
  related: 'related to',
};

function withNote(text: string, note: string | undefined): string {
  if (note === undefined) return text;
  return note.startsWith('(') ? `${text} ${note}` : `${text}: ${note}`;
}

/** One entry as the cross-reference table writes it: `KS C-0057 weaker: it also fails …`. */
export function matchEntryText(m: ReferenceMatch): string {
  return withNote(`${m.ref} ${m.match}`, m.note);
}

/** A control's grading in one line, entry by entry (`KS C-0066 same; SH EKS.3 same`); `—` when nothing is graded. */
export function matchText(match: readonly ReferenceMatch[]): string {
  return match.length === 0 ? '—' : match.map(matchEntryText).join('; ');
}

/** The reference with its source spelled out: `KS C-0057` → `Kubescape C-0057`, `PSS` → `Pod Security Standards`. */
export function referenceName(ref: string): string {
  const space = ref.indexOf(' ');
  const prefix = space < 0 ? ref : ref.slice(0, space);
  const name = SOURCE_NAMES[prefix];
  if (name === undefined) return ref;
  return space < 0 ? name : `${name}${ref.slice(space)}`;
}

/** A sentence for people comparing tools: `weaker than Security Hub ECR.2: hardline also passes …`. */
export function matchSentence(m: ReferenceMatch): string {
  return withNote(`${GRADE_PHRASE[m.match]} ${referenceName(m.ref)}`, m.note);
}
