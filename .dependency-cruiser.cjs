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
  'api', // the query API
];

// Top-level folders, bottom → top; a folder may import only those before it (bench and test: see below).
const TOP = ['shared', 'functions', 'cli', 'infra', 'scripts'];

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

TOP.forEach((folder, i) => {
  const above = TOP.slice(i + 1).filter((f) => f !== 'shared');
  if (folder === 'shared' || above.length === 0) return;
  forbidden.push({
    name: `${folder}-below-${above.join('-')}`,
    severity: 'error',
    comment: `${folder}/ sits below ${above.join(', ')}/`,
    from: { path: `^${folder}/` },
    to: { path: `^(${[...above, 'bench', 'test'].join('|')})/` },
  });
});

SHARED_LAYERS.forEach((rank, i) => {
  const later = SHARED_LAYERS.slice(i + 1).flatMap((r) => r.split('|'));
  for (const folder of rank.split('|')) {
    const beside = rank.split('|').filter((f) => f !== folder);
    const targets = [...later, ...beside];
    if (targets.length === 0) continue;
    forbidden.push({
      name: `layer-${folder}`,
      severity: 'error',
      comment: `shared/${folder} may not import a later layer (${targets.join(', ')})`,
      from: { path: `^shared/${folder}/` },
      to: { path: `^shared/(${targets.join('|')})/` },
    });
  }
});

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
