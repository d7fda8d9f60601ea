/**
 * The parser of Go's `text/template`, for the templates prometheus-adapter reads from its config
 * (`metricsQuery`, `resources.template`, resource rules' `containerQuery` / `nodeQuery`), which use
 * the delimiters `<<` and `>>`. Supported: text, comments, trim markers (`<<-` / `->>`), pipelines
 * with fields, variables, literals, parenthesised pipelines and the builtin functions, `if` / `else
 * if` / `else`, `range` (with `$i, $v :=`), `with`. Not supported (rejected with a clear error):
 * `define`, `template`, `block`, `break`, `continue`.
 *
 * @see https://pkg.go.dev/text/template
 */
import { GoTemplateError, lex, lineOf, type Piece, type RawAction, type Token } from './go-template-lex.js';

export { GoTemplateError, lineOf } from './go-template-lex.js';

export type TemplateOperand =
  | { readonly type: 'field'; readonly names: readonly string[]; readonly pos: number }
  | { readonly type: 'variable'; readonly name: string; readonly names: readonly string[]; readonly pos: number }
  | { readonly type: 'dot'; readonly pos: number }
  | { readonly type: 'string'; readonly value: string; readonly pos: number }
  | { readonly type: 'number'; readonly value: number; readonly isFloat: boolean; readonly pos: number }
  | { readonly type: 'bool'; readonly value: boolean; readonly pos: number }
  | { readonly type: 'nil'; readonly pos: number }
  | { readonly type: 'identifier'; readonly name: string; readonly pos: number }
  | { readonly type: 'pipe'; readonly pipe: TemplatePipeline; readonly names: readonly string[]; readonly pos: number };

export interface TemplateCommand {
  readonly args: readonly TemplateOperand[];
  readonly text: string;
}

export interface TemplatePipeline {
  /** Declared (`:=`) or assigned (`=`) variables, with their `$`. */
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly TemplateCommand[];
}

export type TemplateNode =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'action'; readonly pipe: TemplatePipeline; readonly pos: number; readonly text: string }
  | {
      readonly type: 'if' | 'with' | 'range';
      readonly pipe: TemplatePipeline;
      readonly list: readonly TemplateNode[];
      readonly elseList: readonly TemplateNode[] | null;
      readonly pos: number;
      readonly text: string;
    };

/** A parsed template: its name (used in error messages), source and node tree. */
export interface GoTemplateTree {
  readonly name: string;
  readonly source: string;
  readonly root: readonly TemplateNode[];
}

/** Go's builtin template functions that this implementation executes. */
export const TEMPLATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'len', 'index', 'print', 'printf', 'println',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'html', 'js', 'urlquery',
]);
const UNSUPPORTED = new Set(['define', 'template', 'block', 'break', 'continue', 'call', 'slice']);

class Parser {
  readonly source: string;
  readonly name: string;
  readonly pieces: Piece[];
  index = 0;
  constructor(source: string, name: string, pieces: Piece[]) {
    this.source = source;
    this.name = name;
    this.pieces = pieces;
  }

  fail(pos: number, msg: string): never {
    throw new GoTemplateError('parse', `template: ${this.name}:${lineOf(this.source, pos)}: ${msg}`);
  }

  /** Parses nodes until `end` / `else` (returned as the terminator) or the end of input. */
  list(inControl: boolean): { nodes: TemplateNode[]; stop: RawAction | null; stopWord: string } {
    const nodes: TemplateNode[] = [];
    while (this.index < this.pieces.length) {
      const piece = this.pieces[this.index++];
      if (!piece) break;
      if (piece.text !== undefined) {
        nodes.push({ type: 'text', text: piece.text });
        continue;
      }
      const action = piece.action;
      if (!action) continue;
      const toks = action.tokens.filter((t) => t.text !== ' ');
      const first = toks[0];
      if (!first) this.fail(action.pos, 'missing value for command');
      if (first.kind === 'word' && (first.text === 'end' || first.text === 'else')) {
        if (!inControl) this.fail(action.pos, `unexpected {{${first.text}}}`);
        return { nodes, stop: action, stopWord: first.text };
      }
      if (first.kind === 'word' && (first.text === 'if' || first.text === 'with' || first.text === 'range')) {
        nodes.push(this.control(first.text, action, 1));
        continue;
      }
      if (first.kind === 'word' && UNSUPPORTED.has(first.text)) this.fail(action.pos, `{{${first.text}}} is not supported`);
      nodes.push({ type: 'action', pipe: this.pipeline(action.tokens, 0, action.pos), pos: action.pos, text: action.text });
    }
    if (inControl) this.fail(this.source.length, 'unexpected EOF');
    return { nodes, stop: null, stopWord: '' };
  }

  control(kind: 'if' | 'with' | 'range', action: RawAction, skip: number): TemplateNode {
    const pipeTokens = tokensAfter(action.tokens, skip);
    if (pipeTokens.every((t) => t.text === ' ')) this.fail(action.pos, `missing value for ${kind}`);
    const pipe = this.pipeline(pipeTokens, 0, action.pos, kind === 'range');
    const body = this.list(true);
    let elseList: TemplateNode[] | null = null;
    if (body.stopWord === 'else' && body.stop) {
      const rest = tokensAfter(body.stop.tokens, 1).filter((t) => t.text !== ' ');
      if (rest.length > 0 && rest[0]?.kind === 'word' && (rest[0].text === 'if' || rest[0].text === 'with') && kind !== 'range') {
        // `else if` / `else with`: a nested control that shares our `end`
        elseList = [this.control(rest[0].text, body.stop, 2)];
      } else {
        if (rest.length > 0) this.fail(body.stop.pos, 'unexpected tokens after else');
        const tail = this.list(true);
        if (tail.stopWord !== 'end') this.fail(tail.stop?.pos ?? action.pos, 'expected end; found else');
        elseList = tail.nodes;
      }
    } else if (body.stopWord !== 'end') {
      this.fail(action.pos, 'unexpected EOF');
    }
    return { type: kind, pipe, list: body.nodes, elseList, pos: action.pos, text: action.text };
  }

  pipeline(tokens: readonly Token[], start: number, pos: number, allowTwoVars = false): TemplatePipeline {
    const toks = tokens.slice(start);
    const sig = toks.filter((t) => t.text !== ' ');
    const decl: string[] = [];
    let isAssign = false;
    const declEnd = sig.findIndex((t) => t.text === ':=' || t.text === '=');
    let body = toks;
    if (declEnd > 0 && sig.slice(0, declEnd).every((t) => t.kind === 'variable' || t.text === ',')) {
      const vars = sig.slice(0, declEnd).filter((t) => t.kind === 'variable');
      if (vars.length > (allowTwoVars ? 2 : 1)) this.fail(pos, 'too many declarations');
      decl.push(...vars.map((t) => t.text));
      isAssign = sig[declEnd]?.text === '=';
      const opTok = sig[declEnd];
      body = toks.slice(toks.indexOf(opTok as Token) + 1);
    }
    const cmds: TemplateCommand[] = [];
    let current: Token[] = [];
    let depth = 0;
    const flush = (): void => {
      const sigCmd = current.filter((t) => t.text !== ' ');
      if (sigCmd.length === 0) this.fail(pos, 'missing value for command');
      cmds.push({ args: this.operands(current, pos), text: sigCmd.map((t) => t.text).join(' ') });
      current = [];
    };
    for (const t of body) {
      if (t.text === '(') depth++;
      if (t.text === ')') depth--;
      if (t.text === '|' && depth === 0) flush();
      else current.push(t);
    }
    flush();
    return { decl, isAssign, cmds };
  }

  operands(tokens: readonly Token[], pos: number): TemplateOperand[] {
    const out: TemplateOperand[] = [];
    let k = 0;
    const next = (): Token | undefined => tokens[k];
    while (k < tokens.length) {
      const t = tokens[k];
      if (!t) break;
      if (t.text === ' ') {
        k++;
        continue;
      }
      k++;
      let operand: TemplateOperand;
      if (t.kind === 'field') operand = { type: 'field', names: t.text.slice(1).split('.'), pos: t.pos };
      else if (t.kind === 'variable') {
        const [head = '$', ...names] = t.text.split('.');
        operand = { type: 'variable', name: head, names, pos: t.pos };
      } else if (t.kind === 'string') operand = { type: 'string', value: t.value ?? '', pos: t.pos };
      else if (t.kind === 'char') operand = { type: 'number', value: (t.value ?? '').codePointAt(0) ?? 0, isFloat: false, pos: t.pos };
      else if (t.kind === 'number') {
        const text = t.text.replace(/_/g, '');
        const isHex = /^[+-]?0[xX]/.test(text);
        const value = isHex ? Number.parseInt(text, 16) : Number(text);
        if (!Number.isFinite(value)) this.fail(t.pos, `illegal number syntax: ${JSON.stringify(t.text)}`);
        operand = { type: 'number', value, isFloat: !isHex && /[.eE]/.test(text), pos: t.pos };
      } else if (t.kind === 'word') {
        if (t.text === 'true' || t.text === 'false') operand = { type: 'bool', value: t.text === 'true', pos: t.pos };
        else if (t.text === 'nil') operand = { type: 'nil', pos: t.pos };
        else if (UNSUPPORTED.has(t.text)) this.fail(t.pos, `function ${JSON.stringify(t.text)} is not supported`);
        else if (!TEMPLATE_FUNCTIONS.has(t.text)) this.fail(t.pos, `function ${JSON.stringify(t.text)} not defined`);
        else operand = { type: 'identifier', name: t.text, pos: t.pos };
      } else if (t.text === '.') operand = { type: 'dot', pos: t.pos };
      else if (t.text === '(') {
        let depth = 1;
        const inner: Token[] = [];
        while (k < tokens.length) {
          const u = tokens[k++];
          if (!u) break;
          if (u.text === '(') depth++;
          if (u.text === ')' && --depth === 0) break;
          inner.push(u);
        }
        if (depth !== 0) this.fail(t.pos, 'unclosed left paren');
        let names: string[] = [];
        const chained = next();
        if (chained?.kind === 'field') {
          names = chained.text.slice(1).split('.');
          k++;
        }
        operand = { type: 'pipe', pipe: this.pipeline(inner, 0, pos), names, pos: t.pos };
      } else {
        return this.fail(t.pos, `unexpected ${JSON.stringify(t.text)} in operand`);
      }
      const after = next();
      if (after && after.text !== ' ' && after.text !== ')' ) this.fail(after.pos, `unexpected ${JSON.stringify(after.text)} in operand`);
      out.push(operand);
    }
    return out;
  }
}

function tokensAfter(tokens: readonly Token[], count: number): Token[] {
  let seen = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k]?.text === ' ') continue;
    if (seen === count) return tokens.slice(k);
    seen++;
  }
  return [];
}

/** Options of {@link parseGoTemplate}. */
export interface ParseGoTemplateOptions {
  /** Name shown in messages (prometheus-adapter: `metrics-query`, `resource-label`). */
  readonly name: string;
  readonly leftDelim?: string;
  readonly rightDelim?: string;
}

/**
 * Parses a Go template (delimiters `<<` `>>` unless told otherwise).
 *
 * @throws {GoTemplateError} (phase `parse`) with Go's message, e.g. `template: metrics-query:1: function "foo" not defined`
 * @example parseGoTemplate('sum(<<.Series>>{<<.LabelMatchers>>})', { name: 'metrics-query' }).root.length // -> 5
 */
export function parseGoTemplate(source: string, options: ParseGoTemplateOptions): GoTemplateTree {
  const left = options.leftDelim ?? '<<';
  const right = options.rightDelim ?? '>>';
  const parser = new Parser(source, options.name, lex(source, options.name, left, right));
  return { name: options.name, source, root: parser.list(false).nodes };
}
