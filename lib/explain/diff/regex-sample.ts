/**
 * Example strings for an RE2 expression, so that the diff can build a request a regex match
 * accepts: a small generator over the common syntax (literals, escapes, `.`, classes, groups,
 * alternation, quantifiers, anchors). Every sample is checked with the real engine
 * ({@link fullMatch}); an expression it cannot satisfy gives no sample, never a wrong one.
 */
import { fullMatch } from '../match';

type Node =
  | { t: 'char'; c: string }
  | { t: 'class'; chars: string; negated: boolean }
  | { t: 'group'; alts: Node[][] }
  | { t: 'repeat'; node: Node; min: number; max: number }
  | { t: 'empty' };

const CANDIDATES = 'xa0_-/.Zb1';

class Parser {
  private i = 0;
  public constructor(private readonly s: string) {}

  public parse(): Node[][] {
    const alts = this.alternation();
    if (this.i < this.s.length) throw new Error('trailing input');
    return alts;
  }

  private alternation(): Node[][] {
    const alts: Node[][] = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Node[] {
    const out: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      let atom = this.atom();
      for (;;) {
        const q = this.s[this.i];
        let min: number;
        let max: number;
        if (q === '*') [min, max] = [0, Infinity];
        else if (q === '+') [min, max] = [1, Infinity];
        else if (q === '?') [min, max] = [0, 1];
        else if (q === '{' && /^\{\d+(,\d*)?\}/.test(this.s.slice(this.i))) {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i))!;
          min = Number(m[1]);
          max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
          this.i += m[0].length - 1;
        } else break;
        this.i++;
        if (this.s[this.i] === '?') this.i++; // lazy
        atom = { t: 'repeat', node: atom, min, max };
      }
      out.push(atom);
    }
    return out;
  }

  private atom(): Node {
    const c = this.s[this.i++];
    if (c === '(') {
      if (this.s[this.i] === '?') {
        const flags = /^\?(P?<[^>]+>|:|[a-zA-Z-]+:|[a-zA-Z-]+\))/.exec(this.s.slice(this.i));
        if (!flags) throw new Error('group syntax');
        this.i += flags[0].length;
        if (flags[0].endsWith(')')) return { t: 'empty' }; // (?i) and other flag settings
      }
      const alts = this.alternation();
      if (this.s[this.i++] !== ')') throw new Error('unclosed group');
      return { t: 'group', alts };
    }
    if (c === '[') return this.charClass();
    if (c === '.') return { t: 'class', chars: '\n', negated: true };
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === '\\') return this.escape();
    return { t: 'char', c };
  }

  private escape(): Node {
    const e = this.s[this.i++];
    switch (e) {
      case 'd': return { t: 'class', chars: '0123456789', negated: false };
      case 'D': return { t: 'class', chars: '0123456789', negated: true };
      case 'w': return { t: 'class', chars: 'xa0_', negated: false };
      case 'W': return { t: 'class', chars: '-./', negated: false };
      case 's': return { t: 'char', c: ' ' };
      case 'S': return { t: 'char', c: 'x' };
      case 'b': case 'B': case 'A': case 'z': return { t: 'empty' };
      case 'n': return { t: 'char', c: '\n' };
      case 't': return { t: 'char', c: '\t' };
      case undefined: throw new Error('trailing backslash');
      default: return { t: 'char', c: e };
    }
  }

  private charClass(): Node {
    let negated = false;
    if (this.s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let chars = '';
    let first = true;
    while (this.i < this.s.length && (this.s[this.i] !== ']' || first)) {
      first = false;
      let c = this.s[this.i++];
      if (c === '[' && this.s[this.i] === ':') {
        const end = this.s.indexOf(':]', this.i);
        const name = this.s.slice(this.i + 1, end);
        chars += name === 'digit' ? '0123456789' : name === 'alpha' ? 'xa' : name === 'alnum' ? 'xa0' : 'x';
        this.i = end + 2;
        continue;
      }
      if (c === '\\') {
        const e = this.s[this.i++];
        chars += e === 'd' ? '0123456789' : e === 'w' ? 'xa0_' : e === 's' ? ' ' : e;
        continue;
      }
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && this.i + 1 < this.s.length) {
        const to = this.s[this.i + 1] === '\\' ? this.s[this.i + 2] : this.s[this.i + 1];
        this.i += this.s[this.i + 1] === '\\' ? 3 : 2;
        const from = c.charCodeAt(0);
        const last = to.charCodeAt(0);
        // A few characters of the range: its start, and x or 0 when inside it.
        c = String.fromCharCode(from);
        for (const pick of 'xa0') if (pick.charCodeAt(0) >= from && pick.charCodeAt(0) <= last) c += pick;
        chars += c;
        continue;
      }
      chars += c;
    }
    if (this.s[this.i++] !== ']') throw new Error('unclosed class');
    return { t: 'class', chars, negated };
  }
}

function pick(node: Extract<Node, { t: 'class' }>): string | undefined {
  if (!node.negated) return node.chars[0];
  return [...CANDIDATES].find((c) => !node.chars.includes(c));
}

function generate(nodes: Node[], more: boolean, alt = 0): string | undefined {
  let out = '';
  for (const n of nodes) {
    const s = one(n, more, alt);
    if (s === undefined) return undefined;
    out += s;
  }
  return out;
}

function one(n: Node, more: boolean, alt: number): string | undefined {
  switch (n.t) {
    case 'char': return n.c;
    case 'class': return pick(n);
    case 'empty': return '';
    case 'group': {
      // The alt-th alternative of each group (the last when it has fewer), else the first that works.
      const preferred = n.alts[Math.min(alt, n.alts.length - 1)];
      for (const a of [preferred, ...n.alts]) {
        const s = generate(a, more, alt);
        if (s !== undefined) return s;
      }
      return undefined;
    }
    case 'repeat': {
      const count = more ? Math.min(Math.max(n.min, 1), n.max) : n.min;
      let s = '';
      for (let k = 0; k < count; k++) {
        const x = one(n.node, more, alt);
        if (x === undefined) return undefined;
        s += x;
      }
      return s;
    }
  }
}

/** The number of alternatives of each group inside the nodes. */
function groupWidths(nodes: Node[]): number[] {
  return nodes.flatMap((n) => (n.t === 'group' ? [n.alts.length, ...groupWidths(n.alts.flat())] : n.t === 'repeat' ? groupWidths([n.node]) : [1]));
}

/**
 * A few strings the expression fully matches (the shortest the generator finds, and one with each
 * optional or repeated part taken once; each alternative of a group, up to four), checked with
 * RE2; empty when none is found.
 */
export function regexSamples(expression: string): string[] {
  let alts: Node[][];
  try {
    alts = new Parser(expression).parse();
  } catch {
    return [];
  }
  const out = new Set<string>();
  const width = Math.min(4, Math.max(...groupWidths(alts.flat()), alts.length));
  for (const more of [false, true]) {
    for (let k = 0; k < width; k++) {
      for (const alt of alts) {
        const s = generate(alt, more, k);
        if (s !== undefined && fullMatch(expression, s) === true) out.add(s);
      }
    }
  }
  return [...out];
}

/** The literal text an expression starts with (up to its first operator), without a leading `^`. */
export function literalPrefix(expression: string): string {
  let out = '';
  let i = expression.startsWith('^') ? 1 : 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '\\' && i + 1 < expression.length && !/[a-zA-Z0-9]/.test(expression[i + 1])) {
      out += expression[i + 1];
      i += 2;
      continue;
    }
    if ('.[](){}*+?|^$\\'.includes(c)) break;
    out += c;
    i++;
  }
  // A quantifier applies to the last character: it is not certain.
  if (i < expression.length && '*?{'.includes(expression[i])) out = out.slice(0, -1);
  return out;
}
