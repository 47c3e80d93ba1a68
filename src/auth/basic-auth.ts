import { k8s } from 'cdk8s-plus-28';
import { invalid } from '../common/errors';
import { restrictedContainerSecurityContext } from '../common/pod-security';
import { renderResources, resources } from '../common/resources';
import { SecretKey } from '../secrets/secret-source';
import type { MlflowServer } from '../server/mlflow-server';
import { AUTH_CONFIG_SCRIPT } from './auth-config-script';
import { AuthPermission, MlflowAuthOptions } from './auth-options';

/** Where the INI is written (a memory emptyDir) and read by the server. */
const AUTH_CONFIG_DIR = '/etc/mlflow-auth';
/** The INI file. */
export const AUTH_CONFIG_PATH = `${AUTH_CONFIG_DIR}/basic_auth.ini`;
/** MLflow's default authorization function. */
const DEFAULT_AUTHORIZATION_FUNCTION = 'mlflow.server.auth:authenticate_request_basic_auth';

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const FUNCTION_REF = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$/;

/** The auth database URI: a whole URI from a Secret, or a credential-free libpq URI. */
function authDatabaseEnv(server: MlflowServer, o: MlflowAuthOptions): k8s.EnvVar {
  if (o.databaseUri !== undefined) {
    if (!(o.databaseUri instanceof SecretKey)) invalid(server, 'auth.databaseUri', o.databaseUri, 'must be a SecretKey holding the whole auth database URI');
    o.databaseUri._bind(server, 'auth.databaseUri');
    return o.databaseUri.toEnvVar('AUTH_DATABASE_URI');
  }
  const b = server.backend;
  const libpq = !!b.uri && /^postgresql(\+psycopg2?)?:\/\/$/.test(b.uri) && b.env.some(e => e.name === 'PGHOST');
  if (!libpq) {
    invalid(server, 'auth.databaseUri', undefined, 'is required when the backend store URI comes from a Secret: a SecretKey holding the URI of a separate PostgreSQL database for auth');
  }
  const db = o.database ?? 'mlflow_auth';
  if (typeof db !== 'string' || !DB_NAME.test(db)) invalid(server, 'auth.database', db, 'must be a PostgreSQL database name of a-z, 0-9 and _ (up to 63 characters, not starting with a digit)');
  const tracking = b.env.find(e => e.name === 'PGDATABASE')?.value;
  if (tracking !== undefined && tracking === db) invalid(server, 'auth.database', db, 'must differ from the tracking database (MLflow keeps users and permissions in a separate database)');
  return { name: 'AUTH_DATABASE_URI', value: `postgresql+psycopg2:///${db}` };
}

/**
 * Turns on MLflow basic-auth on the server: `--app-name basic-auth`, an init container that
 * renders the INI from Secret-backed env into a memory emptyDir, MLFLOW_AUTH_CONFIG_PATH, the
 * Flask secret key from a Secret and, on MLflow 3.16.1+, MLFLOW_AUTH_ADMIN_USERNAME/_PASSWORD.
 * `/health` stays open (probes keep working); `/metrics` then needs credentials.
 * @returns the auth database URI as an environment variable (for the migration Job)
 */
export function configureBasicAuth(server: MlflowServer, o: MlflowAuthOptions): k8s.EnvVar {
  for (const k of ['adminUsername', 'adminPassword', 'flaskSecretKey'] as const) {
    if (!(o[k] instanceof SecretKey)) invalid(server, `auth.${k}`, '(not a SecretKey)', 'must be a SecretKey (SecretKey.fromExisting, SecretSource.sealed/external/generatedPassword(...).key(...)); never a literal');
    o[k]._bind(server, `auth.${k}`);
  }
  const permission = o.defaultPermission ?? AuthPermission.READ;
  if (!Object.values(AuthPermission).includes(permission)) {
    invalid(server, 'auth.defaultPermission', permission, `must be one of ${Object.values(AuthPermission).join(', ')}`);
  }
  const fn = o.authorizationFunction ?? DEFAULT_AUTHORIZATION_FUNCTION;
  if (typeof fn !== 'string' || !FUNCTION_REF.test(fn)) invalid(server, 'auth.authorizationFunction', fn, "must be 'module.path:function', e.g. 'mlflow.server.auth:authenticate_request_basic_auth'");

  const databaseEnv = authDatabaseEnv(server, o);
  const initEnv: k8s.EnvVar[] = [
    { name: 'AUTH_CONFIG_PATH', value: AUTH_CONFIG_PATH },
    { name: 'AUTH_DEFAULT_PERMISSION', value: permission },
    { name: 'AUTH_AUTHORIZATION_FUNCTION', value: fn },
    databaseEnv,
    o.adminUsername.toEnvVar('AUTH_ADMIN_USERNAME'),
    o.adminPassword.toEnvVar('AUTH_ADMIN_PASSWORD'),
  ];
  server.addVolume({ name: 'auth-config', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } });
  server.addVolumeMount({ name: 'auth-config', mountPath: AUTH_CONFIG_DIR, readOnly: true });
  server.addInitContainer({
    name: 'render-auth-config',
    image: server.image.image,
    imagePullPolicy: server.image.pullPolicy,
    command: ['python3', '-c', AUTH_CONFIG_SCRIPT],
    env: initEnv,
    securityContext: restrictedContainerSecurityContext(),
    resources: renderResources(server, 'auth.initResources', undefined, resources(['50m', '200m'], ['64Mi', '128Mi'], ['16Mi', '64Mi'])),
    volumeMounts: [{ name: 'auth-config', mountPath: AUTH_CONFIG_DIR }],
  });
  server.addEnv({ name: 'MLFLOW_AUTH_CONFIG_PATH', value: AUTH_CONFIG_PATH });
  server.addEnv(o.flaskSecretKey.toEnvVar('MLFLOW_FLASK_SERVER_SECRET_KEY'));
  if (server.image.atLeast('3.16.1')) {
    server.addEnv(o.adminUsername.toEnvVar('MLFLOW_AUTH_ADMIN_USERNAME'));
    server.addEnv(o.adminPassword.toEnvVar('MLFLOW_AUTH_ADMIN_PASSWORD'));
  }
  server.addArgs('--app-name', 'basic-auth');
  return databaseEnv;
}
