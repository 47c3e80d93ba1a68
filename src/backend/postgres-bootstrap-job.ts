import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { POSTGRES_BOOTSTRAP_SCRIPT } from './postgres-bootstrap-script';
import { checkPgIdentifier, pgRole, postgresImage } from './postgres-common';
import { makeSyncHook, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { ImagePullPolicy } from '../common/image';
import { standardLabels } from '../common/labels';
import { PodIdentity, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/pod-security';
import { ContainerResources, renderResources, resources } from '../common/resources';
import { checkInt } from '../common/validate';
import { NetworkModel } from '../network/network-model';
import { EgressRule } from '../network/network-peer';
import { SecretKey } from '../secrets/secret-source';
import { workloadServiceAccount } from '../common/workload-identity';

/**
 * The bootstrap Job of an external (shared) PostgreSQL: creates the MLflow role and its
 * databases if missing, idempotently, as an admin role whose password comes from a Secret.
 * The MLflow role's password is the external store's `password` Secret key.
 */
export interface PostgresBootstrapOptions {
  /** The Secret key holding the admin role's password. */
  readonly adminPassword: SecretKey;
  /**
   * The admin role (a superuser, or a role with CREATEROLE and CREATEDB such as RDS's master user).
   * @default 'postgres' (unless `adminUserSecret` is set)
   */
  readonly adminUser?: string;
  /**
   * A Secret key holding the admin role's name, instead of `adminUser`.
   * @default the plain `adminUser`
   */
  readonly adminUserSecret?: SecretKey;
  /**
   * The database the admin connects to.
   * @default 'postgres'
   */
  readonly adminDatabase?: string;
  /**
   * More databases to create for the MLflow role on the same server, e.g. `['mlflow_auth']`
   * for basic-auth's separate database.
   * @default none
   */
  readonly extraDatabases?: string[];
  /**
   * PostgreSQL major of the pinned official image that provides `psql` (15 or later is needed for `\getenv`).
   * @default 17
   */
  readonly postgresMajor?: number;
  /**
   * A pinned image of your own with bash and psql 15+. Wins over `postgresMajor`.
   * @default the official image of `postgresMajor`, e.g. postgres:17.9-bookworm
   */
  readonly image?: string;
  /**
   * Pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Requests and limits of the Job's containers.
   * @default cpu 50m/200m, memory 64Mi/128Mi, ephemeral storage 64Mi/256Mi
   */
  readonly resources?: ContainerResources;
  /**
   * UID, GID and fsGroup of the Job's pod.
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /**
   * How often (2 s apart) to try the database before giving up.
   * @default 90
   */
  readonly waitAttempts?: number;
}

/** What the external store hands the Job. */
export interface PostgresBootstrapJobOptions {
  /** Base name of the MLflow stack (the Job and its ServiceAccount derive their names from it). */
  readonly name: string;
  /** Namespace of the Job. */
  readonly namespace: string;
  /** `app.kubernetes.io/instance` label. */
  readonly instance: string;
  /** Host name or address of the PostgreSQL server. */
  readonly host: string;
  /** Port of the PostgreSQL server. */
  readonly port: number;
  /** MLflow's database, created when missing. */
  readonly database: string;
  /** MLflow's role, created when missing (its password re-set from `password`). */
  readonly user: string | SecretKey;
  /** Password of MLflow's role. */
  readonly password: SecretKey;
  /** libpq TLS environment (PGSSLMODE, PGSSLROOTCERT). */
  readonly tlsEnv: k8s.EnvVar[];
  /** Volumes of the Job's pod (e.g. the CA bundle). */
  readonly volumes: k8s.Volume[];
  /** Where those volumes are mounted. */
  readonly volumeMounts: k8s.VolumeMount[];
  /** The connections the Job's pod must be allowed to open. */
  readonly egress: EgressRule[];
  /** The admin credentials and extra databases the user asked for. */
  readonly bootstrap: PostgresBootstrapOptions;
  /** Prop path for error messages. */
  readonly prop?: string;
}

// Bounded wait with pg_isready (the postgres image has no python); libpq reads PGHOST & co. from the env.
export const PG_WAIT_SCRIPT = [
  'n="$WAIT_ATTEMPTS"; i=1',
  'until pg_isready --quiet --timeout=3; do',
  '  if [ "$i" -ge "$n" ]; then echo "wait-for-database: giving up after $n attempts" >&2; exit 1; fi',
  '  echo "wait-for-database: $PGHOST:$PGPORT not accepting connections (attempt $i/$n)"; i=$((i + 1)); sleep 2',
  'done',
  'echo "wait-for-database: $PGHOST:$PGPORT is accepting connections"',
].join('\n');

/** Renders the ServiceAccount and the bootstrap Job (Argo CD Sync hook in the store set-up wave). */
export class PostgresBootstrapJob extends Construct {
  /** The Job. */
  public readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, o: PostgresBootstrapJobOptions) {
    super(scope, id);
    const p = o.prop ?? 'backendStore.bootstrap';
    const b = o.bootstrap;
    if (!(b.adminPassword instanceof SecretKey)) {
      invalid(this, `${p}.adminPassword`, b.adminPassword === undefined ? undefined : '(not a SecretKey)', 'must be a SecretKey, e.g. SecretKey.fromExisting("postgres-admin", "password")');
    }
    b.adminPassword._bind(this, `${p}.adminPassword`);
    const { env: adminUserEnv } = pgRole(this, `${p}.adminUser`, b.adminUser, `${p}.adminUserSecret`, b.adminUserSecret, 'postgres', 'PGUSER');
    const adminDatabase = checkPgIdentifier(this, `${p}.adminDatabase`, b.adminDatabase ?? 'postgres');
    const extra = b.extraDatabases ?? [];
    if (!Array.isArray(extra)) invalid(this, `${p}.extraDatabases`, extra, 'must be a list of database names');
    extra.forEach((d, i) => checkPgIdentifier(this, `${p}.extraDatabases[${i}]`, d));
    const databases = [o.database, ...extra];
    const dup = databases.find((d, i) => databases.indexOf(d) !== i);
    if (dup !== undefined) invalid(this, `${p}.extraDatabases`, dup, 'must not repeat a database (the tracking database is always created)');
    const image = postgresImage(this, p, b.postgresMajor, b.image);
    const pullPolicy = b.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
    const attempts = checkInt(this, `${p}.waitAttempts`, b.waitAttempts ?? 90, 1, 10000);
    const res = renderResources(this, `${p}.resources`, b.resources, resources(['50m', '200m'], ['64Mi', '128Mi'], ['64Mi', '256Mi']));

    const name = `${o.name}-postgres-bootstrap`;
    const meta = { name: 'postgresql', instance: o.instance, component: 'database-bootstrap' };
    const labels = standardLabels(meta);
    workloadServiceAccount(this, name, labels);

    const connection: k8s.EnvVar[] = [
      { name: 'HOME', value: '/tmp' },
      { name: 'PGHOST', value: o.host },
      { name: 'PGPORT', value: String(o.port) },
      { name: 'PGDATABASE', value: adminDatabase },
      adminUserEnv,
      b.adminPassword.toEnvVar('PGPASSWORD'),
      { name: 'PGCONNECT_TIMEOUT', value: '10' },
      { name: 'PGAPPNAME', value: 'mlflow-postgres-bootstrap' },
      ...o.tlsEnv,
    ];
    const securityContext = restrictedContainerSecurityContext();
    const mounts = [{ name: 'tmp', mountPath: '/tmp' }, ...o.volumeMounts];
    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name, labels },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 900,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurityContext(this, `${p}.podIdentity`, b.podIdentity),
            initContainers: [{
              name: 'wait-for-database',
              image,
              imagePullPolicy: pullPolicy,
              command: ['bash', '-c', PG_WAIT_SCRIPT],
              env: [...connection, { name: 'WAIT_ATTEMPTS', value: String(attempts) }],
              securityContext,
              resources: res,
              volumeMounts: mounts,
            }],
            containers: [{
              name: 'bootstrap',
              image,
              imagePullPolicy: pullPolicy,
              command: ['bash', '-c', POSTGRES_BOOTSTRAP_SCRIPT],
              env: [
                ...connection,
                o.user instanceof SecretKey ? o.user.toEnvVar('MLFLOW_DB_ROLE') : { name: 'MLFLOW_DB_ROLE', value: o.user },
                o.password.toEnvVar('MLFLOW_DB_PASSWORD'),
                { name: 'MLFLOW_DB_NAMES', value: databases.join(' ') },
              ],
              securityContext,
              resources: res,
              volumeMounts: mounts,
            }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }, ...o.volumes],
          },
        },
      },
    });
    makeSyncHook(this.job, SyncWave.STORE_SETUP);
    NetworkModel.of(this).register({
      name,
      podLabels: { 'app.kubernetes.io/instance': o.instance, 'app.kubernetes.io/component': 'database-bootstrap' },
      ingress: [],
      egress: [...o.egress],
    });
  }
}
