/**
 * The one-way layers of hardline, bottom → top. A folder may import the folders below it, never a
 * folder above it or beside it in the same rank; `npm run lint:layers` fails on a backwards import
 * or on any import circle. The README ("Layout") shows the same order.
 */
const SHARED_LAYERS = [
  'core', // vocabulary (Severity, Status, Target, ResourceRef, …) and small utilities
  'redaction', // credential recognition and redaction: controls and every sink use it
  'config', // the settings schema controls read
  'inventory', // the snapshot every collector fills and every control reads
  'collectors', // Kubernetes, EKS, ECR, manifests → inventory
  'cluster-access', // how a cluster is onboarded and whether its API was read
  'policy', // policy engines: CNI policy models, RBAC model, selectors, admission readers, logging config
  'controls', // one file per control, by domain
  'frameworks', // derived from the controls' references
  'engine', // evaluate, exemptions, the report model; no I/O
  'findings', // ids and lifecycle
  'store', // DynamoDB (or dynalite) repository
  'events', // EventBridge events and the publisher
  'report', // formatters
  'securityhub', // ASFF import
  'pipeline|onboarding', // the service's steps (same rank: neither imports the other)
  'rescan', // change events → debounced rescans of the target that changed (starts the pipeline's state machine)
  'api', // the query API
];

// Top-level folders above shared/, bottom → top (bench and test sit above all: see their rules below).
const TOP_LAYERS = ['functions', 'cli|infra', 'scripts'];

/**
 * One rule per folder of an ordered list of ranks: it may not import a folder of a later rank, nor
 * one beside it in its own rank ('a|b'), nor any of `alsoForbidden`.
 */
function oneWay(ranks, { path, name, alsoForbidden = [] }) {
  return ranks.flatMap((rank, i) => {
    const later = ranks.slice(i + 1).flatMap((r) => r.split('|'));
    return rank
      .split('|')
      .map((folder) => ({ folder, targets: [...later, ...rank.split('|').filter((f) => f !== folder), ...alsoForbidden] }))
      .filter(({ targets }) => targets.length > 0)
      .map(({ folder, targets }) => ({
        name: name(folder),
        severity: 'error',
        comment: `${path(folder)} may not import a later layer (${targets.join(', ')})`,
        from: { path: path(folder) },
        to: { path: path(`(${targets.join('|')})`) },
      }));
  });
}

const forbidden = [
  { name: 'no-circular', severity: 'error', comment: 'an import circle between files', from: {}, to: { circular: true } },
  {
    name: 'domains-stand-alone',
    severity: 'error',
    comment: 'a control domain (or a policy engine) uses its own folder and the shared files of its layer, never another domain',
    from: { path: '^shared/(controls|policy)/([^/]+)/' },
    to: { path: '^shared/$1/[^/]+/', pathNot: '^shared/$1/$2/' },
  },
  {
    name: 'shared-one-way',
    severity: 'error',
    comment: 'shared/ is imported by the edges, never the other way round',
    from: { path: '^shared/' },
    to: { path: '^(functions|cli|infra|scripts|bench|test)/' },
  },
  {
    name: 'bench-uses-test-support-only',
    severity: 'error',
    comment: 'bench may reuse test/support (fake API server, fleet simulation, generators), never the tests themselves',
    from: { path: '^bench/' },
    to: { path: '^test/', pathNot: '^test/support/' },
  },
  {
    name: 'test-support-stands-alone',
    severity: 'error',
    comment: 'test/support is shared by tests and bench: it imports no test and no bench code',
    from: { path: '^test/support/' },
    to: { path: '^(bench/|test/(?!support/))' },
  },
];

forbidden.push(...oneWay(SHARED_LAYERS, { path: (f) => `^shared/${f}/`, name: (f) => `layer-${f}` }));
forbidden.push(...oneWay(TOP_LAYERS, { path: (f) => `^${f}/`, name: (f) => `${f}-one-way`, alsoForbidden: ['bench', 'test'] }));

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^cdk\\.out/|^dist/|^\\.hardline/' },
    // Type-only imports count: a layer must not even know the types of a later one.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
