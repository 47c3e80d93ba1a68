import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { baseProps, envMap, one, synthMlflow } from './helpers/synth';
import { findPostgres, startPostgres, ThrowawayPostgres } from './helpers/throwaway-postgres';
import { BackendStore, NetworkModel, PostgresCa, SecretKey } from '../src';
import { POSTGRES_IMAGES } from '../src/backend/postgres-common';
import { POSTGRES_BOOTSTRAP_SCRIPT } from '../src/backend/postgres-bootstrap-script';
import { MlflowChart } from '../src/chart/mlflow-chart';

const password = SecretKey.fromExisting('mlflow-db', 'password');
const adminPassword = SecretKey.fromExisting('postgres-admin', 'password');
const external = (bootstrap: any = {}, extra: any = {}) => BackendStore.external({
  host: 'shared-pg.data.svc', password, cidrs: ['10.0.0.0/8'], ...extra, bootstrap: { adminPassword, ...bootstrap },
});

describe('bootstrap Job manifest', () => {
  const objects = synthMlflow({ backendStore: external({ extraDatabases: ['mlflow_auth'] }, { sslMode: 'verify-full', ca: PostgresCa.fromConfigMap('pg-ca') }) });
  const job = one(objects, 'Job', 'mlflow-postgres-bootstrap');
  const pod = job.spec.template.spec;
  const c = pod.containers[0];

  test('snapshot', () => {
    expect([job, one(objects, 'ServiceAccount', 'mlflow-postgres-bootstrap')]).toMatchSnapshot();
  });

  test('Argo CD Sync hook in the store set-up wave, before the migration; TTL and delete policy', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
    expect(job.spec.ttlSecondsAfterFinished).toBe(86400);
    expect(job.spec.backoffLimit).toBe(3);
    const migration = objects.find(o => o.kind === 'Job' && o.metadata.name.startsWith('mlflow-migrate-'));
    expect(Number(migration.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(2);
  });

  test('runs exactly the exported script with the pinned postgres image', () => {
    expect(c.image).toBe(POSTGRES_IMAGES[17]);
    expect(c.command).toEqual(['bash', '-c', POSTGRES_BOOTSTRAP_SCRIPT]);
    expect(pod.initContainers[0].name).toBe('wait-for-database');
    expect(pod.initContainers[0].command[2]).toContain('giving up after');
    expect(envMap(pod.initContainers[0]).WAIT_ATTEMPTS).toBe('90');
  });

  test('every credential comes from a secretKeyRef; nothing secret on a command line', () => {
    const env = envMap(c);
    expect(env).toMatchObject({
      PGHOST: 'shared-pg.data.svc', PGPORT: '5432', PGDATABASE: 'postgres', PGUSER: 'postgres',
      PGPASSWORD: { secretKeyRef: { name: 'postgres-admin', key: 'password' } },
      MLFLOW_DB_ROLE: 'mlflow',
      MLFLOW_DB_PASSWORD: { secretKeyRef: { name: 'mlflow-db', key: 'password' } },
      MLFLOW_DB_NAMES: 'mlflow mlflow_auth',
      PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/mlflow/postgres-ca/ca.crt', HOME: '/tmp',
    });
    for (const k of [...pod.containers, ...pod.initContainers]) {
      for (const e of k.env) if (/PASSWORD/.test(e.name)) expect(e.value).toBeUndefined();
    }
    expect(c.volumeMounts).toContainEqual({ name: 'postgres-ca', mountPath: '/etc/mlflow/postgres-ca', readOnly: true });
  });

  test('restricted pod: non-root, read-only root with an emptyDir /tmp, no token, resources', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    for (const k of [...pod.containers, ...pod.initContainers]) {
      expect(k.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
      expect(k.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(Object.keys(k.resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      expect(Object.keys(k.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      expect(k.imagePullPolicy).toBe('IfNotPresent');
    }
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('mlflow-postgres-bootstrap');
  });

  test('network model: the Job declares the database egress', () => {
    const chart = new MlflowChart(Testing.app(), 'test', baseProps({ backendStore: external() }));
    const w = NetworkModel.of(chart).find('mlflow-postgres-bootstrap')!;
    expect(w.podLabels).toEqual({ 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'database-bootstrap' });
    expect(w.egress.map(r => [r.peer.toPeer(), r.ports])).toEqual([[{ ipBlock: { cidr: '10.0.0.0/8' } }, [{ port: 5432 }]]]);
  });

  test('admin user from a Secret, admin database, role from a Secret', () => {
    const objs = synthMlflow({
      backendStore: external(
        { adminUserSecret: SecretKey.fromExisting('postgres-admin', 'username'), adminDatabase: 'rdsadmin_db' },
        { userSecret: SecretKey.fromExisting('mlflow-db', 'username') },
      ),
    });
    const env = envMap(one(objs, 'Job', 'mlflow-postgres-bootstrap').spec.template.spec.containers[0]);
    expect(env.PGUSER).toEqual({ secretKeyRef: { name: 'postgres-admin', key: 'username' } });
    expect(env.PGDATABASE).toBe('rdsadmin_db');
    expect(env.MLFLOW_DB_ROLE).toEqual({ secretKeyRef: { name: 'mlflow-db', key: 'username' } });
    expect(env.MLFLOW_DB_NAMES).toBe('mlflow');
  });

  test('bad input fails at synth', () => {
    const bad = (b: any, m: RegExp) => expect(() => synthMlflow({ backendStore: external(b) })).toThrow(m);
    bad({ adminPassword: undefined }, /PostgresBootstrap: invalid backendStore.bootstrap.adminPassword \(missing\)/);
    bad({ adminPassword: 'hunter2' }, /invalid backendStore.bootstrap.adminPassword "\(not a SecretKey\)"/);
    bad({ extraDatabases: ['mlflow-auth'] }, /invalid backendStore.bootstrap.extraDatabases\[0\] "mlflow-auth"/);
    bad({ extraDatabases: ['mlflow'] }, /invalid backendStore.bootstrap.extraDatabases "mlflow": must not repeat/);
    bad({ image: 'postgres:latest' }, /invalid backendStore.bootstrap.image "postgres:latest"/);
    bad({ adminUser: 'Admin User' }, /invalid backendStore.bootstrap.adminUser "Admin User"/);
  });
});

// ---------------------------------------------------------------------------------------------
// The exact script against a real PostgreSQL server.
const found = findPostgres();
if (!found.binDir) {
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: bootstrap SQL against a real PostgreSQL: ${found.reason}`);
}
const withPostgres = found.binDir ? describe : describe.skip;

test('without the binaries the real-server tests skip with a reason', () => {
  expect(findPostgres('/nonexistent/postgresql').reason).toMatch(/does not exist \(install Debian's postgresql package/);
});

withPostgres('bootstrap script against a real PostgreSQL server', () => {
  let pg: ThrowawayPostgres;

  beforeAll(async () => {
    pg = await startPostgres(found.binDir!, found.version!);
  }, 30000);
  afterAll(() => pg?.stop());

  const baseEnv = (): NodeJS.ProcessEnv => ({
    PATH: `${found.binDir}:${process.env.PATH}`,
    HOME: pg.dir,
    PGHOST: '127.0.0.1',
    PGPORT: String(pg.port),
    PGDATABASE: 'postgres',
    PGUSER: pg.adminUser,
    PGPASSWORD: pg.adminPassword,
  });

  function bootstrap(env: NodeJS.ProcessEnv) {
    return spawnSync('bash', ['-c', POSTGRES_BOOTSTRAP_SCRIPT], { env, encoding: 'utf8', timeout: 20000 });
  }

  function psql(user: string, pass: string, db: string, sql: string) {
    return spawnSync(path.join(found.binDir!, 'psql'), ['--no-psqlrc', '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      env: { ...baseEnv(), PGUSER: user, PGPASSWORD: pass, PGDATABASE: db }, encoding: 'utf8', timeout: 10000,
    });
  }

  const mlflowPassword = `it's a "p@ss:word" with $pecial; chars \\ and spaces`;

  test('creates the role and the databases, idempotently; the role logs in and owns what it creates', () => {
    const env = { ...baseEnv(), MLFLOW_DB_ROLE: 'mlflow', MLFLOW_DB_PASSWORD: mlflowPassword, MLFLOW_DB_NAMES: 'mlflow mlflow_auth' };
    const first = bootstrap(env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('created role mlflow');
    expect(first.stdout).toContain('created database mlflow_auth');
    const second = bootstrap(env);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('role mlflow exists');
    expect(second.stdout).toContain('database mlflow exists');
    expect(second.stdout).toContain('database mlflow_auth exists');

    const admin = psql(pg.adminUser, pg.adminPassword, 'postgres',
      "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname LIKE 'mlflow%'");
    expect(admin.stdout.trim()).toBe('mlflow,mlflow_auth');
    const role = psql(pg.adminUser, pg.adminPassword, 'postgres', "SELECT rolcanlogin, rolsuper, rolcreatedb FROM pg_roles WHERE rolname = 'mlflow'");
    expect(role.stdout.trim()).toBe('t|f|f');
    for (const db of ['mlflow', 'mlflow_auth']) {
      const r = psql('mlflow', mlflowPassword, db, 'CREATE TABLE IF NOT EXISTS probe (id int); SELECT current_user, current_database()');
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n').pop()).toBe(`mlflow|${db}`);
      const owner = psql(pg.adminUser, pg.adminPassword, db, "SELECT tableowner FROM pg_tables WHERE tablename = 'probe'");
      expect(owner.stdout.trim()).toBe('mlflow');
    }
    expect(psql('mlflow', 'wrong', 'mlflow', 'SELECT 1').status).not.toBe(0);
  });

  test('the password never reaches the server log (statement logging is off for the session)', () => {
    const log = fs.readFileSync(path.join(pg.dir, 'server.log'), 'utf8');
    expect(log).toContain('statement:'); // log_statement=all is on
    expect(log).not.toContain('p@ss:word');
  });

  test('re-running with a new Secret value rotates the password', () => {
    const env = { ...baseEnv(), MLFLOW_DB_ROLE: 'mlflow', MLFLOW_DB_PASSWORD: 'rotated-password', MLFLOW_DB_NAMES: 'mlflow' };
    expect(bootstrap(env).status).toBe(0);
    expect(psql('mlflow', 'rotated-password', 'mlflow', 'SELECT 1').stdout.trim()).toBe('1');
    expect(psql('mlflow', mlflowPassword, 'mlflow', 'SELECT 1').status).not.toBe(0);
  });

  test('works for a non-superuser admin with CREATEROLE and CREATEDB (as on managed databases)', () => {
    expect(psql(pg.adminUser, pg.adminPassword, 'postgres', "CREATE ROLE dbadmin LOGIN CREATEROLE CREATEDB PASSWORD 'dbadmin-pw'").status).toBe(0);
    const env = { ...baseEnv(), PGUSER: 'dbadmin', PGPASSWORD: 'dbadmin-pw', MLFLOW_DB_ROLE: 'team_mlflow', MLFLOW_DB_PASSWORD: 'team-pw', MLFLOW_DB_NAMES: 'team_tracking' };
    const r = bootstrap(env);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('cannot turn statement logging off');
    expect(bootstrap(env).status).toBe(0);
    const t = psql('team_mlflow', 'team-pw', 'team_tracking', 'CREATE TABLE t (id int); SELECT current_user');
    expect(t.stderr).toBe('');
    expect(t.stdout.trim().split('\n').pop()).toBe('team_mlflow');
  });

  test('refuses to run without its inputs', () => {
    const r = bootstrap({ ...baseEnv(), MLFLOW_DB_ROLE: 'mlflow', MLFLOW_DB_NAMES: 'mlflow' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('MLFLOW_DB_PASSWORD is not set');
  });
});
