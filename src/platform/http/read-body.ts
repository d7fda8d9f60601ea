import type { AppRequest } from './app-types.js';

/** Outcome of {@link readBodyLimited}. */
export type LimitedBody =
  | {
      readonly ok: true;
      /** The body, or its first `keepBytes` bytes. */
      readonly bytes: Uint8Array;
      /** Size of the whole body. */
      readonly totalBytes: number;
    }
  | {
      readonly ok: false;
      /** 'declared' when Content-Length alone exceeded the limit (nothing was read). */
      readonly reason: 'declared' | 'streamed';
      /** Bytes read before giving up (0 when declared). */
      readonly readBytes: number;
    };

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Keep only the first `keepBytes` (count the rest); all bytes unless told. */
  readonly keepBytes?: number;
}

/**
 * Reads a request body without ever holding more than the limit: a Content-Length above
 * `maxBytes` is refused before reading a byte, and a chunked body is counted while it streams
 * and cut as soon as it passes the limit.
 *
 * @example
 * await readBodyLimited(new Request('http://x', { method: 'POST', body: 'abc' }), { maxBytes: 2 });
 * // -> { ok: false, reason: 'declared', readBytes: 0 } (or 'streamed' when no length was sent)
 */
export async function readBodyLimited(request: Pick<AppRequest, 'headers' | 'body'>, options: ReadBodyOptions): Promise<LimitedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > options.maxBytes) return { ok: false, reason: 'declared', readBytes: 0 };
  const { body } = request;
  if (body === null) return { ok: true, bytes: new Uint8Array(0), totalBytes: 0 };
  const keep = options.keepBytes ?? Number.POSITIVE_INFINITY;
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  // Returns false to stop reading (the body passed the limit).
  const take = (value: Uint8Array): boolean => {
    total += value.byteLength;
    if (total > options.maxBytes) return false;
    if (kept < keep) {
      const part = kept + value.byteLength <= keep ? value : value.subarray(0, keep - kept);
      chunks.push(part);
      kept += part.byteLength;
    }
    return true;
  };
  if ('getReader' in body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!take(value)) return { ok: false, reason: 'streamed', readBytes: total };
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const value of body) {
      if (!take(value)) return { ok: false, reason: 'streamed', readBytes: total };
    }
  }
  return { ok: true, bytes: concat(chunks, kept), totalBytes: total };
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
