/**
 * Vite build of the visualizer page: `npm run build:web` writes static files to `web-dist/`
 * (relative asset paths, so they work from any folder and from `hpa-lab serve`). The page imports
 * `src/engine`, `src/sim` and `src/input` directly; `examples/` is bundled as the built-in scenarios.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * The bundle is one classic script (IIFE) loaded with `defer`, not a module script: browsers
 * refuse module scripts from `file://`, so the built `index.html` also opens straight from disk.
 */
function classicScript(): Plugin {
  return {
    name: 'hpa-lab:classic-script',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: (html) => html.replace(/<script type="module" crossorigin src=/g, '<script defer src=').replace(/<link rel="stylesheet" crossorigin /g, '<link rel="stylesheet" '),
  };
}

export default defineConfig({
  plugins: [classicScript()],
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  build: {
    outDir: fileURLToPath(new URL('../web-dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    modulePreload: false,
    rolldownOptions: { output: { format: 'iife', codeSplitting: false } },
  },
});
