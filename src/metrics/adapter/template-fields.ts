/**
 * Static check of the fields a template reads from its data. Upstream only finds a misspelled field
 * (`<<.Serie>>`) when a request runs the template (every request for that rule then fails); the
 * config loader uses this to reject it at load time instead.
 */
import type { GoTemplateTree, TemplateNode, TemplateOperand, TemplatePipeline } from './go-template-parse.js';

/** A field read from the template's root data. */
export interface TemplateFieldUse {
  readonly name: string;
  /** Offset in the template source. */
  readonly pos: number;
}

function fromOperand(op: TemplateOperand, rootDot: boolean, out: TemplateFieldUse[]): void {
  if (op.type === 'field' && rootDot && op.names[0] !== undefined) out.push({ name: op.names[0], pos: op.pos });
  if (op.type === 'variable' && op.name === '$' && op.names[0] !== undefined) out.push({ name: op.names[0], pos: op.pos });
  if (op.type === 'pipe') fromPipe(op.pipe, rootDot, out);
}

function fromPipe(pipe: TemplatePipeline, rootDot: boolean, out: TemplateFieldUse[]): void {
  for (const cmd of pipe.cmds) for (const arg of cmd.args) fromOperand(arg, rootDot, out);
}

function fromNodes(nodes: readonly TemplateNode[], rootDot: boolean, out: TemplateFieldUse[]): void {
  for (const node of nodes) {
    if (node.type === 'text') continue;
    fromPipe(node.pipe, rootDot, out);
    if (node.type === 'action') continue;
    // inside with/range the dot is another value; only `$.X` still reads the root
    fromNodes(node.list, rootDot && node.type === 'if', out);
    if (node.elseList) fromNodes(node.elseList, rootDot, out);
  }
}

/**
 * The root fields a template reads that are not in `allowed`.
 *
 * @example unknownTemplateFields(parseGoTemplate('<<.Serie>>', { name: 't' }), ['Series']) // -> [{ name: 'Serie', pos: 2 }]
 */
export function unknownTemplateFields(tree: GoTemplateTree, allowed: readonly string[]): TemplateFieldUse[] {
  const uses: TemplateFieldUse[] = [];
  fromNodes(tree.root, true, uses);
  return uses.filter((u) => !allowed.includes(u.name));
}
