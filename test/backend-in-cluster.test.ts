import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { BackendStore, NetworkModel, SecretKey } from '../src';
import { POSTGRES_IMAGES } from '../src/backend/postgres-common';
import { MlflowChart } from '../src/chart/mlflow-chart';
import { Testing } from 'cdk8s';
import { baseProps } from './helpers/synth';

const password = SecretKey.fromExisting('mlflow-postgres', 'password');
const inCluster = (o: Partial<Parameters<typeof BackendStore.inCluster>[0]> = {}) => BackendStore.inCluster({ password, ...o });

describe('BackendStore.inCluster defaults', () => {
  const objects = synthMlflow({ backendStore: inCluster() });
  const sts = one(objects, 'StatefulSet', 'mlflow-postgresql');
  const pod = sts.spec.template.spec;
  const pg = pod.containers[0];

  test('snapshot of the database objects', () => {
    const db = objects.filter(o => o.metadata?.labels?.['app.kubernetes.io/name'] === 'postgresql');
    expect(db.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Service/mlflow-postgresql', 'Service/mlflow-postgresql-headless', 'ServiceAccount/mlflow-postgresql', 'StatefulSet/mlflow-postgresql',
    ]);
    expect(db).toMatchSnapshot();
  });

  test('one replica governed by a headless Service, OrderedReady, rolling update', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('mlflow-postgresql-headless');
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    const hl = one(objects, 'Service', 'mlflow-postgresql-headless');
    expect(hl.spec.clusterIP).toBe('None');
    expect(hl.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'database',
    });
    for (const [k, v] of Object.entries(sts.spec.selector.matchLabels)) expect(sts.spec.template.metadata.labels[k]).toBe(v);
  });

  test('client Service on 5432 with an IANA port name', () => {
    const svc = one(objects, 'Service', 'mlflow-postgresql');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'postgresql', port: 5432, targetPort: 'postgresql', protocol: 'TCP' }]);
    expect(pg.ports).toEqual([{ name: 'postgresql', containerPort: 5432, protocol: 'TCP' }]);
  });

  test('data safety: retained, prune-protected 10Gi RWO volume', () => {
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const vct = sts.spec.volumeClaimTemplates[0];
    expect(vct.metadata.name).toBe('data');
    expect(vct.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    expect(vct.metadata.labels['app.kubernetes.io/version']).toBeUndefined();
    expect(vct.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } });
  });

  test('pinned official image, PGDATA below the mount, credentials from the Secret', () => {
    expect(pg.image).toBe(POSTGRES_IMAGES[17]);
    expect(pg.image).toMatch(/^postgres:17\.[0-9]+-bookworm$/);
    expect(pg.imagePullPolicy).toBe('IfNotPresent');
    const env = envMap(pg);
    expect(env.PGDATA).toBe('/var/lib/postgresql/data/pgdata');
    expect(pg.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(env.POSTGRES_USER).toBe('mlflow');
    expect(env.POSTGRES_DB).toBe('mlflow');
    expect(env.POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'mlflow-postgres', key: 'password' } });
    expect(env.POSTGRES_INITDB_ARGS).toContain('--auth-local=scram-sha-256');
  });

  test('non-root, read-only root, emptyDirs where PostgreSQL writes', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    expect(pg.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    const mounts = Object.fromEntries(pg.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts).toEqual({ '/var/lib/postgresql/data': 'data', '/var/run/postgresql': 'run', '/tmp': 'tmp', '/dev/shm': 'shm' });
    expect(pod.volumes).toContainEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(pod.volumes.find((v: any) => v.name === 'run').emptyDir).toBeDefined();
    expect(pod.volumes.find((v: any) => v.name === 'tmp').emptyDir).toBeDefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('mlflow-postgresql');
    expect(one(objects, 'ServiceAccount', 'mlflow-postgresql').automountServiceAccountToken).toBe(false);
  });

  test('resources and probes: readiness and liveness differ, startup probe', () => {
    expect(pg.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '2', 'memory': '1Gi', 'ephemeral-storage': '1Gi' },
    });
    expect(pg.readinessProbe.exec.command[0]).toBe('pg_isready');
    expect(pg.readinessProbe.exec.command).toEqual(expect.arrayContaining(['--host', '127.0.0.1', '--username', 'mlflow', '--dbname', 'mlflow']));
    expect(pg.livenessProbe.exec.command).toEqual(expect.arrayContaining(['--host', '/var/run/postgresql']));
    expect(pg.livenessProbe.exec.command).not.toEqual(pg.readinessProbe.exec.command);
    expect(pg.startupProbe.exec.command).toEqual(pg.readinessProbe.exec.command);
    expect(pg.startupProbe.failureThreshold * pg.startupProbe.periodSeconds).toBe(600);
  });

  test('sync waves: accounts first, data stores next', () => {
    expect(sts.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(one(objects, 'Service', 'mlflow-postgresql').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(one(objects, 'ServiceAccount', 'mlflow-postgresql').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
  });

  test('server: libpq env, credential-free URI, password only via secretKeyRef', () => {
    const c = serverContainer(objects);
    const env = envMap(c);
    expect(env.PGHOST).toBe('mlflow-postgresql.mlflow.svc');
    expect(env.PGPORT).toBe('5432');
    expect(env.PGDATABASE).toBe('mlflow');
    expect(env.PGUSER).toBe('mlflow');
    expect(env.PGPASSWORD).toEqual({ secretKeyRef: { name: 'mlflow-postgres', key: 'password' } });
    const i = c.args.indexOf('--backend-store-uri');
    const uri = c.args[i + 1];
    expect(uri).toBe('postgresql+psycopg2://');
    // SQLAlchemy URL: dialect+driver://user:password@host:port/db — nothing after the scheme.
    const m = /^([a-z0-9+]+):\/\/(.*)$/.exec(uri)!;
    expect(m[2]).toBe('');
    expect(uri).not.toMatch(/@|:[^/]/);
  });

  test('migration Job gets the same env and the database egress', () => {
    const job = one(objects, 'Job');
    const env = envMap(job.spec.template.spec.containers[0]);
    expect(env.MLFLOW_MIGRATION_URL).toBe('postgresql+psycopg2://');
    expect(env.PGPASSWORD).toEqual({ secretKeyRef: { name: 'mlflow-postgres', key: 'password' } });
  });
});

describe('BackendStore.inCluster network model', () => {
  test('the database admits the server and the migration Job on 5432; both declare the egress', () => {
    const chart = new MlflowChart(Testing.app(), 'test', baseProps({ backendStore: inCluster() }));
    const model = NetworkModel.of(chart);
    const db = model.find('mlflow-postgresql')!;
    expect(db.podLabels).toEqual({ 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'database' });
    expect(db.ingress.map(r => [r.peer.toPeer(), r.ports])).toEqual([
      [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'server' } } }, [{ port: 5432 }]],
      [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'migration' } } }, [{ port: 5432 }]],
    ]);
    expect(db.egress).toEqual([]);
    for (const w of [model.find('mlflow')!, model.find('mlflow-migrate')!]) {
      expect(w.egress.map(r => [r.peer.toPeer(), r.ports])).toContainEqual([{ podSelector: { matchLabels: db.podLabels } }, [{ port: 5432 }]]);
    }
    // The server's labels are matched by the database's ingress rule.
    const serverPodLabels = chart.server.deployment.toJson().spec.template.metadata.labels;
    expect(serverPodLabels).toMatchObject({ 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'server' });
  });
});

describe('BackendStore.inCluster options', () => {
  test('major, size, storage class, access modes, user, database, resources', () => {
    const objects = synthMlflow({
      backendStore: inCluster({
        postgresMajor: 16,
        size: Size.gibibytes(50),
        storageClassName: 'gp3',
        accessModes: ['ReadWriteOncePod'],
        user: 'tracking',
        database: 'tracking_db',
        resources: { cpu: { request: Cpu.millis(500), limit: Cpu.units(4) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } },
        shmSize: Size.mebibytes(512),
      }),
    });
    const sts = one(objects, 'StatefulSet');
    const pg = sts.spec.template.spec.containers[0];
    expect(pg.image).toBe(POSTGRES_IMAGES[16]);
    expect(sts.metadata.labels['app.kubernetes.io/version']).toMatch(/^16\.[0-9]+$/);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOncePod'], storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } });
    expect(envMap(pg)).toMatchObject({ POSTGRES_USER: 'tracking', POSTGRES_DB: 'tracking_db' });
    expect(pg.resources.limits).toEqual({ 'cpu': '4', 'memory': '4Gi', 'ephemeral-storage': '1Gi' });
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } });
    expect(envMap(serverContainer(objects))).toMatchObject({ PGUSER: 'tracking', PGDATABASE: 'tracking_db' });
  });

  test('a pinned image override wins', () => {
    const objects = synthMlflow({ backendStore: inCluster({ image: 'registry.example.com/mirror/postgres:17.9-bookworm' }) });
    expect(one(objects, 'StatefulSet').spec.template.spec.containers[0].image).toBe('registry.example.com/mirror/postgres:17.9-bookworm');
  });
});

describe('BackendStore.inCluster bad input fails at synth', () => {
  const bad = (o: any, message: RegExp) => expect(() => synthMlflow({ backendStore: BackendStore.inCluster(o) })).toThrow(message);

  test('no password Secret / no Secret name', () => {
    bad({}, /test\/Server\/Postgres: invalid backendStore.password \(missing\): must be a SecretKey/);
    bad({ password: SecretKey.fromExisting('', 'password') }, /invalid backendStore.password.secretName "": must be a DNS-1123 subdomain/);
  });
  test('size not a Size quantity', () => {
    bad({ password, size: '10Gi' }, /invalid backendStore.size "10Gi": must be a cdk8s Size/);
  });
  test('unknown major, unpinned image', () => {
    bad({ password, postgresMajor: 12 }, /invalid backendStore.postgresMajor 12: must be one of 16, 17/);
    bad({ password, image: 'postgres:latest' }, /invalid backendStore.image "postgres:latest"/);
    bad({ password, image: 'postgres' }, /invalid backendStore.image "postgres"/);
  });
  test('bad access modes, storage class, user, database', () => {
    bad({ password, accessModes: ['ReadWriteMany'] }, /invalid backendStore.accessModes \["ReadWriteMany"\]/);
    bad({ password, accessModes: [] }, /invalid backendStore.accessModes \[\]/);
    bad({ password, storageClassName: 'Fast SSD' }, /invalid backendStore.storageClassName "Fast SSD"/);
    bad({ password, user: 'Robert"; DROP' }, /invalid backendStore.user .*PostgreSQL identifier/);
    bad({ password, database: '1db' }, /invalid backendStore.database "1db"/);
  });
  test('UID below 10000', () => {
    bad({ password, podIdentity: { runAsUser: 999 } }, /invalid backendStore.podIdentity.runAsUser 999/);
  });
});

describe('BackendStore.inCluster extraDatabases', () => {
  test('no bootstrap Job by default', () => {
    const objects = synthMlflow({ backendStore: inCluster() });
    expect(objects.filter(o => o.kind === 'Job').map(o => o.metadata.name)).toEqual(['mlflow-migrate-3-17-0']);
  });

  test('a bootstrap Job creates them on the in-cluster server, admitted by its NetworkPolicy model', () => {
    const chart = new MlflowChart(Testing.app(), 'test', baseProps({ backendStore: inCluster({ extraDatabases: ['mlflow_auth'] }) }));
    const objects = Testing.synth(chart);
    const job = one(objects, 'Job', 'mlflow-postgres-bootstrap');
    expect(job.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('2');
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toBe(one(objects, 'StatefulSet').spec.template.spec.containers[0].image);
    expect(envMap(c)).toMatchObject({
      PGHOST: 'mlflow-postgresql.mlflow.svc', PGUSER: 'mlflow', PGDATABASE: 'mlflow',
      PGPASSWORD: { secretKeyRef: { name: 'mlflow-postgres', key: 'password' } },
      MLFLOW_DB_ROLE: 'mlflow', MLFLOW_DB_NAMES: 'mlflow mlflow_auth',
    });
    const model = NetworkModel.of(chart);
    expect(model.find('mlflow-postgresql')!.ingress.map(r => r.peer.toPeer())).toContainEqual(
      { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'database-bootstrap' } } });
    expect(model.find('mlflow-postgres-bootstrap')!.egress.map(r => r.peer.toPeer())).toEqual([{ podSelector: { matchLabels: model.find('mlflow-postgresql')!.podLabels } }]);
  });

  test('bad names and shm size fail at synth', () => {
    expect(() => synthMlflow({ backendStore: inCluster({ extraDatabases: ['mlflow-auth'] }) })).toThrow(/invalid backendStore.extraDatabases\[0\] "mlflow-auth"/);
    expect(() => synthMlflow({ backendStore: inCluster({ shmSize: Size.gibibytes(1) }) })).toThrow(/invalid backendStore.shmSize "1Gi": must be below the memory limit \(1Gi\)/);
  });
});
