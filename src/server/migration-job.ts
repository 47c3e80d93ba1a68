import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { makeSyncHook, SyncWave } from '../common/argocd';
import { standardLabels } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, PodIdentity } from '../common/pod-security';
import { renderResources, resources } from '../common/resources';
import { waitForTcpContainer } from '../common/wait-for';
import { BackendStoreBinding } from '../backend/backend-store';
import { NetworkModel } from '../network/network-model';
import { MlflowImage } from './mlflow-image';
import { workloadServiceAccount } from '../common/workload-identity';

/** Options of the schema migration Job. */
export interface MigrationJobOptions {
  /** Base name of the MLflow stack; the Job is `<name>-migrate-<version>`. */
  readonly name: string;
  /** `app.kubernetes.io/instance` label. */
  readonly instance: string;
  /** The server's image (the Job runs the same MLflow). */
  readonly image: MlflowImage;
  /** How the backend store is reached (URI, env, volumes, egress). */
  readonly backend: BackendStoreBinding;
  /**
   * The basic-auth database URI (`AUTH_DATABASE_URI`, a credential-free libpq URI or a Secret key), to migrate it too.
   * @default no auth database
   */
  readonly authDatabase?: k8s.EnvVar;
  /**
   * UID/GID/fsGroup of the pod.
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /** Secrets for pulling the image. */
  readonly imagePullSecrets: string[];
  /** Attempts (2 s apart) of the init container that waits for the database. */
  readonly waitAttempts: number;
}

/**
 * `mlflow db upgrade`, plus first-time initialisation: Alembic's migrations assume the
 * initial tables exist, which is why MLflow's own store creates them on an empty database.
 * The URL comes from the environment, so no credential is ever on a command line.
 */
export const MIGRATION_SCRIPT = [
  'import logging, os, sys',
  'import mlflow.store.db.utils as u',
  'logging.basicConfig(level=logging.INFO)',
  "url = os.environ.get('MLFLOW_MIGRATION_URL') or os.environ[os.environ['MLFLOW_MIGRATION_URL_ENV']]",
  'engine = u.create_sqlalchemy_engine_with_retry(url)',
  'if u._all_tables_exist(engine):',
  "    print('mlflow-migrate: upgrading the existing schema to the latest revision', flush=True)",
  '    u._upgrade_db(engine)',
  'else:',
  "    print('mlflow-migrate: empty database, creating the schema', flush=True)",
  '    u._initialize_tables(engine)',
  "print('mlflow-migrate: schema is current', flush=True)",
  "auth_url = os.environ.get('AUTH_DATABASE_URI')",
  'if auth_url:',
  '    # basic-auth migrates its own database when each worker starts: do it once, here, instead',
  '    from mlflow.server.auth.db import utils as auth_db',
  "    print('mlflow-migrate: migrating the basic-auth database', flush=True)",
  "    auth_db.migrate_if_needed(u.create_sqlalchemy_engine_with_retry(auth_url), 'head')",
  "    print('mlflow-migrate: basic-auth schema is current', flush=True)",
].join('\n');

/** The Job's name: one per MLflow version, so an upgrade runs it again. */
function migrationJobName(name: string, image: MlflowImage): string {
  return `${name}-migrate-${image.versionSlug}`.slice(0, 63).replace(/-+$/, '');
}

/** Renders the service account and the Job that migrates the schema once, before the server rolls out. */
export class MigrationJob extends Construct {
  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** Name of the Job's ServiceAccount. */
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, o: MigrationJobOptions) {
    super(scope, id);
    const labels = standardLabels({ name: 'mlflow', instance: o.instance, component: 'migration', version: o.image.mlflowVersion });
    this.serviceAccountName = `${o.name}-migrate`;
    workloadServiceAccount(this, this.serviceAccountName, labels);
    const securityContext = restrictedContainerSecurityContext();
    const small = renderResources(this, 'migration.resources', undefined, resources(['50m', '200m'], ['128Mi', '256Mi'], ['64Mi', '256Mi']));
    const urlEnv: k8s.EnvVar[] = o.backend.uri
      ? [{ name: 'MLFLOW_MIGRATION_URL', value: o.backend.uri }]
      : [{ name: 'MLFLOW_MIGRATION_URL_ENV', value: o.backend.uriEnvName! }];
    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name: migrationJobName(o.name, o.image), labels },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurityContext(this, 'podIdentity', o.podIdentity),
            ...(o.imagePullSecrets.length ? { imagePullSecrets: o.imagePullSecrets.map(name => ({ name })) } : {}),
            initContainers: [waitForTcpContainer({
              name: 'wait-for-database',
              image: o.image.image,
              imagePullPolicy: o.image.pullPolicy,
              what: 'database',
              uriEnv: o.backend.uriEnvName,
              env: o.backend.env,
              attempts: o.waitAttempts,
              securityContext,
              resources: small,
            })],
            containers: [{
              name: 'migrate',
              image: o.image.image,
              imagePullPolicy: o.image.pullPolicy,
              command: ['python3', '-c', MIGRATION_SCRIPT],
              env: [{ name: 'HOME', value: '/tmp' }, { name: 'PYTHONDONTWRITEBYTECODE', value: '1' }, ...urlEnv, ...o.backend.env, ...(o.authDatabase ? [o.authDatabase] : [])],
              securityContext,
              resources: renderResources(this, 'migration.resources', undefined, resources(['100m', '1'], ['512Mi', '1Gi'], ['128Mi', '1Gi'])),
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...o.backend.volumeMounts],
            }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('512Mi') } }, ...o.backend.volumes],
          },
        },
      },
    });
    makeSyncHook(this.job, SyncWave.MIGRATION);
    NetworkModel.of(this).register({
      name: `${o.name}-migrate`,
      podLabels: { 'app.kubernetes.io/instance': o.instance, 'app.kubernetes.io/component': 'migration' },
      ingress: [],
      egress: [...o.backend.egress],
    });
  }
}

