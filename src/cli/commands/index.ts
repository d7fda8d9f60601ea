import type { CommandDef } from '../command.js';
import { adapterCommand } from './adapter.js';
import { diagnoseCommand } from './diagnose.js';
import { renderCommand } from './render.js';
import { explainCommand } from './explain.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { upCommand } from './up.js';
import { statusCommand } from './status.js';
import { describeCommand } from './describe.js';
import { loadCommand } from './load.js';
import { scanCommand } from './scan.js';
import { shadowCommand } from './shadow.js';

/** Every command of the CLI, in help order. Each lives in its own file in this folder. */
export const COMMANDS: readonly CommandDef[] = [simulateCommand, explainCommand, serveCommand, adapterCommand, renderCommand, diagnoseCommand, upCommand, statusCommand, describeCommand, loadCommand, scanCommand, shadowCommand];
