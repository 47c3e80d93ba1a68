import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BackendStoreBinding, IBackendStore, StoreBindOptions } from './backend-store';
import { PostgresBootstrapJob } from './postgres-bootstrap-job';
import { checkPgIdentifier, POSTGRES_PORT, postgresImage } from './postgres-common';
import { PVC_PROTECTION_ANNOTATIONS, setSyncWave, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { ImagePullPolicy } from '../common/image';
import { selectorLabels, standardLabels } from '../common/labels';
import { PodIdentity, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/pod-security';
import { ContainerResources, renderResources, resources } from '../common/resources';
import { checkDnsSubdomain, checkSize } from '../common/validate';
import { NetworkModel, WorkloadTraffic } from '../network/network-model';
import { NetworkPeer } from '../network/network-peer';
import { SecretKey } from '../secrets/secret-source';
import { workloadServiceAccount } from '../common/workload-identity';

/** Default requests and limits of the PostgreSQL container. */
const POSTGRES_DEFAULT_RESOURCES = resources(['250m', '2'], ['512Mi', '1Gi'], ['256Mi', '1Gi']);

/** Where the volume is mounted; PGDATA is a subdirectory of it (see {@link POSTGRES_PGDATA}). */
const POSTGRES_DATA_MOUNT = '/var/lib/postgresql/data';
/**
 * PGDATA, one level below the mount point: PostgreSQL insists that its data directory is owned
 * by the user it runs as with mode 0700/0750, which a volume root (lost+found, fsGroup set-gid
 * bits) is not. The image's entrypoint creates it and re-applies 0700 on every start.
 */
const POSTGRES_PGDATA = `${POSTGRES_DATA_MOUNT}/pgdata`;

const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteOncePod'];
const PORT_NAME = 'postgresql';

/** An in-cluster PostgreSQL (StatefulSet of one). */
export interface InClusterPostgresOptions {
  /**
   * The Secret key holding the password of `user` (POSTGRES_PASSWORD at first start; the
   * server and the migration Job read it as PGPASSWORD). Create the Secret before applying.
   * The image sets the password only when it initialises an empty volume: to rotate it later,
   * run `ALTER ROLE` in the database as well.
   */
  readonly password: SecretKey;
  /**
   * The role MLflow connects as. The official image makes it the bootstrap superuser of this
   * dedicated instance (it owns the database and nothing else lives there).
   * @default 'mlflow'
   */
  readonly user?: string;
  /**
   * The database MLflow uses (created at first start).
   * @default 'mlflow'
   */
  readonly database?: string;
  /**
   * PostgreSQL major version of the pinned official image (16 or 17). Changing it on an existing
   * volume needs a `pg_upgrade`: PostgreSQL refuses to start on another major's data directory.
   * @default 17
   */
  readonly postgresMajor?: number;
  /**
   * A pinned image of your own (a mirror of the official `postgres` Debian image, which has
   * `libnss-wrapper` for arbitrary UIDs). Wins over `postgresMajor`.
   * @default the official image of `postgresMajor`, e.g. postgres:17.9-bookworm
   */
  readonly image?: string;
  /**
   * Pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Size of the data volume. A StatefulSet's volumeClaimTemplates cannot change after creation:
   * grow an existing volume by editing its PVC (if the storage class allows expansion).
   * @default Size.gibibytes(10)
   */
  readonly size?: Size;
  /**
   * Storage class of the data volume.
   * @default the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Access modes of the data volume (ReadWriteOnce or ReadWriteOncePod; one PostgreSQL per volume).
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: string[];
  /**
   * Requests and limits of the PostgreSQL container.
   * @default cpu 250m/2, memory 512Mi/1Gi, ephemeral storage 256Mi/1Gi
   */
  readonly resources?: ContainerResources;
  /**
   * Size of the memory-backed /dev/shm (PostgreSQL's dynamic shared memory, e.g. parallel
   * queries); it counts against the memory limit.
   * @default Size.mebibytes(256)
   */
  readonly shmSize?: Size;
  /**
   * More databases on this server for the same role, e.g. `['mlflow_auth']` for basic-auth's
   * separate database. When set, a bootstrap Job (Argo CD Sync hook before the migration)
   * creates the missing ones with the same idempotent script as the external form's bootstrap.
   * @default none (no bootstrap Job)
   */
  readonly extraDatabases?: string[];
  /**
   * UID, GID and fsGroup the pod runs as (the image's entrypoint supports any UID).
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
}

/** @internal */
export class InClusterPostgres implements IBackendStore {
  constructor(private readonly options: InClusterPostgresOptions) {}

  public bind(scope: Construct, options: StoreBindOptions): BackendStoreBinding {
    const db = new InClusterPostgresResources(scope, 'Postgres', this.options, options);
    const svc = `${db.serviceName}.${options.namespace}.svc`;
    const egress = [{ peer: NetworkPeer.pods(db.podSelectorLabels), ports: [{ port: POSTGRES_PORT }], description: 'in-cluster PostgreSQL' }];
    const extra = this.options.extraDatabases ?? [];
    if (!Array.isArray(extra)) invalid(db, 'backendStore.extraDatabases', extra, 'must be a list of database names');
    if (extra.length > 0) {
      // The role is the instance's superuser: it is both the admin and the owner here.
      new PostgresBootstrapJob(scope, 'PostgresBootstrap', {
        ...options,
        host: svc,
        port: POSTGRES_PORT,
        database: db.database,
        user: db.user,
        password: this.options.password,
        tlsEnv: [],
        volumes: [],
        volumeMounts: [],
        egress,
        prop: 'backendStore',
        bootstrap: {
          adminPassword: this.options.password,
          adminUser: db.user,
          adminDatabase: db.database,
          extraDatabases: extra,
          image: db.image,
          imagePullPolicy: this.options.imagePullPolicy,
          podIdentity: this.options.podIdentity,
        },
      });
      db.traffic.ingress.push({
        peer: NetworkPeer.pods({ 'app.kubernetes.io/instance': options.instance, 'app.kubernetes.io/component': 'database-bootstrap' }),
        ports: [{ port: POSTGRES_PORT }],
        description: 'the bootstrap Job',
      });
    }
    return {
      uri: 'postgresql+psycopg2://',
      env: [
        { name: 'PGHOST', value: svc },
        { name: 'PGPORT', value: String(POSTGRES_PORT) },
        { name: 'PGDATABASE', value: db.database },
        { name: 'PGUSER', value: db.user },
        this.options.password.toEnvVar('PGPASSWORD'),
      ],
      volumes: [],
      volumeMounts: [],
      egress,
      databasePodLabels: db.podSelectorLabels,
      databaseStatefulSet: db.statefulSet.name,
    };
  }
}

/** What {@link BackendStore.inCluster} renders: ServiceAccount, StatefulSet, headless and client Services. */
class InClusterPostgresResources extends Construct {
  /** Name of the client Service (and of the StatefulSet). */
  public readonly serviceName: string;
  /** Name of the headless Service the StatefulSet governs. */
  public readonly headlessServiceName: string;
  /** Labels that select the PostgreSQL pod. */
  public readonly podSelectorLabels: Record<string, string>;
  /** The database. */
  public readonly database: string;
  /** The role. */
  public readonly user: string;
  /** The image. */
  public readonly image: string;
  /** The database pods' declared traffic (NetworkPolicy source). */
  public readonly traffic: WorkloadTraffic;
  /** The StatefulSet. */
  public readonly statefulSet: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, o: InClusterPostgresOptions, bind: StoreBindOptions) {
    super(scope, id);
    const p = 'backendStore';
    if (!(o.password instanceof SecretKey)) {
      invalid(this, `${p}.password`, o.password, 'must be a SecretKey, e.g. SecretKey.fromExisting("mlflow-postgres", "password")');
    }
    o.password._bind(this, `${p}.password`);
    this.user = checkPgIdentifier(this, `${p}.user`, o.user ?? 'mlflow');
    this.database = checkPgIdentifier(this, `${p}.database`, o.database ?? 'mlflow');
    const image = postgresImage(this, p, o.postgresMajor, o.image);
    this.image = image;
    const pullPolicy = o.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
    const size = checkSize(this, `${p}.size`, o.size ?? Size.gibibytes(10));
    const shm = checkSize(this, `${p}.shmSize`, o.shmSize ?? Size.mebibytes(256));
    if (o.storageClassName !== undefined) checkDnsSubdomain(this, `${p}.storageClassName`, o.storageClassName);
    const accessModes = o.accessModes ?? ['ReadWriteOnce'];
    if (!Array.isArray(accessModes) || accessModes.length === 0 || accessModes.some(m => !ACCESS_MODES.includes(m))) {
      invalid(this, `${p}.accessModes`, accessModes, `must be a non-empty list of ${ACCESS_MODES.join(', ')} (a PostgreSQL volume is never shared)`);
    }
    const res = renderResources(this, `${p}.resources`, o.resources, POSTGRES_DEFAULT_RESOURCES);
    const memoryLimit = (o.resources?.memory ?? POSTGRES_DEFAULT_RESOURCES.memory).limit;
    if ((o.shmSize ?? Size.mebibytes(256)).toKibibytes() >= memoryLimit.toKibibytes()) {
      invalid(this, `${p}.shmSize`, shm, `must be below the memory limit (${memoryLimit.asString()}): /dev/shm is memory`);
    }

    const name = `${bind.name}-postgresql`;
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    const version = /^postgres:([0-9]+\.[0-9]+)-/.exec(image)?.[1];
    const meta = { name: 'postgresql', instance: bind.instance, component: 'database' };
    const labels = standardLabels({ ...meta, version });
    this.podSelectorLabels = selectorLabels(meta);

    // Only the server and the migration Job of this stack may connect.
    this.traffic = NetworkModel.of(this).register({
      name,
      podLabels: this.podSelectorLabels,
      ingress: [
        {
          peer: NetworkPeer.pods({ 'app.kubernetes.io/instance': bind.instance, 'app.kubernetes.io/component': 'server' }),
          ports: [{ port: POSTGRES_PORT }],
          description: 'the MLflow server',
        },
        {
          peer: NetworkPeer.pods({ 'app.kubernetes.io/instance': bind.instance, 'app.kubernetes.io/component': 'migration' }),
          ports: [{ port: POSTGRES_PORT }],
          description: 'the schema migration Job',
        },
      ],
      egress: [],
    });

    workloadServiceAccount(this, name, labels);

    const headless = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { name: this.headlessServiceName, labels },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: this.podSelectorLabels,
        ports: [{ name: PORT_NAME, port: POSTGRES_PORT, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' }],
      },
    });
    setSyncWave(headless, SyncWave.DATA_STORES);

    const client = new k8s.KubeService(this, 'Service', {
      metadata: { name, labels },
      spec: {
        type: 'ClusterIP',
        selector: this.podSelectorLabels,
        ports: [{ name: PORT_NAME, port: POSTGRES_PORT, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' }],
      },
    });
    setSyncWave(client, SyncWave.DATA_STORES);

    // pg_isready does not authenticate; it needs -U/-d only so libpq does not look the UID up in /etc/passwd.
    const isReady = (host: string) => ['pg_isready', '--host', host, '--port', String(POSTGRES_PORT), '--username', this.user, '--dbname', this.database, '--timeout', '4'];
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name, labels },
      spec: {
        replicas: 1,
        serviceName: this.headlessServiceName,
        selector: { matchLabels: this.podSelectorLabels },
        // Never two PostgreSQL processes on one volume: a StatefulSet replaces its pod by deleting it
        // and waiting until it is gone before it creates the successor (same name, same PVC) —
        // unlike a Deployment, it has no surge. OrderedReady keeps that one-at-a-time guarantee.
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 5,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(this, `${p}.podIdentity`, o.podIdentity),
            // The image stops with SIGINT (fast shutdown); give a checkpoint time to finish.
            terminationGracePeriodSeconds: 120,
            containers: [{
              name: 'postgresql',
              image,
              imagePullPolicy: pullPolicy,
              command: ['docker-entrypoint.sh'],
              args: ['postgres'],
              ports: [{ name: PORT_NAME, containerPort: POSTGRES_PORT, protocol: 'TCP' }],
              env: [
                { name: 'PGDATA', value: POSTGRES_PGDATA },
                { name: 'POSTGRES_USER', value: this.user },
                o.password.toEnvVar('POSTGRES_PASSWORD'),
                { name: 'POSTGRES_DB', value: this.database },
                // Password (SCRAM) for local socket connections too, and page checksums.
                { name: 'POSTGRES_INITDB_ARGS', value: '--auth-local=scram-sha-256 --auth-host=scram-sha-256 --data-checksums' },
              ],
              securityContext: restrictedContainerSecurityContext(),
              resources: res,
              startupProbe: { exec: { command: isReady('127.0.0.1') }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 120 },
              readinessProbe: { exec: { command: isReady('127.0.0.1') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
              livenessProbe: { exec: { command: isReady('/var/run/postgresql') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
              volumeMounts: [
                { name: 'data', mountPath: POSTGRES_DATA_MOUNT },
                { name: 'run', mountPath: '/var/run/postgresql' },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'shm', mountPath: '/dev/shm' },
              ],
            }],
            volumes: [
              { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
              { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(shm) } },
            ],
          },
        },
        volumeClaimTemplates: [{
          // No version label here: volumeClaimTemplates are immutable.
          metadata: { name: 'data', labels: standardLabels(meta), annotations: { ...PVC_PROTECTION_ANNOTATIONS } },
          spec: {
            accessModes,
            ...(o.storageClassName !== undefined ? { storageClassName: o.storageClassName } : {}),
            resources: { requests: { storage: k8s.Quantity.fromString(size) } },
          },
        }],
      },
    });
    setSyncWave(this.statefulSet, SyncWave.DATA_STORES);
  }
}
