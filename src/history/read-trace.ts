/**
 * Reads a trace file line by line (JSON Lines), checking line 1 is a trace header this build
 * reads. Streaming: one line in memory at a time.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../core/index.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceLine, type TraceSync } from './trace-format.js';

/** Checks a parsed line 1. */
export function checkTraceHeader(value: unknown, file: string): TraceHeader {
  const h = value as Partial<TraceHeader> | null;
  if (typeof h !== 'object' || h === null || h.kind !== 'header' || h.format !== TRACE_FORMAT) {
    throw new InputError('schema', file, 'kind', `line 1 must be a trace header {"kind":"header","format":"${TRACE_FORMAT}",...}: is this a trace written by 'hpa-lab record'?`, { line: 1 });
  }
  if (h.version !== TRACE_VERSION) throw new InputError('schema', file, 'version', `must be ${TRACE_VERSION}: got ${JSON.stringify(h.version)}`, { line: 1 });
  if (!Array.isArray(h.hpas)) throw new InputError('schema', file, 'hpas', 'must be a list of HPAs', { line: 1 });
  if (!(typeof h.stepSeconds === 'number' && h.stepSeconds > 0)) throw new InputError('schema', file, 'stepSeconds', `must be a number > 0: got ${JSON.stringify(h.stepSeconds)}`, { line: 1 });
  return h as TraceHeader;
}

/**
 * The header and an iterator over the `sync` lines of a trace file.
 *
 * @throws {InputError} `unreadable` for a missing file, `syntax` for a line that is not JSON,
 *   `schema` for a header this build does not read
 */
export async function openTrace(file: string): Promise<{ header: TraceHeader; syncs: AsyncGenerator<TraceSync> }> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('readable', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new InputError('unreadable', file, '', `cannot read the file: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { cause: error })));
  });
  await opened;
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let lineNo = 0;
  const parse = (text: string): TraceLine => {
    try {
      return JSON.parse(text) as TraceLine;
    } catch (error) {
      throw new InputError('syntax', file, '', `line ${lineNo} is not JSON: ${(error as Error).message}`, { line: lineNo, cause: error });
    }
  };
  const first = await lines.next();
  lineNo = 1;
  if (first.done === true) throw new InputError('schema', file, '', 'is empty: expected a trace header on line 1');
  const header = checkTraceHeader(parse(first.value), file);
  async function* syncs(): AsyncGenerator<TraceSync> {
    for (;;) {
      const next = await lines.next();
      if (next.done === true) return;
      lineNo++;
      if (next.value.trim() === '') continue;
      const line = parse(next.value);
      if (line.kind === 'sync') yield line;
      else if (line.kind === 'end') return;
    }
  }
  return { header, syncs: syncs() };
}
