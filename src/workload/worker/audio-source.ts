/**
 * Where a worker may read the audio of a JSON `{"url": ...}` request: nowhere unless the operator
 * says so. `--audio-dir DIR` allows regular files under one directory (a path, or a `file:` URL);
 * `--audio-origin URL` allows http URLs under one loopback origin and path prefix. Everything else
 * is refused before any file system or network access, with the reason.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRequest, isLoopbackHost } from '../../platform/index.js';
import { AudioFormatError, type AudioInfo, readAudioInfo } from '../audio/audio-info.js';

/** Bytes of a file or response kept to find the WAV header; the rest is only counted. */
export const AUDIO_HEADER_BYTES = 1024 * 1024;

/** The operator's opt-in for the `{url}` form. */
export interface AudioSourcePolicy {
  /** An absolute directory: `{url}` may name a regular file under it. */
  readonly audioDir?: string | undefined;
  /** An http URL on 127.0.0.1, localhost or ::1: `{url}` may name a URL under it (same origin, path prefix). */
  readonly audioOrigin?: string | undefined;
}

/** Audio read for a request, or why it was refused (the worker answers 400 with `message`). */
export type AudioSourceResult = { readonly ok: true; readonly info: AudioInfo } | { readonly ok: false; readonly message: string };

const refuse = (message: string): AudioSourceResult => ({ ok: false, message });

/**
 * Checks a policy as the worker's flags give it.
 *
 * @throws {RangeError} when `audioDir` is not absolute, or `audioOrigin` is not an http URL on a
 *   loopback host (or carries credentials, a query or a fragment)
 * @example
 * checkAudioSourcePolicy({ audioOrigin: 'http://127.0.0.1:7100/samples/' }); // -> { audioOrigin: 'http://127.0.0.1:7100/samples/' }
 */
export function checkAudioSourcePolicy(policy: AudioSourcePolicy): AudioSourcePolicy {
  const out: { audioDir?: string; audioOrigin?: string } = {};
  if (policy.audioDir !== undefined) {
    if (!isAbsolute(policy.audioDir)) throw new RangeError(`Cannot use 'audioDir' as it must be an absolute directory: got '${policy.audioDir}'`);
    out.audioDir = resolve(policy.audioDir);
  }
  if (policy.audioOrigin !== undefined) {
    let u: URL;
    try {
      u = new URL(policy.audioOrigin);
    } catch {
      throw new RangeError(`Cannot use 'audioOrigin' as it must be an http URL such as http://127.0.0.1:8000/audio/: got '${policy.audioOrigin}'`);
    }
    if (u.protocol !== 'http:' || !isLoopbackHost(u.hostname) || u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
      throw new RangeError(`Cannot use 'audioOrigin' as it must be an http URL on 127.0.0.1, localhost or ::1 without credentials, query or fragment: got '${policy.audioOrigin}'`);
    }
    out.audioOrigin = u.pathname.endsWith('/') ? u.href : `${u.href}/`;
  }
  return out;
}

/** The allowed forms, for error messages. */
function allowedText(policy: AudioSourcePolicy): string {
  const forms = [
    ...(policy.audioDir === undefined ? [] : [`files under ${policy.audioDir}`]),
    ...(policy.audioOrigin === undefined ? [] : [`URLs under ${policy.audioOrigin}`]),
  ];
  return forms.length === 0
    ? "this worker reads no URL or file (its operator allows them with '--audio-dir DIR' or '--audio-origin URL'): send the audio bytes in the body instead"
    : `this worker reads only ${forms.join(' and ')}`;
}

function audioOrFail(head: Uint8Array, totalBytes: number, what: string): AudioSourceResult {
  if (totalBytes === 0) return refuse(`Cannot read audio from ${what}: it is empty`);
  try {
    return { ok: true, info: readAudioInfo(head, { totalBytes }) };
  } catch (error) {
    if (error instanceof AudioFormatError) return refuse(`${error.message} (${what})`);
    throw error;
  }
}

/**
 * Reads the audio a `{url}` request names, within the policy: an http URL under `audioOrigin`
 * (no redirect followed, the answer must be 200), or a path / `file:` URL whose real path is a
 * regular file under `audioDir`, opened with O_NOFOLLOW and O_NONBLOCK and checked with fstat (a
 * FIFO, a device or a symlink is refused and never blocks the thread pool). Refused forms are not
 * touched: a path outside the directory is refused before the file system is asked.
 *
 * @throws only when `signal` aborts (the caller answers 499 / 503)
 * @example
 * await readAudioSource('https://example.com/a.wav', {}, signal); // -> { ok: false, message: "Cannot read 'https://example.com/a.wav': this worker reads no URL or file ..." }
 */
export async function readAudioSource(url: string, policy: AudioSourcePolicy, signal: AbortSignal): Promise<AudioSourceResult> {
  const shown = JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url);
  const refused = (): AudioSourceResult => refuse(`Cannot read ${shown}: ${allowedText(policy)}`);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined; // not a URL: a file path
  }
  if (parsed !== undefined && parsed.protocol !== 'file:') {
    const origin = policy.audioOrigin;
    if (origin === undefined || parsed.username !== '' || parsed.password !== '' || !parsed.href.startsWith(origin)) return refused();
    try {
      const r = await httpRequest(parsed, { keepBytes: AUDIO_HEADER_BYTES, signal, timeoutMs: 60_000 });
      if (r.status !== 200) return refuse(`Cannot read ${shown}: status ${r.status} (redirects are not followed)`);
      return audioOrFail(r.body, r.bodyBytes, shown);
    } catch (error) {
      if (signal.aborted) throw error;
      return refuse(`Cannot read ${shown}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const dir = policy.audioDir;
  if (dir === undefined) return refused();
  let path: string;
  try {
    path = parsed === undefined ? resolve(dir, url) : fileURLToPath(parsed);
  } catch {
    return refused(); // a file: URL with a host
  }
  if (!isUnder(dir, path) || url.includes('\0')) return refused();
  try {
    // The real path (symlinks resolved) must stay under the real directory too.
    const [realDir, real] = await Promise.all([realpath(dir), realpath(path)]);
    if (!isUnder(realDir, real)) return refused();
    const file = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stat = await file.stat();
      if (!stat.isFile()) return refuse(`Cannot read ${shown}: not a regular file`);
      const head = new Uint8Array(Math.min(stat.size, AUDIO_HEADER_BYTES));
      await file.read(head, 0, head.byteLength, 0);
      return audioOrFail(head, stat.size, shown);
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'ELOOP' ? 'a symbolic link' : code === 'EACCES' ? 'permission denied' : 'cannot open it';
    return refuse(`Cannot read ${shown}: ${why}`);
  }
}

function isUnder(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
