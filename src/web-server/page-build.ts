/**
 * Where the built page lives (`web-dist/` at the package root) and building it with Vite's
 * JavaScript API when it is missing or older than its sources, so `hpa-lab serve` works from a
 * fresh checkout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
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
export const PAGE_SOURCES = ['web', 'src/engine', 'src/sim', 'src/spec', 'examples'] as const;

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
  /** Build even when the files look current. */
  readonly rebuild?: boolean;
  /** Output folder (default `web-dist/` at the package root). */
  readonly outDir?: string;
  /** Progress lines ("building the page..."). */
  readonly log?: (line: string) => void;
}

/**
 * The folder of the built page, building it first when it is missing, stale or `rebuild` is set
 * and Vite is installed (it is a development dependency).
 *
 * @throws {Error} when there is no built page and Vite is not available to build one
 */
export async function ensurePageBuilt(options: EnsurePageOptions = {}): Promise<string> {
  const root = packageRoot();
  const outDir = options.outDir ?? join(root, 'web-dist');
  const index = join(outDir, 'index.html');
  const built = existsSync(index) ? (await stat(index)).mtimeMs : 0;
  const hasSources = existsSync(join(root, 'web', 'vite.config.ts'));
  let stale = built === 0;
  if (!stale && hasSources && !options.rebuild) {
    for (const s of PAGE_SOURCES) {
      if ((await newestMtimeMs(join(root, s))) > built) {
        stale = true;
        break;
      }
    }
  }
  if (!stale && !options.rebuild) return outDir;
  if (!hasSources) {
    if (built) return outDir;
    throw new Error(`Cannot serve the page: ${index} is missing and the page's sources are not in this installation`);
  }
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (built) return outDir;
    throw new Error(`Cannot serve the page: ${index} is missing and Vite is not installed to build it: run 'npm run build:web' in a checkout`);
  }
  options.log?.(`Building the page into ${outDir} ...`);
  await buildPageWith(vite, outDir);
  return outDir;
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
