/**
 * THE PACKAGE AS USERS GET IT (slow: ~1 min, it builds, packs and installs).
 *
 * `npm pack` (which runs `prepack`: the TypeScript build and the page build), then
 * `npm install <tarball>` into an empty folder, then the installed `hpa-lab` is run with no
 * TypeScript tooling around it: `--help`, `explain` on an example, a 1-minute `simulate`, `serve`
 * (the page built at pack time), a worker process pool (compiled workers), and its library faces.
 * The installation needs the npm registry or npm's cache for hpa-lab's dependencies; without
 * either, the test says so and is skipped. `HPA_LAB_SKIP_PACK_TEST=1` skips it on purpose.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STEP_TIMEOUT_MS = 150_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end; never rejects (the exit code and output are asserted instead). */
function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    // No NODE_OPTIONS from vitest (it may carry loaders); the installed CLI must run on plain node.
    const env = { ...process.env, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    execFile(file, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: STEP_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: `${String(stderr)}${error && typeof error.code !== 'number' ? `\n${error.message}` : ''}` });
    });
  });
}

const npmFound = await run(NPM, ['--version'], REPO).then((r) => r.code === 0);
const skipReason = process.env['HPA_LAB_SKIP_PACK_TEST'] ? 'HPA_LAB_SKIP_PACK_TEST is set' : npmFound ? undefined : 'npm is not on the PATH';

describe.skipIf(skipReason !== undefined)(`the packed package, installed from its tarball${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir = '';
  let app = '';
  let tarball = '';
  let packed: Run;
  let installed: Run;
  let installSkip: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-pack-'));
    packed = await run(NPM, ['pack', '--json', '--pack-destination', dir], REPO);
    if (packed.code !== 0) return;
    const name = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[])[0]?.filename ?? '';
    tarball = join(dir, name);
    app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), `${JSON.stringify({ name: 'pack-test', private: true, type: 'module' })}\n`);
    installed = await run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball], app);
    if (installed.code !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENOTCACHED|ETIMEDOUT|network/i.test(installed.stderr)) {
      installSkip = `npm could not reach the registry or its cache for hpa-lab's dependencies: ${installed.stderr.trim().split('\n').at(-1) ?? ''}`;
    }
  }, 2 * STEP_TIMEOUT_MS);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const bin = () => join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'hpa-lab.cmd' : 'hpa-lab');
  const pkg = () => join(app, 'node_modules', 'hpa-lab');

  it('packs compiled code, the built page and the examples, and no tests or TypeScript sources', async () => {
    expect(packed.code, packed.stderr).toBe(0);
    const list = await run('tar', ['tzf', tarball], dir);
    expect(list.code, list.stderr).toBe(0);
    const files = list.stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/dist/cli/bin.js');
    expect(files).toContain('package/dist/workload/worker/main.js');
    expect(files).toContain('package/dist/engine/index.d.ts');
    expect(files).toContain('package/web-dist/index.html');
    expect(files).toContain('package/examples/blog/hpa.yaml');
    expect(files.filter((f) => /\.test\.|test-suite|^package\/(test|src|bench|web)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });

  it('installs with no TypeScript tooling (tsx, typescript, vite are development dependencies)', (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    expect(installed.code, installed.stderr).toBe(0);
    expect(existsSync(bin())).toBe(true);
    for (const dev of ['tsx', 'typescript', 'vite', 'vitest']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
  });

  it('runs the installed hpa-lab --help', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    const r = await run(bin(), ['--help'], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hpa-lab COMMAND/);
    expect(r.stdout).toContain('simulate');
  });

  it('runs the installed hpa-lab explain on an example', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    const ex = join(pkg(), 'examples', 'blog');
    const r = await run(bin(), ['explain', join(ex, 'hpa.yaml'), '--readings', join(ex, 'readings-startup.yaml')], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('How the number was reached');
  });

  it('runs a 1-minute simulate with the installed hpa-lab, chart included (echarts at run time)', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    const scenarios = join(pkg(), 'examples', 'scenarios');
    const text = (await readFile(join(scenarios, 'traffic-spike.yaml'), 'utf8'))
      .replace(/^duration: .*$/m, 'duration: 1m')
      .replace('file: ../lightning-asr/hpa.yaml', `file: ${JSON.stringify(join(pkg(), 'examples', 'lightning-asr', 'hpa.yaml'))}`);
    await writeFile(join(app, 'one-minute.yaml'), text);
    const r = await run(bin(), ['simulate', 'one-minute.yaml', '--json', 'out.json', '--plot', 'out.svg', '--quiet'], app);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(await readFile(join(app, 'out.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['summary']));
    expect(await readFile(join(app, 'out.svg'), 'utf8')).toMatch(/<svg\b/);
  });

  it('serves the page built into the package (hpa-lab serve)', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    const child = spawn(bin(), ['serve', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /hpa-lab page: (http:\/\/\S+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script\b[^>]*src=/);
      expect(err).not.toMatch(/Building the page/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('starts worker processes from compiled JavaScript (no tsx in the installation)', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    const dist = join(pkg(), 'dist');
    const code = `
      const { createLocalProcessPool, WORKER_ENTRY } = await import(${JSON.stringify(pathToFileURL(join(dist, 'cluster', 'index.js')).href)});
      const { systemClock, systemTimers } = await import(${JSON.stringify(pathToFileURL(join(dist, 'platform', 'index.js')).href)});
      const pool = createLocalProcessPool({ clock: systemClock, timers: systemTimers, healthIntervalMs: 100, workerArgs: ['--model-load-ms', '100', '--grace-ms', '1000'] });
      let ready = false;
      for (let i = 0; i < 300 && !ready; i++) { await new Promise((r) => setTimeout(r, 100)); ready = pool.workers().every((w) => w.ready); }
      console.log(JSON.stringify({ entry: WORKER_ENTRY, ready, events: pool.events().map((e) => e.reason) }));
      await pool.close();`;
    const r = await run(process.execPath, ['--input-type=module', '-e', code], app);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { entry: string; ready: boolean; events: string[] };
    expect(result.entry.endsWith(join('dist', 'workload', 'worker', 'main.js'))).toBe(true);
    expect(result).toMatchObject({ ready: true });
    expect(result.events).not.toContain('BackOff');
  });

  it('serves its public faces as a library: engine, sim, adapter, core', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    const code = `for (const s of ['hpa-lab', 'hpa-lab/engine', 'hpa-lab/sim', 'hpa-lab/adapter', 'hpa-lab/core']) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing'); } console.log(typeof (await import('hpa-lab')).reconcile);`;
    const r = await run(process.execPath, ['--input-type=module', '-e', code], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('function');
  });

  it('gives TypeScript users the types of its public faces (exports map with types)', async (ctx) => {
    if (installSkip) ctx.skip(installSkip);
    await writeFile(
      join(app, 'use.ts'),
      [
        "import { applyHpaDefaults, createInitialState, reconcile, syntheticObservation } from 'hpa-lab';",
        "import type { SimResult } from 'hpa-lab/sim';",
        "import * as adapter from 'hpa-lab/adapter';",
        "import type { Clock } from 'hpa-lab/core';",
        "const hpa = applyHpaDefaults({ metadata: { name: 'a' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, maxReplicas: 3, metrics: [] } });",
        'const observation = syntheticObservation({ hpa, replicas: 1, values: [], nowMs: 0 });',
        'export const replicas: number = reconcile({ hpa, observation, state: createInitialState(), nowMs: 0 }).decision.desiredReplicas;',
        'export type Uses = [SimResult, Clock, typeof adapter];',
        '',
      ].join('\n'),
    );
    const tsconfig = {
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')] },
      files: ['use.ts'],
    };
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    const r = await run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
  });
});
