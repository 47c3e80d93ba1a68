import { Testing } from 'cdk8s';
import { baseProps, envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { AuthPermission, BackendStore, IBackendStore, MlflowAuthOptions, MlflowChart, MlflowImage, SecretKey, SecretSource } from '../src';
import { AUTH_CONFIG_SCRIPT } from '../src/auth/auth-config-script';

const auth = (o: Partial<MlflowAuthOptions> = {}): MlflowAuthOptions => ({
  adminUsername: SecretKey.fromExisting('mlflow-admin', 'username'),
  adminPassword: SecretKey.fromExisting('mlflow-admin', 'password'),
  flaskSecretKey: SecretKey.fromExisting('mlflow-flask', 'secret-key'),
  databaseUri: SecretKey.fromExisting('mlflow-auth-db', 'uri'),
  ...o,
});

/** A backend reached through libpq PG* variables (like the in-cluster PostgreSQL). */
export const libpqBackend = (database = 'mlflow'): IBackendStore => ({
  bind: () => ({
    uri: 'postgresql+psycopg2://',
    env: [
      { name: 'PGHOST', value: 'mlflow-postgresql' }, { name: 'PGPORT', value: '5432' }, { name: 'PGDATABASE', value: database },
      { name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'pg', key: 'username' } } },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'pg', key: 'password' } } },
    ],
    volumes: [], volumeMounts: [], egress: [],
  }),
});

describe('basic-auth', () => {
  const objects = synthMlflow({ auth: auth() });
  const pod = one(objects, 'Deployment').spec.template.spec;
  const c = serverContainer(objects);
  const init = pod.initContainers.find((i: any) => i.name === 'render-auth-config');

  test('--app-name basic-auth, config path and Flask key from a Secret', () => {
    expect(c.args).toEqual(expect.arrayContaining(['--app-name', 'basic-auth']));
    const env = envMap(c);
    expect(env.MLFLOW_AUTH_CONFIG_PATH).toBe('/etc/mlflow-auth/basic_auth.ini');
    expect(env.MLFLOW_FLASK_SERVER_SECRET_KEY).toEqual({ secretKeyRef: { name: 'mlflow-flask', key: 'secret-key' } });
  });

  test('MLflow >= 3.16.1: MLFLOW_AUTH_ADMIN_* from the Secret; older versions only through the INI', () => {
    expect(envMap(c).MLFLOW_AUTH_ADMIN_USERNAME).toEqual({ secretKeyRef: { name: 'mlflow-admin', key: 'username' } });
    expect(envMap(c).MLFLOW_AUTH_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'mlflow-admin', key: 'password' } });
    const old = serverContainer(synthMlflow({ auth: auth(), image: MlflowImage.official('3.16.0') }));
    expect(envMap(old).MLFLOW_AUTH_ADMIN_PASSWORD).toBeUndefined();
    expect(envMap(old).MLFLOW_AUTH_CONFIG_PATH).toBeDefined();
  });

  test('the INI is rendered by an init container from secretKeyRefs into a memory emptyDir; no ConfigMap', () => {
    expect(init.command).toEqual(['python3', '-c', AUTH_CONFIG_SCRIPT]);
    expect(envMap(init)).toEqual({
      AUTH_CONFIG_PATH: '/etc/mlflow-auth/basic_auth.ini',
      AUTH_DEFAULT_PERMISSION: 'READ',
      AUTH_AUTHORIZATION_FUNCTION: 'mlflow.server.auth:authenticate_request_basic_auth',
      AUTH_DATABASE_URI: { secretKeyRef: { name: 'mlflow-auth-db', key: 'uri' } },
      AUTH_ADMIN_USERNAME: { secretKeyRef: { name: 'mlflow-admin', key: 'username' } },
      AUTH_ADMIN_PASSWORD: { secretKeyRef: { name: 'mlflow-admin', key: 'password' } },
    });
    expect(pod.volumes).toContainEqual({ name: 'auth-config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    expect(init.volumeMounts).toEqual([{ name: 'auth-config', mountPath: '/etc/mlflow-auth' }]);
    expect(c.volumeMounts).toContainEqual({ name: 'auth-config', mountPath: '/etc/mlflow-auth', readOnly: true });
    expect(init.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(init.resources.limits).toEqual({ 'cpu': '200m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' });
    expect(objects.filter(o => o.kind === 'ConfigMap')).toHaveLength(0);
  });

  test('the init script writes mode 0600, never prints a value, escapes % for configparser', () => {
    expect(AUTH_CONFIG_SCRIPT).toContain('0o600');
    expect(AUTH_CONFIG_SCRIPT).toContain("replace('%', '%%')");
    for (const line of AUTH_CONFIG_SCRIPT.split('\n').filter(l => l.includes('print('))) expect(line).not.toMatch(/\{value\}|\{lines|os\.environ/);
  });

  test('probes stay on /health (open under basic-auth)', () => {
    expect(c.readinessProbe.httpGet.path).toBe('/health');
  });

  test('libpq backend: credential-free auth database URI on the same server', () => {
    const o = synthMlflow({ backendStore: libpqBackend(), auth: auth({ databaseUri: undefined, defaultPermission: AuthPermission.NO_PERMISSIONS }) });
    const i = one(o, 'Deployment').spec.template.spec.initContainers.find((x: any) => x.name === 'render-auth-config');
    expect(envMap(i).AUTH_DATABASE_URI).toBe('postgresql+psycopg2:///mlflow_auth');
    expect(envMap(i).AUTH_DEFAULT_PERMISSION).toBe('NO_PERMISSIONS');
    expect(envMap(i).PGPASSWORD).toBeUndefined();
  });

  test('with BackendStore.inCluster: the auth database on the same server, created by extraDatabases', () => {
    const o = synthMlflow({
      backendStore: BackendStore.inCluster({ password: SecretKey.fromExisting('pg', 'password'), extraDatabases: ['mlflow_auth'] }),
      auth: auth({ databaseUri: undefined }),
    });
    const d = one(o, 'Deployment', 'mlflow').spec.template.spec;
    expect(envMap(d.initContainers.find((x: any) => x.name === 'render-auth-config')).AUTH_DATABASE_URI).toBe('postgresql+psycopg2:///mlflow_auth');
    expect(envMap(d.containers[0]).PGPASSWORD).toEqual({ secretKeyRef: { name: 'pg', key: 'password' } });
  });

  test('generated Flask secret key: one Secret for every replica', () => {
    const key = SecretSource.generatedPassword({ name: 'mlflow-flask-key', length: 64 }).key('password');
    const o = Testing.synth(new MlflowChart(Testing.app(), 'a', baseProps({ replicas: 3, auth: auth({ flaskSecretKey: key }) })));
    expect(envMap(serverContainer(o)).MLFLOW_FLASK_SERVER_SECRET_KEY).toEqual({ secretKeyRef: { name: 'mlflow-flask-key', key: 'password' } });
    expect(one(o, 'ExternalSecret', 'mlflow-flask-key').spec.refreshPolicy).toBe('CreatedOnce');
  });

  test('a ServiceMonitor in the server namespace scrapes with the admin Secret; one elsewhere is left alone', () => {
    const o = synthMlflow({ auth: auth(), monitoring: { serviceMonitor: {} } });
    const sm = one(o, 'ServiceMonitor');
    expect(sm.spec.endpoints[0].basicAuth).toEqual({ username: { name: 'mlflow-admin', key: 'username' }, password: { name: 'mlflow-admin', key: 'password' } });
    const other = one(synthMlflow({ auth: auth(), monitoring: { serviceMonitor: { namespace: 'monitoring' } } }), 'ServiceMonitor');
    expect(other.spec.endpoints[0].basicAuth).toBeUndefined();
  });

  describe('bad input', () => {
    test('default_permission outside READ, EDIT, MANAGE, NO_PERMISSIONS', () => {
      expect(() => synthMlflow({ auth: auth({ defaultPermission: 'ADMIN' as any }) }))
        .toThrow(/test\/Server: invalid auth.defaultPermission "ADMIN": must be one of READ, EDIT, MANAGE, NO_PERMISSIONS/);
    });
    test('URI-from-Secret backend without auth.databaseUri', () => {
      expect(() => synthMlflow({ auth: auth({ databaseUri: undefined }) })).toThrow(/invalid auth.databaseUri \(missing\): is required when the backend store URI comes from a Secret/);
    });
    test('auth database equal to the tracking database', () => {
      expect(() => synthMlflow({ backendStore: libpqBackend('mlflow_auth'), auth: auth({ databaseUri: undefined }) })).toThrow(/invalid auth.database "mlflow_auth": must differ from the tracking database/);
    });
    test('a literal instead of a SecretKey', () => {
      expect(() => synthMlflow({ auth: auth({ adminPassword: 'hunter2' as any }) })).toThrow(/invalid auth.adminPassword "\(not a SecretKey\)"/);
      expect(() => synthMlflow({ auth: auth({ adminPassword: 'hunter2' as any }) })).not.toThrow(/hunter2/);
    });
    test('bad authorization function', () => {
      expect(() => synthMlflow({ auth: auth({ authorizationFunction: 'rm -rf /' }) })).toThrow(/invalid auth.authorizationFunction "rm -rf \/": must be 'module.path:function'/);
    });
  });
});
