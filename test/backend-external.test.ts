import { Testing } from 'cdk8s';
import { baseProps, envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { BackendStore, NetworkModel, NetworkPeer, PostgresCa, SecretKey } from '../src';
import { MlflowChart } from '../src/chart/mlflow-chart';

const password = SecretKey.fromExisting('mlflow-db', 'password');
const hostForm = { host: 'mlflow.abc123.eu-west-1.rds.amazonaws.com', password };

function egressOf(backendStore: any, workload = 'mlflow'): any[] {
  const chart = new MlflowChart(Testing.app(), 'test', baseProps({ backendStore }));
  // The server also declares its artifact store's egress: look at the backend's rules only.
  const rules = workload === 'mlflow' ? chart.server.backend.egress : NetworkModel.of(chart).find(workload)!.egress;
  return rules.map(r => [r.peer.toPeer(), r.ports]);
}

describe('BackendStore.external, host form', () => {
  const objects = synthMlflow({
    backendStore: BackendStore.external({
      ...hostForm,
      database: 'tracking',
      user: 'mlflow_app',
      sslMode: 'verify-full',
      ca: PostgresCa.fromConfigMap('rds-ca', 'global-bundle.pem'),
    }),
  });
  const c = serverContainer(objects);
  const pod = one(objects, 'Deployment').spec.template.spec;

  test('snapshot of the server pod spec', () => {
    expect(pod).toMatchSnapshot();
  });

  test('libpq env, password from the Secret, credential-free URI', () => {
    const env = envMap(c);
    expect(env).toMatchObject({
      PGHOST: 'mlflow.abc123.eu-west-1.rds.amazonaws.com', PGPORT: '5432', PGDATABASE: 'tracking', PGUSER: 'mlflow_app',
      PGPASSWORD: { secretKeyRef: { name: 'mlflow-db', key: 'password' } },
      PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/mlflow/postgres-ca/ca.crt',
    });
    expect(env.MLFLOW_BACKEND_STORE_URI).toBeUndefined();
    expect(c.args[c.args.indexOf('--backend-store-uri') + 1]).toBe('postgresql+psycopg2://');
  });

  test('the CA bundle is mounted read-only in the server and the migration Job', () => {
    expect(pod.volumes).toContainEqual({ name: 'postgres-ca', configMap: { name: 'rds-ca', items: [{ key: 'global-bundle.pem', path: 'ca.crt' }], defaultMode: 0o444 } });
    expect(c.volumeMounts).toContainEqual({ name: 'postgres-ca', mountPath: '/etc/mlflow/postgres-ca', readOnly: true });
    const job = one(objects, 'Job').spec.template.spec;
    expect(job.volumes.map((v: any) => v.name)).toContain('postgres-ca');
    expect(job.containers[0].volumeMounts).toContainEqual({ name: 'postgres-ca', mountPath: '/etc/mlflow/postgres-ca', readOnly: true });
    expect(envMap(job.containers[0]).PGSSLMODE).toBe('verify-full');
  });

  test('no bootstrap Job unless asked', () => {
    expect(objects.filter(o => o.kind === 'Job').map(o => o.metadata.name)).toEqual(['mlflow-migrate-3-17-0']);
  });

  test('CA from a Secret key; user from a Secret key', () => {
    const objs = synthMlflow({
      backendStore: BackendStore.external({
        ...hostForm,
        userSecret: SecretKey.fromExisting('mlflow-db', 'username'),
        sslMode: 'verify-ca',
        ca: PostgresCa.fromSecret(SecretKey.fromExisting('db-tls', 'ca.crt')),
      }),
    });
    const p = one(objs, 'Deployment').spec.template.spec;
    expect(p.volumes).toContainEqual({ name: 'postgres-ca', secret: { secretName: 'db-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } });
    expect(envMap(p.containers[0]).PGUSER).toEqual({ secretKeyRef: { name: 'mlflow-db', key: 'username' } });
  });

  test('sslMode require needs no CA', () => {
    const objs = synthMlflow({ backendStore: BackendStore.external({ ...hostForm, sslMode: 'require' }) });
    const env = envMap(serverContainer(objs));
    expect(env.PGSSLMODE).toBe('require');
    expect(env.PGSSLROOTCERT).toBeUndefined();
  });

  test('egress: private ranges by default, /32 for an IP host, given CIDRs, given peers; custom port', () => {
    const ranges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
    expect(egressOf(BackendStore.external(hostForm))).toEqual(ranges.map(cidr => [{ ipBlock: { cidr } }, [{ port: 5432 }]]));
    expect(egressOf(BackendStore.external({ host: '10.1.2.3', password, port: 6432 }))).toEqual([[{ ipBlock: { cidr: '10.1.2.3/32' } }, [{ port: 6432 }]]]);
    expect(egressOf(BackendStore.external({ ...hostForm, cidrs: ['10.20.0.0/16'] }), 'mlflow-migrate')).toEqual([[{ ipBlock: { cidr: '10.20.0.0/16' } }, [{ port: 5432 }]]]);
    const peer = NetworkPeer.pods({ 'app.kubernetes.io/name': 'postgresql' }, { 'kubernetes.io/metadata.name': 'data' });
    expect(egressOf(BackendStore.external({ ...hostForm, peers: [peer] }))).toEqual([[peer.toPeer(), [{ port: 5432 }]]]);
    const objs = synthMlflow({ backendStore: BackendStore.external({ host: '10.1.2.3', password, port: 6432 }) });
    expect(envMap(serverContainer(objs)).PGPORT).toBe('6432');
  });
});

describe('BackendStore.external, URI form', () => {
  test('the whole URI from a Secret, as an env var; sslmode is a libpq default', () => {
    const objects = synthMlflow({ backendStore: BackendStore.external({ uri: SecretKey.fromExisting('mlflow-db', 'uri'), sslMode: 'require', cidrs: ['10.0.5.0/24'] }) });
    const c = serverContainer(objects);
    const env = envMap(c);
    expect(env.MLFLOW_BACKEND_STORE_URI).toEqual({ secretKeyRef: { name: 'mlflow-db', key: 'uri' } });
    expect(env.PGSSLMODE).toBe('require');
    expect(env.PGHOST).toBeUndefined();
    expect(c.args).not.toContain('--backend-store-uri');
    const job = one(objects, 'Job').spec.template.spec.containers[0];
    expect(envMap(job).MLFLOW_MIGRATION_URL_ENV).toBe('MLFLOW_BACKEND_STORE_URI');
  });
});

describe('BackendStore.external bad input fails at synth', () => {
  const bad = (o: any, message: RegExp) => expect(() => synthMlflow({ backendStore: BackendStore.external(o) })).toThrow(message);

  test('both forms, neither form', () => {
    bad({ uri: SecretKey.fromExisting('mlflow-db', 'uri'), host: 'db.example.com' }, /test\/Server: invalid backendStore .*"host":"db.example.com".*give either `uri`.*not both/);
    bad({}, /invalid backendStore \{\}: give `uri`/);
    bad({ password }, /invalid backendStore .*give `uri`/);
  });
  test('no Secret name, no password, password not a SecretKey', () => {
    bad({ uri: SecretKey.fromExisting('', 'uri') }, /invalid backendStore.uri.secretName "": must be a DNS-1123 subdomain/);
    bad({ host: 'db.example.com' }, /invalid backendStore.password \(missing\): is required in the host form/);
    bad({ host: 'db.example.com', password: 'hunter2' }, /invalid backendStore.password "\(not a SecretKey\)"/);
    bad({ ...hostForm, password: SecretKey.fromExisting('mlflow-db', 'pass word') }, /invalid backendStore.password.key "pass word"/);
  });
  test('invalid sslmode, verify-full without CA', () => {
    bad({ ...hostForm, sslMode: 'required' }, /invalid backendStore.sslMode "required": must be one of disable, allow, prefer, require, verify-ca, verify-full/);
    bad({ ...hostForm, sslMode: 'verify-full' }, /invalid backendStore.ca \(missing\): is required with sslMode 'verify-full'/);
    bad({ ...hostForm, sslMode: 'verify-ca' }, /invalid backendStore.ca \(missing\): is required with sslMode 'verify-ca'/);
    bad({ ...hostForm, ca: PostgresCa.fromConfigMap('Bad_Name') }, /invalid backendStore.ca.configMapName "Bad_Name"/);
  });
  test('bad port, host, cidrs, identifiers', () => {
    bad({ ...hostForm, port: 70000 }, /invalid backendStore.port 70000: must be an integer from 1 to 65535/);
    bad({ ...hostForm, port: '5432' }, /invalid backendStore.port "5432"/);
    bad({ host: 'postgresql://db:5432', password }, /invalid backendStore.host "postgresql:\/\/db:5432"/);
    bad({ ...hostForm, cidrs: ['10.0.0.0'] }, /invalid backendStore.cidrs "10.0.0.0": must be a network in CIDR form with no host bits set/);
    bad({ ...hostForm, cidrs: ['10.1.2.3/16'] }, /invalid backendStore.cidrs "10.1.2.3\/16": must be a network in CIDR form with no host bits set/);
    bad({ ...hostForm, cidrs: ['0.0.0.0/0'] }, /invalid backendStore.cidrs "0.0.0.0\/0": must not be the whole address space/);
    bad({ ...hostForm, cidrs: [] }, /invalid backendStore.cidrs \[\]/);
    bad({ ...hostForm, database: 'My-DB' }, /invalid backendStore.database "My-DB"/);
    bad({ ...hostForm, user: 'a b' }, /invalid backendStore.user "a b"/);
  });
  test('bootstrap needs the host form', () => {
    bad({ uri: SecretKey.fromExisting('mlflow-db', 'uri'), bootstrap: { adminPassword: password } }, /invalid backendStore.bootstrap "\(set\)": needs the host form/);
  });
});

test('a literal URI is refused without echoing it (it would carry the password into CI logs)', () => {
  let message = '';
  try {
    synthMlflow({ backendStore: BackendStore.external({ uri: 'postgresql://mlflow:S3cr3t-Canary@db:5432/mlflow' as any }) });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/invalid backendStore.uri "\(not a SecretKey: value hidden\)": must be a SecretKey/);
  expect(message).not.toContain('S3cr3t-Canary');
});
