import type { CommandDef } from '../command.js';
import { explainCommand } from './explain.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';

/** Every command of the CLI, in help order. Each lives in its own file in this folder. */
export const COMMANDS: readonly CommandDef[] = [simulateCommand, explainCommand, serveCommand];
