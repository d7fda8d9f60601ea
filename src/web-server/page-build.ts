/**
 * Where the built page lives: `web-dist/` in the package, built at `npm pack` (`prepack`) or by
 * `npm run build:web`. From a checkout whose `web-dist/` is missing or older than the page's
 * sources, `hpa-lab serve` builds the page with Vite (a development dependency) into a cache
 * folder outside the package, never into the package itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of hpa-lab's package.json, found from this file (works from `src/` and `dist/`). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hpa-lab') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error("Cannot find hpa-lab's package.json above the web server's folder");
}

/** Sources the page is built from (relative to the package root). */
export const PAGE_SOURCES = ['web', 'src/engine', 'src/sim', 'src/input', 'src/core', 'examples'] as const;

async function newestMtimeMs(dir: string, depth = 0): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < 6) newest = Math.max(newest, await newestMtimeMs(p, depth + 1));
    } else if (e.isFile()) {
      newest = Math.max(newest, (await stat(p)).mtimeMs);
    }
  }
  return newest;
}

/** Options of `ensurePageBuilt`. */
export interface EnsurePageOptions {
  /** Build even when a built page looks current (a checkout only: an installation has no sources). */
  readonly rebuild?: boolean;
  /** Where a checkout builds the page; {@link pageCacheDir} unless told. */
  readonly outDir?: string;
  /** Progress lines ("building the page..."). */
  readonly log?: (line: string) => void;
}

/**
 * The folder a checkout builds the page into when `web-dist/` is missing or stale: one per
 * checkout, under the system's temporary folder (outside the package).
 */
export function pageCacheDir(root = packageRoot()): string {
  return join(tmpdir(), `hpa-lab-page-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
}

async function builtAtMs(dir: string): Promise<number> {
  const index = join(dir, 'index.html');
  return existsSync(index) ? (await stat(index)).mtimeMs : 0;
}

/**
 * The folder of the built page to serve. In an installation: `web-dist/`, built at `npm pack`.
 * In a checkout: the newer of `web-dist/` and the cache folder when it is newer than the page's
 * sources; otherwise the page is built with Vite into the cache folder (`options.outDir`).
 *
 * @throws {Error} when there is no built page and none can be built (naming `npm run build:web`)
 */
export async function ensurePageBuilt(options: EnsurePageOptions = {}): Promise<string> {
  const root = packageRoot();
  const shipped = join(root, 'web-dist');
  const hasSources = existsSync(join(root, 'web', 'vite.config.ts'));
  if (!hasSources) {
    if (await builtAtMs(shipped)) return shipped;
    throw new Error(`Cannot serve the page: ${join(shipped, 'index.html')} is missing from this installation (the package builds it at 'npm pack'): reinstall hpa-lab, or run 'npm run build:web' in a checkout`);
  }
  const cache = options.outDir ?? pageCacheDir(root);
  const built = [
    { dir: shipped, atMs: await builtAtMs(shipped) },
    { dir: cache, atMs: await builtAtMs(cache) },
  ].sort((x, y) => y.atMs - x.atMs)[0];
  let stale = built === undefined || built.atMs === 0;
  if (!stale && !options.rebuild) {
    for (const s of PAGE_SOURCES) {
      if ((await newestMtimeMs(join(root, s))) > (built?.atMs ?? 0)) {
        stale = true;
        break;
      }
    }
  }
  if (built !== undefined && built.atMs > 0 && !stale && !options.rebuild) return built.dir;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (built !== undefined && built.atMs > 0) return built.dir;
    throw new Error(`Cannot serve the page: it is not built and Vite is not installed to build it: run 'npm install' then 'npm run build:web'`);
  }
  options.log?.(`Building the page into ${cache} (outside the package; 'npm run build:web' builds web-dist/) ...`);
  await buildPageWith(vite, cache);
  return cache;
}

async function buildPageWith(vite: typeof import('vite'), outDir: string): Promise<void> {
  await vite.build({ configFile: join(packageRoot(), 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/**
 * Builds the page into `outDir` with Vite's JavaScript API (tests and benchmarks build into a
 * temporary folder, leaving `web-dist/` alone).
 *
 * @throws {Error} when Vite is not installed or the build fails
 */
export async function buildPage(outDir: string): Promise<string> {
  await buildPageWith(await import('vite'), outDir);
  return outDir;
}
