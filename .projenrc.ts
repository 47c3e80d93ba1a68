import { javascript, JsonFile, typescript } from 'projen';

/**
 * cdk8s-mlflow: the single source of package.json, tsconfig*, jest config and tasks.
 * Run `npx projen` after editing this file; never edit the generated files by hand.
 */
const project = new typescript.TypeScriptProject({
  name: 'cdk8s-mlflow',
  description: 'Typed, validated, secure-by-default cdk8s constructs for a production MLflow tracking service on Kubernetes.',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  // keep the top level to the product layout: projen's own tsconfig goes in a dot-folder
  projenrcTsOptions: { projenCodeDir: '.projen-src' },
  peerDependencyOptions: { pinnedDevDependency: false },
  typescriptVersion: '~5.9.3',
  packageManager: javascript.NodePackageManager.NPM,
  license: 'Apache-2.0',
  copyrightOwner: 'cdk8s-mlflow authors',
  authorName: 'cdk8s-mlflow authors',
  keywords: ['cdk8s', 'mlflow', 'kubernetes', 'mlops', 'constructs', 'postgresql', 'minio', 's3', 'argocd'],
  minNodeVersion: '20.0.0',
  entrypoint: 'lib/src/index.js',

  // cdk8s synth owns dist/: move projen's package output elsewhere.
  artifactsDirectory: 'dist-pkg',
  sampleCode: false,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  eslint: false,

  peerDeps: ['cdk8s@^2.70.0', 'cdk8s-plus-28@^2.5.6', 'constructs@^10.4.0'],
  // writeManifests quotes YAML 1.2-ambiguous strings with the yaml library at run time.
  deps: ['yaml@^2.9.1'],
  devDeps: [
    'cdk8s@2.70.106',
    'cdk8s-plus-28@2.5.6',
    'constructs@10.8.1',
    'cdk8s-cli@2.207.60',
    // the verification suite: schemas (CommonJS on Node 20), strict round-trip, property-based tests
    'kubernetes-models@~4.5.1',
    '@kubernetes/client-node@0.22.3',
    'fast-check@^4.10.2',
    'ts-node',
    // API.md: the API reference, generated from the TSDoc of src/index.ts (`npx projen docgen`)
    'typedoc@^0.28.20',
    'typedoc-plugin-markdown@^4.14.1',
  ],
  jestOptions: {
    // jest 30 pulls unrs-resolver, whose per-platform optional bindings npm 11 leaves out of the lockfile (npm ci then fails).
    jestVersion: '^29',
    // Snapshots are updated on purpose (`npx projen test:update`), never by CI.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
    },
  },
  tsconfig: {
    compilerOptions: {
      // imports/ (generated CRD bindings) sits beside src/ in the product layout: compile both.
      rootDir: '.',
      lib: ['es2022'],
      target: 'ES2022',
      // Types are checked by tsc (compile, and the first step of the test task); ts-jest only transpiles.
      isolatedModules: true,
    },
  },
  gitignore: ['/dist-pkg/', '*.tgz', '/.bench/'],
});

// dist/ holds the synthesized manifests and is committed (Argo CD reads it).
project.gitignore.removePatterns('/dist/');
project.gitignore.include('/dist/');

project.tsconfig?.addInclude('imports/**/*.ts');
project.addFields({ version: '0.1.0', main: 'lib/src/index.js', types: 'lib/src/index.d.ts' });
// The tarball holds the compiled library, its types, README, LICENSE and CHANGELOG only.
project.addFields({ files: ['lib/**/*.js', 'lib/**/*.d.ts', '!lib/src/main.*', '!lib/src/deployments/**', 'README.md', 'LICENSE', 'CHANGELOG.md', 'API.md'] });

// Every task evaluates PATH first; projen's default, $(npx -c ...), costs ~0.6 s per `npm run <task>`.
// Same value (the project's node_modules/.bin first), from plain node.
project.tasks.addEnvironment('PATH', '$(node --print "require(\'path\').resolve(\'node_modules/.bin\') + require(\'path\').delimiter + process.env.PATH")');

// The test task type-checks the tests (and the sources they import) before running jest.
project.testTask.prependExec('tsc -p test/tsconfig.json');

// cdk8s synth: compiled JS on the synth path (no type-checking loader), output in dist/.
const synth = project.addTask('synth', {
  description: 'Compile and synthesize every deployment of src/main.ts into dist/',
});
synth.spawn(project.compileTask);
synth.exec('cdk8s synth --check-upgrade=false');

// API.md from the TSDoc of src/index.ts; .ci/run fails when the committed file is stale.
const CRD_TYPES_NOT_EXPORTED = ['ServiceMonitor', 'ServiceMonitorSpecEndpoints', 'PrometheusRule', 'PrometheusRuleSpecGroupsRules'];
// typedoc reads the TSDoc tags it accepts from tsdoc.json: its own, plus the generated bindings' `@schema`.
new JsonFile(project, 'tsdoc.json', {
  marker: false,
  obj: {
    $schema: 'https://developer.microsoft.com/json-schemas/tsdoc/v0/tsdoc.schema.json',
    extends: ['typedoc/tsdoc.json'],
    tagDefinitions: [{ tagName: '@schema', syntaxKind: 'block' }],
  },
});
const docgen = project.addTask('docgen', {
  description: 'Generate API.md (the API reference) from the source',
  // typedoc empties its output folder: render into the ignored dist-pkg/, then copy.
  exec: [
    'typedoc --plugin typedoc-plugin-markdown --entryPoints src/index.ts --tsconfig tsconfig.json',
    '--out dist-pkg/api --outputFileStrategy modules --entryFileName API.md --readme none --hidePageHeader --hideBreadcrumbs',
    '--excludeInternal --excludePrivate --excludeProtected --disableSources --sort source-order',
    '--parametersFormat table --interfacePropertiesFormat table --classPropertiesFormat table --enumMembersFormat table',
    // every exported item must carry TSDoc: an undocumented one fails docgen (and CI)
    '--validation.notDocumented --treatValidationWarningsAsErrors',
    // Generated CRD bindings (imports/, rewritten by `cdk8s import`, never edited) that public members
    // expose as-is (escape hatches to the rendered objects): referenced, not re-documented here.
    ...CRD_TYPES_NOT_EXPORTED.map(t => `--intentionallyNotExported ${t}`),
    // their `@schema` tag (declared in tsdoc.json, below) names the CRD field: not for the reader
    '--excludeTags @schema',
  ].join(' '),
});
docgen.exec('cp dist-pkg/api/API.md API.md');

// The package as a new user gets it: pack, install with only the peers, compile and synth the README example.
project.addTask('test:consumer', {
  description: 'Pack the library, install it in a fresh project with only its peers, build and synth the README example',
  exec: 'bash test/consumer/consumer-test.sh',
});

// Benchmark (not a test): prints one JSON object; flags: --runs N, --skip-test, --skip-scale, --skip-cli.
project.addTask('bench', {
  description: 'Benchmark synth against the framework floor, the CLI, 1-1000 stacks and the test suite (JSON)',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/bench/bench.ts',
  receiveArgs: true,
});

project.synth();
