/**
 * The lexer of Go's `text/template` (see {@link parseGoTemplate}): text, `<<...>>` actions with
 * trim markers and comments, and the tokens inside actions (fields, variables, Go string / raw /
 * rune literals, numbers, words, punctuation).
 *
 * @see https://github.com/golang/go/blob/go1.19.8/src/text/template/parse/lex.go
 */

/** A template that does not parse, or fails to execute; the message follows Go's wording. */
export class GoTemplateError extends Error {
  override name = 'GoTemplateError';
  readonly phase: 'parse' | 'exec';
  constructor(phase: 'parse' | 'exec', message: string) {
    super(message);
    this.phase = phase;
  }
}

/** A token inside an action. */
export type Token =
  | { readonly kind: 'word' | 'field' | 'variable' | 'string' | 'number' | 'char' | 'punct'; readonly text: string; readonly value?: string; readonly pos: number };

/** The tokens of one `<<...>>` action. */
export interface RawAction {
  readonly tokens: Token[];
  readonly pos: number;
  readonly text: string;
}

/** Text between actions, or an action. */
export interface Piece {
  readonly text?: string;
  readonly action?: RawAction;
}

/** Line number (1-based) of an offset, as Go reports it. */
export function lineOf(source: string, pos: number): number {
  let line = 1;
  for (let k = 0; k < pos && k < source.length; k++) if (source[k] === '\n') line++;
  return line;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
};

/** Go's `strconv.Unquote` for "..." (interpreted) and `...` (raw) literals. */
function unquoteGo(literal: string, fail: (msg: string) => never): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  let out = '';
  for (let k = 0; k < body.length; k++) {
    const ch = body[k] ?? '';
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++k] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : /[0-7]/.test(e) ? 3 : 0;
    const digits = e === 'x' || e === 'u' || e === 'U' ? body.slice(k + 1, k + 1 + width) : body.slice(k, k + width);
    const ok = width > 0 && digits.length === width && (/[0-7]/.test(e) ? /^[0-7]+$/ : /^[0-9A-Fa-f]+$/).test(digits);
    const cp = ok ? parseInt(digits, /[0-7]/.test(e) ? 8 : 16) : NaN;
    if (!ok || cp > 0x10ffff) return fail(`invalid syntax: ${literal}`);
    out += String.fromCodePoint(cp);
    k += /[0-7]/.test(e) ? width - 1 : width;
  }
  return out;
}

/**
 * Splits a template into text and action tokens, applying trim markers and dropping comments.
 *
 * @throws {GoTemplateError} (phase `parse`) for an unclosed action or comment, or an unexpected character
 */
export function lex(source: string, name: string, leftDelim: string, rightDelim: string): Piece[] {
  const fail = (pos: number, msg: string): never => {
    throw new GoTemplateError('parse', `template: ${name}:${lineOf(source, pos)}: ${msg}`);
  };
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= source.length) {
    const open = source.indexOf(leftDelim, pos);
    let text = source.slice(pos, open < 0 ? undefined : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) pieces.push({ text });
      break;
    }
    let p = open + leftDelim.length;
    if (source[p] === '-' && /\s/.test(source[p + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      p += 2;
    }
    if (text) pieces.push({ text });
    while (/\s/.test(source[p] ?? '')) p++;
    if (source.startsWith('/*', p)) {
      const end = source.indexOf('*/', p + 2);
      if (end < 0) fail(open, 'unclosed comment');
      p = end + 2;
      const trimmed = new RegExp(`^\\s-${escapeRe(rightDelim)}`).exec(source.slice(p));
      if (trimmed) {
        trimNext = true;
        pos = p + trimmed[0].length;
      } else if (source.startsWith(rightDelim, p)) {
        pos = p + rightDelim.length;
      } else {
        fail(open, 'comment ends before closing delimiter');
      }
      continue;
    }
    const tokens: Token[] = [];
    const start = p;
    for (;;) {
      if (p >= source.length) fail(open, 'unclosed action');
      const ch = source[p] ?? '';
      if (/\s/.test(ch)) {
        const trimmed = new RegExp(`^\\s+-${escapeRe(rightDelim)}`).exec(source.slice(p));
        if (trimmed) {
          trimNext = true;
          pieces.push({ action: { tokens, pos: start, text: source.slice(start, p).trim() } });
          pos = p + trimmed[0].length;
          break;
        }
        p++;
        tokens.push({ kind: 'punct', text: ' ', pos: p - 1 });
        continue;
      }
      if (source.startsWith(rightDelim, p)) {
        pieces.push({ action: { tokens, pos: start, text: source.slice(start, p).trim() } });
        pos = p + rightDelim.length;
        break;
      }
      const rest = source.slice(p);
      let m: RegExpExecArray | null;
      if ((m = /^(?:\.[\p{L}_][\p{L}\p{Nd}_]*)+/u.exec(rest))) {
        tokens.push({ kind: 'field', text: m[0], pos: p });
      } else if ((m = /^\$[\p{L}\p{Nd}_]*(?:\.[\p{L}_][\p{L}\p{Nd}_]*)*/u.exec(rest))) {
        tokens.push({ kind: 'variable', text: m[0], pos: p });
      } else if ((m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest)) || (m = /^`[^`]*`/.exec(rest))) {
        tokens.push({ kind: 'string', text: m[0], value: unquoteGo(m[0], (msg) => fail(p, msg)), pos: p });
      } else if ((m = /^'(?:[^'\\]|\\.)+'/.exec(rest))) {
        tokens.push({ kind: 'char', text: m[0], value: unquoteGo(`"${m[0].slice(1, -1).replace(/"/g, '\\"')}"`, (msg) => fail(p, msg)), pos: p });
      } else if ((m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(rest)) && m[0] !== '') {
        tokens.push({ kind: 'number', text: m[0], pos: p });
      } else if ((m = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(rest))) {
        tokens.push({ kind: 'word', text: m[0], pos: p });
      } else if ((m = /^(?::=|[()|,=.])/.exec(rest))) {
        tokens.push({ kind: 'punct', text: m[0], pos: p });
      } else {
        return fail(p, `unexpected ${JSON.stringify(ch)} in command`);
      }
      p += m[0].length;
    }
  }
  return pieces;
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
