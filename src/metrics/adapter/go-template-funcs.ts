/**
 * Go's builtin template functions (`and`, `or`, `not`, `len`, `index`, `print`, `printf`,
 * `println`, the comparisons, `html`, `js`, `urlquery`) with Go's error wording.
 *
 * @see https://github.com/golang/go/blob/go1.19.8/src/text/template/funcs.go
 */
import { formatGoFloat, goQuote } from '../../core/index.js';
import { GoMap, goTypeName, isTrue, numberOf, printGoValue, type GoValue } from './go-template-values.js';

/** Reports an execution error at the calling node. */
export type Fail = (message: string) => never;

function compare(fail: Fail, op: string, a: GoValue, b: GoValue): boolean {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) {
    return op === 'eq' ? na === nb : op === 'ne' ? na !== nb : op === 'lt' ? na < nb : op === 'le' ? na <= nb : op === 'gt' ? na > nb : na >= nb;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return op === 'eq' ? a === b : op === 'ne' ? a !== b : op === 'lt' ? a < b : op === 'le' ? a <= b : op === 'gt' ? a > b : a >= b;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean' && (op === 'eq' || op === 'ne')) return op === 'eq' ? a === b : a !== b;
  if ((a === null || b === null) && (op === 'eq' || op === 'ne')) return op === 'eq' ? a === b : a !== b;
  return fail(`error calling ${op}: incompatible types for comparison`);
}

function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, k) => {
    if (k > 0 && typeof a !== 'string' && typeof args[k - 1] !== 'string') out += ' ';
    out += printGoValue(a);
  });
  return out;
}

function sprintf(format: string, args: readonly GoValue[]): string {
  let k = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([vsdqtfgxX%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[k++];
    if (k > args.length) return `%!${verb}(MISSING)`;
    if (verb === 'q' && typeof a === 'string') return goQuote(a);
    if (verb === 'd' && typeof a === 'number') return String(Math.trunc(a));
    if ((verb === 'x' || verb === 'X') && typeof a === 'number') return verb === 'x' ? a.toString(16) : a.toString(16).toUpperCase();
    if ((verb === 'f' || verb === 'g') && numberOf(a) !== undefined) {
      const n = numberOf(a) ?? 0;
      return verb === 'f' ? n.toFixed(6) : formatGoFloat(n);
    }
    return printGoValue(a);
  });
}

/** Calls a builtin function with evaluated arguments. */
export function callFunction(fail: Fail, name: string, args: readonly GoValue[]): GoValue {
  switch (name) {
    case 'not':
      return !isTrue(args[0]);
    case 'and':
      return args.find((a) => !isTrue(a)) ?? args[args.length - 1];
    case 'or':
      return args.find((a) => isTrue(a)) ?? args[args.length - 1];
    case 'len': {
      const a = args[0];
      if (typeof a === 'string') return new TextEncoder().encode(a).length;
      if (a instanceof GoMap) return a.entries.size;
      if (Array.isArray(a)) return a.length;
      return fail(`error calling len: len of type ${goTypeName(a)}`);
    }
    case 'index': {
      let item = args[0];
      for (const idx of args.slice(1)) {
        if (item instanceof GoMap) {
          if (typeof idx !== 'string') fail(`error calling index: value has type ${goTypeName(idx)}; should be string`);
          item = item.entries.has(idx) ? item.entries.get(idx) : '';
        } else if (Array.isArray(item)) {
          const n = numberOf(idx);
          if (n === undefined || !Number.isInteger(n)) fail(`error calling index: cannot index slice/array with type ${goTypeName(idx)}`);
          if (n < 0 || n >= item.length) fail(`error calling index: index out of range: ${n}`);
          item = (item as readonly GoValue[])[n];
        } else {
          fail(`error calling index: can't index item of type ${goTypeName(item)}`);
        }
      }
      return item;
    }
    case 'print':
      return sprint(args);
    case 'println':
      return `${args.map(printGoValue).join(' ')}\n`;
    case 'printf':
      return sprintf(typeof args[0] === 'string' ? args[0] : printGoValue(args[0]), args.slice(1));
    case 'eq':
      if (args.length < 2) fail('error calling eq: missing argument for comparison');
      return args.slice(1).some((b) => compare(fail, 'eq', args[0], b));
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return compare(fail, name, args[0], args[1]);
    case 'html':
      return sprint(args).replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] ?? c);
    case 'js':
      return sprint(args).replace(/[\\'"<>&=]/g, (c) => (c === '\\' || c === "'" || c === '"' ? `\\${c}` : `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`));
    case 'urlquery':
      return encodeURIComponent(sprint(args)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`);
    default:
      return fail(`function ${goQuote(name)} not defined`);
  }
}
