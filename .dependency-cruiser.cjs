// The layers of design.md, enforced by `npm run check` (dependency-cruiser).
//   core <- engine <- input, sim <- platform <- worlds (controller, metrics, workload, cluster, kube, ...)
//   <- faces (cli, web). Another module is entered only through its index.ts.
const WORLDS = '(controller|metrics|workload|cluster|kube|history|render|lint|report|stack|diagnose|web-server|conformance|platform)';
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a DAG. A cycle closed only by `import type` edges is erased at compile time and allowed.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-is-the-ground',
      severity: 'error',
      comment: 'src/core imports no other module of src and nothing of Node.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/'], dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer', 'npm-optional'] },
    },
    {
      name: 'pure-core-has-no-node',
      severity: 'error',
      comment: 'core, engine and sim are pure: no node: built-ins (they run in the browser too).',
      from: { path: '^src/(core|engine|sim)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'engine-imports-only-core',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/', pathNot: ['^src/(engine|core)/'] },
    },
    {
      name: 'model-imports-only-core-and-engine',
      severity: 'error',
      comment: 'input and sim build on the engine; sim runs what input loads (sim does not import input).',
      from: { path: '^src/(sim)/' },
      to: { path: '^src/', pathNot: ['^src/(sim|engine|core)/'] },
    },
    {
      name: 'input-below-worlds',
      severity: 'error',
      from: { path: '^src/input/' },
      to: { path: '^src/', pathNot: ['^src/(input|sim|engine|core)/'] },
    },
    {
      name: 'platform-is-shared-plumbing',
      severity: 'error',
      comment: 'platform (clock, timers, HTTP layer) serves every world module; it imports only core and engine.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: ['^src/(platform|engine|core)/'] },
    },
    {
      name: 'nothing-imports-faces',
      severity: 'error',
      comment: 'cli and web are the faces: nothing imports them.',
      from: { path: '^(src|bench)/', pathNot: '^src/cli/' },
      to: { path: '^(src/cli|web)/' },
    },
    {
      name: 'src-never-reads-test',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'enter-modules-through-index',
      severity: 'error',
      comment: 'Import another module of src through its index.ts, never its files.',
      from: { path: '^(?:src/([^/]+)|web/src)/' },
      to: {
        path: '^src/([^/]+)/',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/[^/]+/[^/]+/index\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|web-dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
