import { execFileSync, spawnSync } from 'child_process';
import { Testing } from 'cdk8s';
import { AUTH_CONFIG_SCRIPT } from '../src/auth/auth-config-script';
import { BUCKET_SCRIPT } from '../src/artifacts/bucket-job';
import { PG_WAIT_SCRIPT } from '../src/backend/postgres-bootstrap-job';
import { POSTGRES_BOOTSTRAP_SCRIPT } from '../src/backend/postgres-bootstrap-script';
import { WAIT_FOR_TCP_SCRIPT } from '../src/common/wait-for';
import { TRAINING_SCRIPT } from '../src/deployments/ml-team-clients';
import { buildApp } from '../src/main';
import { MIGRATION_SCRIPT } from '../src/server/migration-job';

// Every script the manifests run must at least parse in its interpreter: a syntax error would only
// show up as a CrashLoop in the cluster.
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const python = has('python3');
const bash = has('bash');

const PYTHON: Record<string, string> = {
  'wait-for-tcp': WAIT_FOR_TCP_SCRIPT,
  'migration': MIGRATION_SCRIPT,
  'auth-config': AUTH_CONFIG_SCRIPT,
  'training example': TRAINING_SCRIPT,
};

test('every script constant is a real script (an undefined import would parse as empty input)', () => {
  for (const s of [...Object.values(PYTHON), POSTGRES_BOOTSTRAP_SCRIPT, PG_WAIT_SCRIPT, BUCKET_SCRIPT]) {
    expect(typeof s).toBe('string');
    expect(s.split('\n').length).toBeGreaterThan(2);
  }
});

(python ? describe : describe.skip)('python scripts parse', () => {
  test.each(Object.entries(PYTHON))('%s', (_name, script) => {
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script });
  });
});

(bash ? describe : describe.skip)('shell scripts parse', () => {
  test('postgres bootstrap (bash -n)', () => {
    execFileSync('bash', ['-n'], { input: POSTGRES_BOOTSTRAP_SCRIPT });
  });
  test('wait for PostgreSQL with pg_isready (bash -n)', () => {
    execFileSync('bash', ['-n'], { input: PG_WAIT_SCRIPT });
  });
  test('bucket set-up (sh -n)', () => {
    execFileSync('sh', ['-n'], { input: BUCKET_SCRIPT });
  });
});

test('every python -c / sh -c script in dist/ is one of the scripts checked here', () => {
  const known = new Set([...Object.values(PYTHON), POSTGRES_BOOTSTRAP_SCRIPT, PG_WAIT_SCRIPT, BUCKET_SCRIPT]);
  const app = buildApp(Testing.app().outdir);
  const seen: string[] = [];
  const visit = (v: any) => {
    if (Array.isArray(v)) {
      if (v.length >= 3 && typeof v[0] === 'string' && /(python3|sh|bash)$/.test(v[0]) && v[1] === '-c') seen.push(v[2]);
      v.forEach(visit);
    } else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const chart of app.charts) visit(Testing.synth(chart));
  expect(seen.length).toBeGreaterThan(0);
  // the metrics wrapper is a one-line `find … -delete && exec mlflow` (tested in monitoring.test.ts)
  const unknown = seen.filter(s => !known.has(s) && !s.startsWith('find '));
  expect(unknown).toEqual([]);
});
