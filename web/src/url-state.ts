/**
 * The page's state in the URL hash: `#s=` + base64url(deflate-raw(JSON)). Deflate keeps a link
 * with an inline scenario file short; `#j=` + base64url(JSON) is read too (what a script can
 * write without a compressor). `hpa-lab serve FILE` writes the same envelope.
 */

/** The hash parameter that holds the compressed state. */
export const STATE_PARAM = 's';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * Encodes a JSON-able value as the hash fragment (without `#`).
 *
 * @example await encodeHash({ view: 'calculator' }) // -> 's=q1YqS...'
 */
export async function encodeHash(value: unknown): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(value));
  return `${STATE_PARAM}=${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
}

/**
 * Decodes a hash fragment written by `encodeHash` (or `#j=` plain JSON). Returns `undefined` for
 * an empty hash.
 *
 * @throws {SyntaxError} when the hash holds something else or is damaged
 */
export async function decodeHash(hash: string): Promise<unknown> {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h === '') return undefined;
  const params = new URLSearchParams(h);
  const z = params.get(STATE_PARAM);
  const j = params.get('j');
  try {
    if (z !== null) return JSON.parse(new TextDecoder().decode(await pipe(fromBase64Url(z), new DecompressionStream('deflate-raw'))));
    if (j !== null) return JSON.parse(new TextDecoder().decode(fromBase64Url(j)));
  } catch (error) {
    throw new SyntaxError(`Cannot read the page state from the link: the '#${z !== null ? STATE_PARAM : 'j'}=' value is damaged (${(error as Error).message})`, { cause: error });
  }
  throw new SyntaxError(`Cannot read the page state from the link: expected '#${STATE_PARAM}=...' or '#j=...', got '#${h.slice(0, 40)}'`);
}
