import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { baseProps, synthMlflow } from './helpers/synth';
import { selectorMatches } from './helpers/reachability';
import { MlflowChart, SecretKey, ServiceExposure, WorkloadNetworkPolicies, NetworkModel } from '../src';
import { AUTH_CONFIG_SCRIPT } from '../src/auth/auth-config-script';

describe('bad network input fails with invalid(...) messages', () => {
  test('client selector empty', () => {
    expect(() => synthMlflow({ networkPolicy: { clients: [{}] } }))
      .toThrow(/test: invalid networkPolicy.clients\[0\] \{\}: needs podLabels and\/or namespaceLabels with at least one label/);
    expect(() => synthMlflow({ networkPolicy: { clients: [{ podLabels: {}, namespaceLabels: {} }] } })).toThrow(/invalid networkPolicy.clients\[0\]/);
  });
  test('CIDR invalid', () => {
    expect(() => synthMlflow({ networkPolicy: { externalEgress: { cidr: '10.0.0.0/33' } } }))
      .toThrow(/invalid networkPolicy.externalEgress.cidr "10.0.0.0\/33": must be an IPv4 CIDR with no host bits set/);
    expect(() => synthMlflow({ service: ServiceExposure.nodePort(30500), networkPolicy: { externalClientCidrs: ['192.168.1.1/24'] } }))
      .toThrow(/invalid networkPolicy.externalClientCidrs "192.168.1.1\/24"/);
    expect(() => synthMlflow({ networkPolicy: { externalEgress: { except: ['8.8.8.0/24', '300.1.1.1/32'] } } })).toThrow(/invalid networkPolicy.externalEgress.except "300.1.1.1\/32"/);
    expect(() => synthMlflow({ networkPolicy: { externalEgress: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } } })).toThrow(/each exception must lie strictly inside 10.0.0.0\/8/);
  });
  test('bare 0.0.0.0/0 without except is refused', () => {
    expect(() => synthMlflow({ networkPolicy: { externalEgress: { except: [] } } })).toThrow(/invalid networkPolicy.externalEgress.except \[\]: egress to 0.0.0.0\/0 must carve out the private ranges/);
    expect(() => synthMlflow({ service: ServiceExposure.loadBalancer(), networkPolicy: { externalClientCidrs: ['0.0.0.0/0'] } })).toThrow(/must not be bare 0.0.0.0\/0/);
  });
  test('empty DNS selectors and labels that select nothing', () => {
    expect(() => synthMlflow({ networkPolicy: { dns: { podLabels: {} } } })).toThrow(/invalid dns.podLabels \{\}: must hold at least one label/);
    const chart = new Chart(Testing.app(), 'c', { namespace: 'a' });
    new WorkloadNetworkPolicies(chart, 'np');
    expect(() => NetworkModel.of(chart).register({ name: 'w', podLabels: {}, ingress: [], egress: [] })).toThrow(/invalid workload w podLabels \{\}: must hold at least one label/);
  });
});

describe('checklist 13: every pod is selected by its own policy covering Ingress and Egress', () => {
  const c = new MlflowChart(Testing.app(), 'c', baseProps({ replicas: 2, ingress: { hosts: ['m.example.com'] } }));
  c.server.allowClient(new kplus.CronJob(c, 'nightly', { schedule: Cron.daily(), containers: [{ image: 'x/e:1.0.0' }] }));
  c.server.allowClient(new kplus.Deployment(c, 'ui', { containers: [{ image: 'x/ui:1.0.0' }] }));
  const objects = Testing.synth(c);
  const policies = objects.filter(o => o.kind === 'NetworkPolicy' && Object.keys(o.spec.podSelector).length > 0);
  const templates = objects.flatMap(o => {
    if (o.kind === 'CronJob') return [[o, o.spec.jobTemplate.spec.template]];
    if (['Deployment', 'Job', 'StatefulSet'].includes(o.kind)) return [[o, o.spec.template]];
    return [];
  });

  test.each(templates.map(([o, t]) => [`${o.kind}/${o.metadata.name}`, t]))('%s', (_n, t: any) => {
    const selecting = policies.filter(p => selectorMatches(p.spec.podSelector, t.metadata.labels));
    expect(selecting.length).toBeGreaterThanOrEqual(1);
    for (const p of selecting) expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('every policy selects at least one pod of the output', () => {
    for (const p of policies) expect(templates.some(([, t]) => selectorMatches(p.spec.podSelector, t.metadata.labels))).toBe(true);
  });
});

const python = spawnSync('python3', ['--version']).status === 0;
(python ? describe : describe.skip)('the auth INI init script, run with python3', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-ini-'));
  const file = path.join(dir, 'basic_auth.ini');
  const secret = 'S3cr%t;#pa ss=w0rd';
  const env = {
    PATH: process.env.PATH!,
    AUTH_CONFIG_PATH: file,
    AUTH_DEFAULT_PERMISSION: 'READ',
    AUTH_DATABASE_URI: 'postgresql+psycopg2:///mlflow_auth',
    AUTH_ADMIN_USERNAME: 'admin',
    AUTH_ADMIN_PASSWORD: secret,
    AUTH_AUTHORIZATION_FUNCTION: 'mlflow.server.auth:authenticate_request_basic_auth',
  };

  test('writes mode 0600, configparser reads the exact password back, nothing sensitive printed', () => {
    const r = spawnSync('python3', ['-c', AUTH_CONFIG_SCRIPT], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('S3cr');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const read = spawnSync('python3', ['-c', `import configparser; c = configparser.ConfigParser(); c.read(${JSON.stringify(file)}); m = c['mlflow']; print(m['admin_password'] == ${JSON.stringify(secret)}, m['default_permission'], m['database_uri'], m['authorization_function'])`], { encoding: 'utf8' });
    expect(read.stdout.trim()).toBe('True READ postgresql+psycopg2:///mlflow_auth mlflow.server.auth:authenticate_request_basic_auth');
  });

  test('a multi-line or missing value fails without echoing it', () => {
    const r = spawnSync('python3', ['-c', AUTH_CONFIG_SCRIPT], { env: { ...env, AUTH_ADMIN_PASSWORD: 'line1\nS3cr-line2' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('admin_password (AUTH_ADMIN_PASSWORD)');
    expect(r.stdout + r.stderr).not.toContain('S3cr');
  });
});

describe('snapshot: a locked-down chart (auth, clients, RBAC, secrets, policies)', () => {
  test('matches', () => {
    const c = new MlflowChart(Testing.app(), 'secure', baseProps({
      replicas: 2,
      ingress: { hosts: ['mlflow.example.com'] },
      networkPolicy: { allowPrometheus: true, clients: [{ podLabels: { role: 'mlflow-client' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'research' } }] },
      auth: {
        adminUsername: SecretKey.fromExisting('mlflow-admin', 'username'),
        adminPassword: SecretKey.fromExisting('mlflow-admin', 'password'),
        flaskSecretKey: SecretKey.fromExisting('mlflow-flask', 'secret-key'),
        databaseUri: SecretKey.fromExisting('mlflow-auth-db', 'uri'),
      },
    }));
    c.server.allowClient(new kplus.Job(c, 'train', { metadata: { name: 'train' }, containers: [{ name: 'train', image: 'x/train:1.0.0' }] }));
    c.server.grantClientConfigRead('trainer');
    expect(Testing.synth(c)).toMatchSnapshot();
  });
});
