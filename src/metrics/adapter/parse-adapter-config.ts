/**
 * Reads a prometheus-adapter configuration from YAML text (config-file or Helm-values shape),
 * strictly: YAML syntax errors, duplicate keys, unknown keys, wrong types and every startup check of
 * {@link compileAdapterConfig} become `InputError`s with the file, field path and line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { InputError } from '../../core/index.js';
import { decodeAdapterConfig, type AdapterConfig } from './adapter-config.js';
import { compileAdapterConfig } from './compile-adapter-config.js';
import { HELM_DEFAULT_RULES } from './default-adapter-config.js';
import type { ResourceMapper } from './resource-mapper.js';

/** Options of {@link parseAdapterConfig}. */
export interface ParseAdapterConfigOptions {
  /** File name for error messages. */
  readonly file: string;
  /** The cluster's kinds, for checking `overrides`; defaults to the built-in ones. */
  readonly mapper?: ResourceMapper;
  /**
   * Helm shape only: whether `rules.default` (absent = true, as in the chart) prepends the chart's
   * six default rules. `false` ignores it and never adds them.
   */
  readonly helmDefaultRules?: boolean;
}

function collectLines(node: unknown, path: string, lines: Map<string, number>, counter: LineCounter): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const childPath = path ? `${path}.${key}` : key;
      const range = (pair.key as Node | null)?.range;
      if (range) lines.set(childPath, counter.linePos(range[0]).line);
      collectLines(pair.value, childPath, lines, counter);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, k) => {
      const childPath = `${path}[${k}]`;
      const range = (item as Node | null)?.range;
      if (range) lines.set(childPath, counter.linePos(range[0]).line);
      collectLines(item, childPath, lines, counter);
    });
  }
}

/**
 * Parses and validates a configuration.
 *
 * @throws {InputError} `syntax` for YAML errors, `schema` / `semantic` for invalid fields, each with the path
 * @example parseAdapterConfig('rules:\n- seriesQuery: up\n  metricsQuery: up\n', { file: 'c.yaml' }).rules.length // -> 1
 */
export function parseAdapterConfig(text: string, options: ParseAdapterConfigOptions): AdapterConfig {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) throw new InputError('syntax', options.file, '', 'not a YAML document');
  const withContent = docs.filter((d) => d.contents !== null);
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new InputError('syntax', options.file, '', err.message.split('\n')[0] ?? err.message, { line: counter.linePos(err.pos[0]).line });
  }
  if (withContent.length > 1) throw new InputError('syntax', options.file, '', 'expected one YAML document, found several');
  const doc = withContent[0];
  const lines = new Map<string, number>();
  if (doc) collectLines(doc.contents, '', lines, counter);
  const lineOf = (path: string): number | undefined => {
    for (let p = path; p; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
      const line = lines.get(p);
      if (line !== undefined) return line;
      if (!/(\.[^.[\]]*|\[\d+\])$/.test(p)) break;
    }
    return undefined;
  };
  const value: unknown = doc ? doc.toJS({ maxAliasCount: 100 }) : null;
  const config = decodeAdapterConfig(value, {
    file: options.file,
    lineOf,
    helmDefaultRules: options.helmDefaultRules === false ? [] : HELM_DEFAULT_RULES,
  });
  compileAdapterConfig(config, { file: options.file, lineOf, ...(options.mapper ? { mapper: options.mapper } : {}) });
  return config;
}
