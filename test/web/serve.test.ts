/**
 * `hpa-lab serve` and its static server: files, redirects to the page opened on a file, path
 * checks, and the command's exit codes (bounded: every server is closed, the child is stopped by
 * its own pid).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { pageStateForFile, startStaticServer, type StaticServer } from '../../src/web-server/index.js';
import { decodeHash } from '../../web/src/url-state.js';

const REPO = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeIo(): { io: Parameters<typeof main>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: REPO }, out: () => out, err: () => err };
}

describe('startStaticServer()', () => {
  let server: StaticServer;
  let hash: string | undefined = 's=abc';
  beforeAll(async () => {
    mkdirSync(join(dir, 'page', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'page', 'index.html'), '<!doctype html><title>page</title>');
    writeFileSync(join(dir, 'page', 'assets', 'a.js'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');
    server = await startStaticServer({ root: join(dir, 'page'), port: 0, initialHash: () => Promise.resolve(hash) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('binds 127.0.0.1 on an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it.each([
    { name: 'the page', path: 'index.html', status: 200, type: 'text/html; charset=utf-8' },
    { name: 'a hashed asset', path: 'assets/a.js', status: 200, type: 'text/javascript; charset=utf-8' },
    { name: 'a missing file', path: 'nope.js', status: 404, type: 'text/plain; charset=utf-8' },
    { name: 'a path escaping the folder', path: '..%2fsecret.txt', status: 403, type: 'text/plain; charset=utf-8' },
    { name: 'bad percent-encoding', path: '%E0%A4%A', status: 400, type: 'text/plain; charset=utf-8' },
  ])('answers $status for $name', async ({ path, status, type }) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(type);
    if (status !== 200) expect(await res.text()).not.toContain('TOP-SECRET');
  });

  it('redirects / to the page with the state in the hash, computed per request', async () => {
    const res = await fetch(server.url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/index.html#s=abc');
    hash = undefined;
    const plain = await fetch(server.url, { redirect: 'manual' });
    expect(plain.status).toBe(200);
    hash = 's=abc';
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch(`${server.url}index.html`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('pageStateForFile()', () => {
  it.each([
    { file: 'examples/blog/hpa.yaml', view: 'calculator', files: [] as string[] },
    { file: 'examples/lightning-asr/values.yaml', view: 'calculator', files: [] as string[] },
    { file: 'examples/scenarios/compare-stabilization.yaml', view: 'scenario', files: ['../lightning-asr/values.yaml'] },
  ])('opens $file in the $view view with the files it references', async ({ file, view, files }) => {
    const state = await pageStateForFile(join(REPO, file));
    expect(state.view).toBe(view);
    expect(state.init).toBe('calc-from-source');
    expect(Object.keys(state.scenario.source.files ?? {})).toEqual(files);
  });

  it('fails with the path of a bad file, before any server starts', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: x }\nspec: { maxReplicas: 0 }\n');
    await expect(pageStateForFile(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml/);
  });
});

describe('hpa-lab serve', () => {
  it.each([
    { name: 'a bad port', argv: ['serve', '--port', 'http'], text: "'--port' must be an integer from 0 to 65535" },
    { name: 'an unknown view', argv: ['serve', '--view', 'graphs'], text: "'--view' must be one of calculator, scenario, compare, share" },
    { name: 'a missing file', argv: ['serve', 'examples/nope.yaml'], text: 'cannot read the file: no such file' },
    { name: 'a folder without a page', argv: ['serve', '--dir', 'examples'], text: 'no index.html in the folder' },
  ])('exits 2 for $name', async ({ argv, text }) => {
    const { io, err } = fakeIo();
    expect(await main(argv, io)).toBe(2);
    expect(err()).toContain(text);
  });

  it('serves the page opened on a file until SIGTERM, then exits 0', async () => {
    mkdirSync(join(dir, 'built'), { recursive: true });
    writeFileSync(join(dir, 'built', 'index.html'), '<!doctype html><title>built</title>');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', '0', '--dir', join(dir, 'built'), 'examples/blog/hpa.yaml'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed in 30 s: ${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /hpa-lab page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}`)));
      });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const state = (await decodeHash(res.headers.get('location')!.replace(/^[^#]*/, ''))) as { view: string; scenario: { source: { name: string } } };
      expect(state.view).toBe('calculator');
      expect(state.scenario.source.name).toBe('hpa.yaml');
      expect((await fetch(`${url}index.html`)).status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
