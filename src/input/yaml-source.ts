import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import { InputError } from '../core/index.js';

/** A path inside one YAML document: mapping keys and sequence indexes. */
export type FieldPath = readonly (string | number)[];

/** One document of a YAML stream: its plain value and where its fields are. */
export interface YamlDocument {
  /** Position in the stream, counting empty documents. */
  readonly index: number;
  /** The document as plain data (`null` for an empty document). */
  readonly value: unknown;
  /** 1-based line of the deepest node along `path` that exists in the text. */
  readonly lineOf: (path: FieldPath) => number | undefined;
}

/**
 * Parses a YAML stream (one or more `---`-separated documents) into plain data with line lookup.
 *
 * @throws {InputError} code `syntax` with the line of the first YAML error.
 */
export function parseYamlDocuments(text: string, file: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) {
    // An empty stream: yaml returns an EmptyStream object instead of an array.
    return [];
  }
  return docs.map((doc, index) => {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      const firstLine = error.message.split('\n')[0] ?? error.message;
      const detail = firstLine.replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError('syntax', file, '', `invalid YAML: ${detail}`, { line, cause: error });
    }
    return {
      index,
      value: toPlainData(doc, lineCounter, file),
      lineOf: (path: FieldPath) => lineOfPath(doc, lineCounter, path),
    };
  });
}

/** Aliases a document may expand, counted as yaml counts them: more is refused as an alias bomb. */
export const MAX_YAML_ALIAS_COUNT = 1000;

/** The document as plain data; alias errors (undefined anchor, alias bomb) become `InputError`s with a line. */
function toPlainData(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) ?? null;
  } catch (error) {
    let offset: number | undefined;
    let unresolved: string | undefined;
    visit(doc, {
      Alias(_key, node) {
        offset ??= node.range?.[0];
        if (node.resolve(doc) === undefined) {
          unresolved = node.source;
          offset = node.range?.[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    const detail =
      unresolved !== undefined
        ? `invalid YAML: alias '*${unresolved}' names no anchor defined before it (expected '&${unresolved}' earlier in the document)`
        : /alias/i.test((error as Error).message)
          ? `invalid YAML: aliases expand to too much data (expected at most ${MAX_YAML_ALIAS_COUNT} alias expansions, a limit of hpa-lab against alias bombs)`
          : `invalid YAML: ${(error as Error).message}`;
    throw new InputError('syntax', file, '', detail, { ...(line === undefined ? {} : { line }), cause: error });
  }
}

function lineOfPath(doc: Document, lineCounter: LineCounter, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0];
  }
  return undefined;
}
