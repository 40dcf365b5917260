// The layout's import boundaries (DESIGN §3), checked by `npm test` (test/check.sh): an import across one fails the
// run. Only the project's own modules are cruised; packages are not followed (tsc reports what does not resolve).
// The rules bind production code; tests may cross them, e.g. to run the handlers behind the local stack over HTTP.
/**
 * Files that exist to test: a module's tests, the cross-folder test support (test/), a module's own test doubles
 * beside it (a `test/` folder inside it, e.g. addin/excel/test/: the Excel fake next to the adapter it stands in
 * for), benchmarks, fixture makers.
 */
const TESTING = '(\\.test\\.tsx?$|(^|/)test/|^bench/|^forms/testdata/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'forms-imports-nothing',
      comment: 'forms/ is the pure domain, shared by the add-in and the server: it imports nothing of the project.',
      severity: 'error',
      from: { path: '^forms/', pathNot: TESTING },
      to: { path: '^(contract|functions|infra|addin|bench|test)/' },
    },
    {
      name: 'contract-imports-only-forms',
      comment: "contract/ is the HTTP API both sides import: it may use forms' types, nothing else of the project.",
      severity: 'error',
      from: { path: '^contract/' },
      to: { path: '^(functions|infra|addin|bench|test)/' },
    },
    {
      name: 'functions-not-infra-or-addin',
      comment: 'The handlers run on AWS and locally alike; they never know the stack or the pane.',
      severity: 'error',
      from: { path: '^functions/', pathNot: TESTING },
      to: { path: '^(infra|addin)/' },
    },
    {
      name: 'addin-not-functions-or-infra',
      comment: 'The add-in talks to the server over HTTP only, through contract/.',
      severity: 'error',
      from: { path: '^addin/', pathNot: TESTING },
      to: { path: '^(functions|infra)/' },
    },
    {
      name: 'store-not-handlers',
      comment: 'The store is below the handlers: it knows items and keys, not requests.',
      severity: 'error',
      from: { path: '^functions/store/' },
      to: { path: '^functions/handlers/' },
    },
    {
      name: 'production-not-testing',
      comment: 'Test doubles and sample data live in test/ folders; production code never loads them.',
      severity: 'error',
      from: { pathNot: TESTING },
      to: { path: '(^|/)test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|cdk\\.out|\\.data|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
