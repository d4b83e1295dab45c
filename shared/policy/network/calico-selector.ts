import { and, not, or, UNKNOWN_LABEL, type LabelLookup, type Tri } from '../selectors.js';

/**
 * Calico selector expressions (projectcalico.org/v3 `selector`, `namespaceSelector`):
 * `all()`, `global()`, `has(k)`, `k == 'v'`, `k != 'v'`, `k in {'a','b'}`, `k not in {…}`,
 * `k contains 's'`, `k starts with 's'`, `k ends with 's'`, `!`, `&&`, `||` and parentheses.
 * Compiled once per policy into a three-valued predicate over labels.
 */
export type CalicoSelector = (lookup: LabelLookup) => Tri;

type Token = { t: 'op'; v: string } | { t: 'str'; v: string } | { t: 'word'; v: string };

const WORD = /[A-Za-z0-9_./-]/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=') {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('(){},!'.includes(ch)) {
      out.push({ t: 'op', v: ch });
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Error('unterminated string');
      out.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (WORD.test(ch)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      out.push({ t: 'word', v: text.slice(i, j) });
      i = j;
      continue;
    }
    throw new Error(`unexpected '${ch}'`);
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): CalicoSelector {
    if (this.tokens.length === 0) return () => true; // an empty selector means all()
    const e = this.orExpr();
    if (this.pos < this.tokens.length) throw new Error('trailing input');
    return e;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }

  private isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new Error(`expected '${v}'`);
    this.pos++;
  }

  private string(): string {
    const t = this.tokens[this.pos++];
    if (t?.t !== 'str') throw new Error('expected a quoted string');
    return t.v;
  }

  private orExpr(): CalicoSelector {
    let left = this.andExpr();
    while (this.isOp('||')) {
      this.pos++;
      const l = left;
      const r = this.andExpr();
      left = (lk) => or(l(lk), r(lk));
    }
    return left;
  }

  private andExpr(): CalicoSelector {
    let left = this.unary();
    while (this.isOp('&&')) {
      this.pos++;
      const l = left;
      const r = this.unary();
      left = (lk) => and(l(lk), r(lk));
    }
    return left;
  }

  private unary(): CalicoSelector {
    if (this.isOp('!')) {
      this.pos++;
      const inner = this.unary();
      return (lk) => not(inner(lk));
    }
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.orExpr();
      this.expectOp(')');
      return inner;
    }
    return this.term();
  }

  private term(): CalicoSelector {
    const t = this.tokens[this.pos++];
    if (t?.t !== 'word') throw new Error('expected a label or function');
    if ((t.v === 'all' || t.v === 'global') && this.isOp('(')) {
      this.pos++;
      this.expectOp(')');
      return () => true;
    }
    if (t.v === 'has' && this.isOp('(')) {
      this.pos++;
      const key = this.tokens[this.pos++];
      if (key?.t !== 'word') throw new Error('expected a label in has()');
      this.expectOp(')');
      return (lk) => {
        const v = lk(key.v);
        return v === UNKNOWN_LABEL ? undefined : v !== null;
      };
    }
    const key = t.v;
    const test = this.comparison();
    return (lk) => {
      const v = lk(key);
      return v === UNKNOWN_LABEL ? undefined : test(v);
    };
  }

  /** The operator after a label key, as a test on the label's value (null = absent). */
  private comparison(): (v: string | null) => boolean {
    if (this.isOp('==')) {
      this.pos++;
      const s = this.string();
      return (v) => v === s;
    }
    if (this.isOp('!=')) {
      this.pos++;
      const s = this.string();
      return (v) => v !== s;
    }
    if (this.isWord('in')) {
      this.pos++;
      const set = this.stringSet();
      return (v) => v !== null && set.has(v);
    }
    if (this.isWord('not')) {
      this.pos++;
      if (!this.isWord('in')) throw new Error("expected 'in' after 'not'");
      this.pos++;
      const set = this.stringSet();
      return (v) => v === null || !set.has(v);
    }
    if (this.isWord('contains')) {
      this.pos++;
      const s = this.string();
      return (v) => v !== null && v.includes(s);
    }
    for (const [first, fn] of [
      ['starts', (v: string, s: string) => v.startsWith(s)],
      ['ends', (v: string, s: string) => v.endsWith(s)],
    ] as const) {
      if (this.isWord(first)) {
        this.pos++;
        if (!this.isWord('with')) throw new Error(`expected 'with' after '${first}'`);
        this.pos++;
        const s = this.string();
        return (v) => v !== null && fn(v, s);
      }
    }
    throw new Error('expected an operator');
  }

  private stringSet(): Set<string> {
    this.expectOp('{');
    const set = new Set<string>();
    while (!this.isOp('}')) {
      set.add(this.string());
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp('}')) throw new Error("expected ',' or '}'");
    }
    this.pos++;
    return set;
  }
}

/** Compiles a selector; an expression that does not parse selects nothing (never widens coverage). */
export function compileCalicoSelector(text: string | undefined): { select: CalicoSelector; error?: string } {
  if (text === undefined) return { select: () => true };
  try {
    return { select: new Parser(tokenize(text)).parse() };
  } catch (e) {
    return { select: () => false, error: e instanceof Error ? e.message : String(e) };
  }
}
