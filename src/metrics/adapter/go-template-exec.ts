/**
 * The executor of Go's `text/template` for trees from {@link parseGoTemplate}, with Go's printing
 * rules (`[a b]` for slices, `map[k:v]` with sorted keys, `<no value>` for a missing map entry read
 * as a field) and Go's error wording (`can't evaluate field Foo in type naming.queryTemplateArgs`).
 *
 * Data is modelled with {@link goStruct} (fixed fields: reading another one is an error) and
 * {@link goStringMap} (a `map[string]string`: a missing key reads as `<no value>`, `index` gives "").
 *
 * @see https://pkg.go.dev/text/template
 */
import { goQuote } from '../../core/index.js';
import { callFunction } from './go-template-funcs.js';
import { GoFloat, GoMap, GoStruct, goTypeName, isTrue, printGoValue, type GoValue } from './go-template-values.js';

import {
  GoTemplateError,
  lineOf,
  type GoTemplateTree,
  type TemplateCommand,
  type TemplateNode,
  type TemplateOperand,
  type TemplatePipeline,
} from './go-template-parse.js';

export { goStringMap, goStruct, printGoValue, type GoValue } from './go-template-values.js';

interface Scope {
  readonly tree: GoTemplateTree;
  readonly vars: { name: string; value: GoValue }[];
}

function fail(scope: Scope, pos: number, text: string, msg: string): never {
  const source = scope.tree.source;
  const line = lineOf(source, pos);
  const col = pos - (source.lastIndexOf('\n', pos - 1) + 1);
  throw new GoTemplateError('exec', `template: ${scope.tree.name}:${line}:${col}: executing "${scope.tree.name}" at <${text}>: ${msg}`);
}

function field(scope: Scope, receiver: GoValue, name: string, pos: number, text: string): GoValue {
  if (receiver instanceof GoStruct) {
    if (!receiver.fields.has(name)) fail(scope, pos, text, `can't evaluate field ${name} in type ${receiver.typeName}`);
    return receiver.fields.get(name);
  }
  if (receiver instanceof GoMap) return receiver.entries.get(name);
  if (receiver === undefined || receiver === null) fail(scope, pos, text, `nil data; no entry for key ${goQuote(name)}`);
  return fail(scope, pos, text, `can't evaluate field ${name} in type ${goTypeName(receiver)}`);
}

function chain(scope: Scope, value: GoValue, names: readonly string[], pos: number, text: string): GoValue {
  let v = value;
  for (const n of names) v = field(scope, v, n, pos, text);
  return v;
}

function lookupVar(scope: Scope, name: string, pos: number): GoValue {
  for (let k = scope.vars.length - 1; k >= 0; k--) if (scope.vars[k]?.name === name) return scope.vars[k]?.value;
  return fail(scope, pos, name, `undefined variable: ${name}`);
}

function evalOperand(scope: Scope, dot: GoValue, op: TemplateOperand, text: string): GoValue {
  switch (op.type) {
    case 'field':
      return chain(scope, dot, op.names, op.pos, text);
    case 'variable':
      return chain(scope, lookupVar(scope, op.name, op.pos), op.names, op.pos, text);
    case 'dot':
      return dot;
    case 'string':
      return op.value;
    case 'number':
      return op.isFloat ? new GoFloat(op.value) : op.value;
    case 'bool':
      return op.value;
    case 'nil':
      return fail(scope, op.pos, 'nil', 'nil is not a command');
    case 'identifier':
      return callFunction((m) => fail(scope, op.pos, text, m), op.name, []);
    case 'pipe':
      return chain(scope, evalPipeline(scope, dot, op.pipe), op.names, op.pos, text);
  }
}

function evalCommand(scope: Scope, dot: GoValue, cmd: TemplateCommand, final: GoValue | typeof NO_FINAL): GoValue {
  const [first, ...rest] = cmd.args;
  if (!first) return undefined;
  if (first.type === 'identifier') {
    const { name } = first;
    if (name === 'and' || name === 'or') {
      // Go 1.18+: and/or stop evaluating at the first decisive argument
      const all = final === NO_FINAL ? rest : [...rest, null];
      let last: GoValue = undefined;
      for (let k = 0; k < all.length; k++) {
        const arg = all[k];
        last = arg === null ? (final as GoValue) : evalOperand(scope, dot, arg as TemplateOperand, cmd.text);
        if (isTrue(last) === (name === 'or')) return last;
      }
      return last;
    }
    const args = rest.map((a) => evalOperand(scope, dot, a, cmd.text));
    if (final !== NO_FINAL) args.push(final);
    return callFunction((m) => fail(scope, first.pos, cmd.text, m), name, args);
  }
  if (rest.length > 0 || final !== NO_FINAL) {
    const shown = first.type === 'field' ? `.${first.names.join('.')}` : cmd.text;
    fail(scope, first.pos, cmd.text, `can't give argument to non-function ${shown}`);
  }
  return evalOperand(scope, dot, first, cmd.text);
}

const NO_FINAL = Symbol('no final value');

function evalPipeline(scope: Scope, dot: GoValue, pipe: TemplatePipeline): GoValue {
  let value: GoValue | typeof NO_FINAL = NO_FINAL;
  for (const cmd of pipe.cmds) value = evalCommand(scope, dot, cmd, value);
  const result = value === NO_FINAL ? undefined : value;
  for (const name of pipe.decl) {
    if (pipe.isAssign) {
      const slot = [...scope.vars].reverse().find((v) => v.name === name);
      if (!slot) throw new GoTemplateError('exec', `template: ${scope.tree.name}: undefined variable: ${name}`);
      slot.value = result;
    } else {
      scope.vars.push({ name, value: result });
    }
  }
  return result;
}

function walk(scope: Scope, dot: GoValue, nodes: readonly TemplateNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      out.push(node.text);
      continue;
    }
    const mark = scope.vars.length;
    if (node.type === 'action') {
      const value = evalPipeline(scope, dot, node.pipe);
      if (node.pipe.decl.length === 0) out.push(printGoValue(value));
      continue; // declarations in a plain action stay in scope
    }
    if (node.type === 'range') {
      const decl = node.pipe.decl;
      const value = evalPipeline(scope, dot, { ...node.pipe, decl: [] });
      const entries: [GoValue, GoValue][] =
        value instanceof GoMap
          ? [...value.entries.keys()].sort().map((k) => [k, value.entries.get(k)])
          : Array.isArray(value)
            ? (value as readonly GoValue[]).map((v, k) => [k, v])
            : value === undefined || value === null
              ? []
              : fail(scope, node.pos, node.text, `range can't iterate over ${printGoValue(value)}`);
      if (entries.length === 0 && node.elseList) walk(scope, dot, node.elseList, out);
      for (const [key, elem] of entries) {
        const inner = scope.vars.length;
        if (decl.length === 1) scope.vars.push({ name: decl[0] ?? '$', value: elem });
        if (decl.length === 2) scope.vars.push({ name: decl[0] ?? '$', value: key }, { name: decl[1] ?? '$', value: elem });
        walk(scope, elem, node.list, out);
        scope.vars.length = inner;
      }
    } else {
      const value = evalPipeline(scope, dot, node.pipe);
      if (isTrue(value)) walk(scope, node.type === 'with' ? value : dot, node.list, out);
      else if (node.elseList) walk(scope, dot, node.elseList, out);
    }
    scope.vars.length = mark;
  }
}

/**
 * Executes a parsed template against `data` (usually a {@link goStruct}).
 *
 * @throws {GoTemplateError} (phase `exec`) with Go's message, e.g. a missing struct field
 * @example executeGoTemplate(parseGoTemplate('<<.A>>', { name: 't' }), goStruct('T', { A: ['x', 'y'] })) // -> '[x y]'
 */
export function executeGoTemplate(tree: GoTemplateTree, data: GoValue): string {
  const scope: Scope = { tree, vars: [{ name: '$', value: data }] };
  const out: string[] = [];
  walk(scope, data, tree.root, out);
  return out.join('');
}
