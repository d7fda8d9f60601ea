#!/usr/bin/env node
// Rewrites deep imports between modules of src/ into imports through the target module's index.ts,
// adding the missing names to that index. Re-runnable: a second run changes nothing.
//
//   node scripts/fix-deep-imports.mjs            # rewrite in place, print what was done and refused
//   node scripts/fix-deep-imports.mjs --dry-run  # print only (exit 1 if anything would change)
//
// A module is a top-level folder of src/ (src/X), or src/X/Y when src/X has no index.ts but
// src/X/Y/index.ts exists (src/metrics/adapter, src/metrics/prometheus). web/src is the module "web".
// An import from module A of a file of module B (B ≠ A) becomes an import from the nearest index.ts
// above that file (src/X/Y/index.ts when it exists, else B's index.ts). The index gets
// `export { x } from './file.js'` (or `export type { T }` for names with no value) for each name it lacks.
// Test files (*.test.ts, *.test-suite.ts) importing files of their own top-level folder are left alone.
//
// A name imported through an index that the index lacks (after a merge, say) is added to the index
// from the one file of that module exporting it.
// Refused (printed with the reason, nothing written for that import): default, namespace and
// side-effect imports, `export *` from a deep file, dynamic import() and import types (they are lazy
// on purpose), names the index already exports from another declaration (collisions, `export *`
// conflicts), and edges that would close a cycle between modules (B's index would reach A's index
// while A imports B's index).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DRY = process.argv.includes('--dry-run');
const rel = (f) => path.relative(ROOT, f).split(path.sep).join('/');
const abs = (r) => path.join(ROOT, r);
const exists = (r) => fs.existsSync(abs(r));

/** The module id of a repo-relative file (a top-level folder of src/, or "web"), or undefined. */
function moduleOf(file) {
  if (file.startsWith('web/src/')) return 'web';
  const m = /^src\/([^/]+)\//.exec(file);
  return m ? `src/${m[1]}` : undefined;
}
/** The index.ts a deep import of `file` goes through. */
function indexFor(file) {
  const m = /^src\/([^/]+)\/([^/]+)\//.exec(file);
  if (m && exists(`src/${m[1]}/${m[2]}/index.ts`)) return `src/${m[1]}/${m[2]}/index.ts`;
  return `${moduleOf(file)}/index.ts`;
}
const isTest = (f) => /\.test(-suite)?\.ts$/.test(f);
const topOf = (f) => f.split('/').slice(0, 2).join('/');

function loadProgram() {
  const cfgPath = abs('tsconfig.json');
  const cfg = ts.readConfigFile(cfgPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, ROOT);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
  return { program, checker: program.getTypeChecker(), options: parsed.options };
}

function resolveSpecifier(spec, fromAbs, options) {
  const r = ts.resolveModuleName(spec, fromAbs, options, ts.sys).resolvedModule;
  if (!r || r.isExternalLibraryImport) return undefined;
  const f = rel(r.resolvedFileName);
  return f.startsWith('..') ? undefined : f;
}
const relSpecifier = (fromFile, toFile) => {
  let s = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.ts$/, '.js');
  if (!s.startsWith('.')) s = `./${s}`;
  return s;
};

const { program, checker, options } = loadProgram();
const sourceOf = (r) => program.getSourceFile(abs(r));
const resolveAlias = (sym) => (sym && sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym);

/** name -> resolved symbol, for what an index.ts exports today (through export * too). */
const indexExportsCache = new Map();
function indexExports(indexFile) {
  if (!indexExportsCache.has(indexFile)) {
    const map = new Map();
    const sf = sourceOf(indexFile);
    const modSym = sf && checker.getSymbolAtLocation(sf);
    if (modSym) for (const s of checker.getExportsOfModule(modSym)) map.set(s.name, resolveAlias(s));
    indexExportsCache.set(indexFile, map);
  }
  return indexExportsCache.get(indexFile);
}
function exportedSymbol(file, name) {
  const sf = sourceOf(file);
  const modSym = sf && checker.getSymbolAtLocation(sf);
  if (!modSym) return undefined;
  const s = checker.getExportsOfModule(modSym).find((e) => e.name === name);
  return s && resolveAlias(s);
}

// ---- 1. collect cross-module edges (module graph) and the deep imports to rewrite ----
const files = program
  .getSourceFiles()
  .map((sf) => rel(sf.fileName))
  .filter((f) => !f.startsWith('..') && !f.includes('node_modules') && moduleOf(f) !== undefined);

const refused = [];
const refuse = (file, node, why) => {
  const sf = sourceOf(file);
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  refused.push(`${file}:${line + 1}: ${why}`);
};
/** module -> Set(module) for every cross-module import, after rewriting (same edges). */
const moduleGraph = new Map();
const addEdge = (a, b) => {
  if (!moduleGraph.has(a)) moduleGraph.set(a, new Set());
  moduleGraph.get(a).add(b);
};
const missing = []; // names imported through an index that lacks them: { file, node, index, name }
const candidates = []; // { file, node, target, index, specs: [{ name, alias, typeOnly }], kind: 'import'|'export' }

for (const file of files) {
  const sf = sourceOf(file);
  const fromMod = moduleOf(file);
  const visit = (node) => {
    let spec;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      spec = node.moduleSpecifier.text;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]))
      spec = node.arguments[0].text;
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      spec = node.argument.literal.text;
    if (spec?.startsWith('.')) {
      const target = resolveSpecifier(spec, abs(file), options);
      const toMod = target && moduleOf(target);
      if (toMod && toMod !== fromMod && !(isTest(file) && topOf(file) === topOf(target))) {
        if (!isTest(file)) addEdge(fromMod, toMod); // nothing imports a test file: it closes no cycle
        const index = indexFor(target);
        if (target !== index) classify(file, node, target, index);
        else missingThroughIndex(file, node, index);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** Names imported through an index that the index does not export (yet): found in the module's files. */
function missingThroughIndex(file, node, index) {
  let elements;
  if (ts.isImportDeclaration(node) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings))
    elements = node.importClause.namedBindings.elements;
  else if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) elements = node.exportClause.elements;
  if (!elements) return;
  for (const e of elements) {
    const name = (e.propertyName ?? e.name).text;
    if (!indexExports(index).has(name)) missing.push({ file, node, index, name });
  }
}
/** The files of the folder of `index` (not tests, not index files) that export `name`. */
function ownersOf(index, name) {
  const dir = `${path.posix.dirname(index)}/`;
  const owners = new Map(); // symbol -> file
  for (const f of files) {
    if (!f.startsWith(dir) || isTest(f) || f.endsWith('/index.ts') || f.includes('/testing/')) continue;
    const sym = exportedSymbol(f, name);
    if (sym && !owners.has(sym)) owners.set(sym, f);
  }
  return owners;
}

function classify(file, node, target, index) {
  if (ts.isCallExpression(node)) return refuse(file, node, `dynamic import() of ${target} (kept lazy; import a lazy entry by hand)`);
  if (ts.isImportTypeNode(node)) return refuse(file, node, `import type of ${target} (write it as an import type of ${index})`);
  if (ts.isExportDeclaration(node)) {
    if (!node.exportClause || !ts.isNamedExports(node.exportClause)) return refuse(file, node, `export * from ${target}`);
    const specs = node.exportClause.elements.map((e) => ({
      name: (e.propertyName ?? e.name).text,
      alias: e.propertyName ? e.name.text : undefined,
      typeOnly: node.isTypeOnly || e.isTypeOnly,
    }));
    return candidates.push({ file, node, target, index, specs, kind: 'export' });
  }
  const clause = node.importClause;
  if (!clause) return refuse(file, node, `side-effect import of ${target}`);
  if (clause.name) return refuse(file, node, `default import of ${target}`);
  if (!clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return refuse(file, node, `namespace import of ${target}`);
  const specs = clause.namedBindings.elements.map((e) => ({
    name: (e.propertyName ?? e.name).text,
    alias: e.propertyName ? e.name.text : undefined,
    typeOnly: clause.isTypeOnly || e.isTypeOnly,
  }));
  if (specs.some((s) => s.name === 'default')) return refuse(file, node, `default import of ${target}`);
  candidates.push({ file, node, target, index, specs, kind: 'import' });
}

// ---- 2. cycles between modules: an edge inside a strongly connected component is refused ----
function sccOf() {
  let i = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), comp = new Map();
  const nodes = new Set([...moduleGraph.keys(), ...[...moduleGraph.values()].flatMap((s) => [...s])]);
  const strong = (v) => {
    idx.set(v, i); low.set(v, i); i++; stack.push(v); on.add(v);
    for (const w of moduleGraph.get(v) ?? []) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const members = [];
      let w;
      do { w = stack.pop(); on.delete(w); members.push(w); } while (w !== v);
      const label = members.length > 1 ? [...members].sort().join(' <-> ') : undefined;
      for (const m of members) comp.set(m, label);
    }
  };
  for (const v of nodes) if (!idx.has(v)) strong(v);
  return comp;
}
const comp = sccOf();

// ---- 3. decide per name: already exported, to add, or collision ----
/** index -> Map(name -> { from: target, typeOnly }) to add */
const additions = new Map();
const rewrites = new Map(); // file -> [{ node, index, specs, kind }]
for (const c of candidates) {
  const a = moduleOf(c.file), b = moduleOf(c.target);
  if (comp.get(a) && comp.get(a) === comp.get(b)) {
    refuse(c.file, c.node, `cycle between modules (${comp.get(a)}): importing ${c.index} would create an import cycle`);
    continue;
  }
  const have = indexExports(c.index);
  const adds = additions.get(c.index) ?? new Map();
  let ok = true;
  const plan = [];
  for (const s of c.specs) {
    const sym = exportedSymbol(c.target, s.name);
    if (!sym) { ok = false; refuse(c.file, c.node, `${s.name} is not exported by ${c.target}`); break; }
    const existing = have.get(s.name);
    if (existing) {
      if (existing !== sym) { ok = false; refuse(c.file, c.node, `name collision: ${c.index} already exports ${s.name} from another declaration`); break; }
      continue;
    }
    const pending = adds.get(s.name);
    if (pending && pending.from !== c.target) { ok = false; refuse(c.file, c.node, `name collision: ${s.name} is added to ${c.index} from ${pending.from} too`); break; }
    const typeOnly = !(sym.flags & ts.SymbolFlags.Value);
    plan.push([s.name, { from: c.target, typeOnly: pending ? pending.typeOnly && typeOnly : typeOnly }]);
  }
  if (!ok) continue;
  for (const [n, v] of plan) adds.set(n, v);
  additions.set(c.index, adds);
  if (!rewrites.has(c.file)) rewrites.set(c.file, []);
  rewrites.get(c.file).push(c);
}

// names imported through an index that lacks them (e.g. after a merge): export them from their file
for (const m of missing) {
  const adds = additions.get(m.index) ?? new Map();
  if (adds.has(m.name)) continue;
  const owners = ownersOf(m.index, m.name);
  if (owners.size !== 1) {
    refuse(m.file, m.node, owners.size === 0 ? `${m.index} does not export ${m.name}, and no file of its module does` : `${m.index} does not export ${m.name}, and ${owners.size} files of its module do (${[...owners.values()].join(', ')})`);
    continue;
  }
  const [[sym, from]] = [...owners];
  adds.set(m.name, { from, typeOnly: !(sym.flags & ts.SymbolFlags.Value) });
  additions.set(m.index, adds);
}

// ---- 4. write: importers ----
const changed = [];
const specText = (s, inTypeDecl) => `${s.typeOnly && !inTypeDecl ? 'type ' : ''}${s.alias ? `${s.name} as ${s.alias}` : s.name}`;
function declText(kind, specifier, specs) {
  const allType = specs.every((s) => s.typeOnly);
  const list = specs.map((s) => specText(s, allType)).join(', ');
  return `${kind} ${allType ? 'type ' : ''}{ ${list} } from '${specifier}';`;
}
for (const [file, list] of rewrites) {
  const sf = sourceOf(file);
  let text = sf.text;
  const edits = []; // { start, end, text }
  // group by (kind, index); merge with an existing named import/export of that index
  const groups = new Map();
  for (const c of list) {
    const key = `${c.kind}|${c.index}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  for (const [key, cs] of groups) {
    const [kind, index] = key.split('|');
    const specifier = relSpecifier(file, index);
    const existing = sf.statements.find((st) => {
      if (kind === 'import' ? !ts.isImportDeclaration(st) : !ts.isExportDeclaration(st)) return false;
      if (!st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) return false;
      if (resolveSpecifier(st.moduleSpecifier.text, abs(file), options) !== index) return false;
      if (kind === 'import') return st.importClause && !st.importClause.name && st.importClause.namedBindings && ts.isNamedImports(st.importClause.namedBindings);
      return st.exportClause && ts.isNamedExports(st.exportClause);
    });
    let specs = cs.flatMap((c) => c.specs);
    let first = cs[0].node;
    if (existing) {
      const isType = kind === 'import' ? existing.importClause.isTypeOnly : existing.isTypeOnly;
      const els = kind === 'import' ? existing.importClause.namedBindings.elements : existing.exportClause.elements;
      specs = [...els.map((e) => ({ name: (e.propertyName ?? e.name).text, alias: e.propertyName ? e.name.text : undefined, typeOnly: isType || e.isTypeOnly })), ...specs];
      first = existing;
    }
    // dedupe (same name and alias): value wins over type
    const seen = new Map();
    for (const s of specs) {
      const k = `${s.name} as ${s.alias ?? s.name}`;
      const prev = seen.get(k);
      seen.set(k, prev ? { ...s, typeOnly: prev.typeOnly && s.typeOnly } : s);
    }
    const merged = [...seen.values()];
    const nodes = existing ? [existing, ...cs.map((c) => c.node)] : cs.map((c) => c.node);
    for (const n of nodes) {
      if (n === first) edits.push({ start: n.getStart(sf), end: n.getEnd(), text: declText(kind, specifier, merged) });
      else {
        // remove the statement and its line break
        let end = n.getEnd();
        if (text[end] === '\n') end++;
        edits.push({ start: n.getStart(sf), end, text: '' });
      }
    }
  }
  edits.sort((x, y) => y.start - x.start);
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  if (!DRY) fs.writeFileSync(abs(file), text);
  changed.push(`${file}: ${list.length} import(s) through ${[...new Set(list.map((c) => c.index))].join(', ')}`);
}

// ---- 5. write: indexes ----
for (const [index, adds] of additions) {
  if (adds.size === 0) continue;
  const created = !exists(index);
  let text = created ? `/** The public face of ${path.posix.dirname(index)}: import this module through this file. */\n` : fs.readFileSync(abs(index), 'utf8');
  const byFile = new Map();
  for (const [name, { from, typeOnly }] of adds) {
    const k = `${typeOnly ? 'type' : 'value'}|${from}`;
    if (!byFile.has(k)) byFile.set(k, []);
    byFile.get(k).push(name);
  }
  const lines = [];
  for (const [k, names] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const [kind, from] = k.split('|');
    lines.push(`export ${kind === 'type' ? 'type ' : ''}{ ${names.sort().join(', ')} } from '${relSpecifier(index, from)}';`);
  }
  if (!text.endsWith('\n')) text += '\n';
  text += lines.join('\n') + '\n';
  if (!DRY) fs.writeFileSync(abs(index), text);
  changed.push(`${index}: ${created ? 'created, ' : ''}+${adds.size} export(s)`);
}

for (const c of changed) console.log(`${DRY ? 'would change' : 'changed'} ${c}`);
for (const r of refused) console.log(`refused ${r}`);
console.log(`${changed.length} file(s) ${DRY ? 'to change' : 'changed'}, ${refused.length} import(s) refused`);
if (DRY && changed.length > 0) process.exitCode = 1;
