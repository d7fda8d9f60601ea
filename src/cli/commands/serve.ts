/**
 * `hpa-lab serve [FILE]`: serves the visualizer page on 127.0.0.1 (default port 7300) and, given
 * a file (a scenario, an HPA manifest or the seeds' Helm values), opens the page on it: the
 * server's `/` redirects to the page with the file in the URL state. Runs until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/index.js';
import { DEFAULT_SERVE_PORT, ensurePageBuilt, pageHashForFile, startStaticServer } from '../../web-server/index.js';
import { UsageError, type CommandDef } from '../command.js';

const VIEWS = ['calculator', 'scenario', 'compare', 'share'] as const;

/** Resolves when the process gets SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((done) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(signal);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export const serveCommand: CommandDef = {
  name: 'serve',
  summary: 'Serve the visualizer page (calculator, scenario, compare, share) on 127.0.0.1, optionally opened on a file',
  usage: '[FILE] [--port N] [options]',
  options: [
    { name: 'port', type: 'string', short: 'p', arg: 'N', default: String(DEFAULT_SERVE_PORT), description: 'port on 127.0.0.1 (0: any free port)' },
    { name: 'view', type: 'string', arg: 'VIEW', description: `view to open on: ${VIEWS.join(', ')} (default: scenario for a scenario, else calculator)` },
    { name: 'rebuild', type: 'boolean', description: 'in a checkout: rebuild the page with Vite (into a cache folder outside the package) even if it looks current' },
    { name: 'dir', type: 'string', arg: 'DIR', description: 'serve the page built in DIR (by npm run build:web) instead of web-dist/' },
  ],
  examples: [
    'hpa-lab serve',
    'hpa-lab serve examples/blog/hpa.yaml',
    'hpa-lab serve examples/lightning-asr/values.yaml --view scenario',
    'hpa-lab serve examples/scenarios/traffic-spike.yaml --port 8080',
  ],
  async run({ positionals, values }, io) {
    const [file, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const portText = String(values['port'] ?? DEFAULT_SERVE_PORT);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`'--port' must be an integer from 0 to 65535: got '${portText}'`);
    const view = values['view'] as string | undefined;
    if (view !== undefined && !(VIEWS as readonly string[]).includes(view)) throw new UsageError(`'--view' must be one of ${VIEWS.join(', ')}: got '${view}'`);
    const path = file === undefined ? undefined : resolve(io.cwd ?? process.cwd(), file);
    const linkOptions = view === undefined ? {} : { view: view as (typeof VIEWS)[number] };
    // Fail now, with the file's path, rather than in the browser.
    if (path !== undefined) await pageHashForFile(path, linkOptions);
    const dir = values['dir'] as string | undefined;
    const root =
      dir === undefined
        ? await ensurePageBuilt({ rebuild: values['rebuild'] === true, log: (l) => io.stderr.write(`${l}\n`) })
        : resolve(io.cwd ?? process.cwd(), dir);
    if (dir !== undefined && !existsSync(join(root, 'index.html'))) throw new InputError('unreadable', dir, '', `no index.html in the folder: build the page with 'npm run build:web' first`);
    let server;
    try {
      server = await startStaticServer({
        root,
        port: Number(portText),
        ...(path === undefined ? {} : { initialHash: () => pageHashForFile(path, linkOptions) }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new InputError('unreachable', `127.0.0.1:${portText}`, '', `the port is in use: pass --port with another one, or --port 0`);
      throw error;
    }
    io.stdout.write(`hpa-lab page: ${server.url}${file === undefined ? '' : `  (opens on ${file}; reload to pick up edits)`}\nPress Ctrl-C to stop.\n`);
    await untilSignal();
    await server.close();
    return 0;
  },
};
