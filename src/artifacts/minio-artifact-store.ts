import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import type { ArtifactStoreBinding, IArtifactStore } from './artifact-store';
import type { StoreBindOptions } from '../backend/backend-store';
import { invalid } from '../common/errors';
import { checkImage, ImagePullPolicy } from '../common/image';
import { PodIdentity } from '../common/pod-security';
import { ContainerResources } from '../common/resources';
import { checkInt } from '../common/validate';
import { NetworkPeer } from '../network/network-peer';
import { SecretSource } from '../secrets/secret-source';
import { BucketJob, DEFAULT_MC_IMAGE } from './bucket-job';
import { DEFAULT_MINIO_IMAGE, Minio, MINIO_API_PORT, MinioPrometheusAuth } from './minio';
import { S3Credentials } from './s3-credentials';
import { checkBucket, checkPrefix, s3Uri } from './s3-naming';

/** An in-cluster MinIO as the artifact store. */
export interface MinioArtifactStoreOptions {
  /**
   * An existing Secret with the MinIO root credentials (MinIO reads them at start-up and the
   * bucket Job uses them).
   */
  readonly rootCredentials: SecretSource;
  /**
   * Key of the root user in `rootCredentials`.
   * @default 'MINIO_ROOT_USER'
   */
  readonly rootUserKey?: string;
  /**
   * Key of the root password in `rootCredentials`.
   * @default 'MINIO_ROOT_PASSWORD'
   */
  readonly rootPasswordKey?: string;
  /**
   * Credentials the MLflow server uses (e.g. a dedicated MinIO user you created, from its own Secret).
   * Only `S3Credentials.fromSecret(...)` is meaningful here.
   * @default the root credentials
   */
  readonly serverCredentials?: S3Credentials;
  /**
   * Bucket created by the bucket Job.
   * @default 'mlflow'
   */
  readonly bucket?: string;
  /**
   * Key prefix inside the bucket.
   * @default no prefix
   */
  readonly prefix?: string;
  /**
   * Enable object versioning on the bucket (`mc version enable`). The in-cluster MinIO runs a
   * single drive, where MinIO does not support versioning (it needs erasure coding), so `true`
   * is refused at synth; for versioned artifacts use a distributed MinIO through
   * `ArtifactStore.s3Compatible({ bucketJob: { versioning: true } })`.
   * @default false
   */
  readonly versioning?: boolean;
  /**
   * Size of the data volume.
   * @default Size.gibibytes(50)
   */
  readonly storageSize?: Size;
  /**
   * StorageClass of the data volume.
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * MinIO image, pinned.
   * @default 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z'
   */
  readonly image?: string;
  /**
   * MinIO client image of the bucket Job, pinned.
   * @default 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z'
   */
  readonly mcImage?: string;
  /**
   * Pull policy of both images.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Requests and limits of MinIO.
   * @default cpu 250m/2, memory 1Gi/2Gi, ephemeral-storage 256Mi/1Gi
   */
  readonly resources?: ContainerResources;
  /**
   * UID/GID/fsGroup of MinIO and of the bucket Job (all ≥ 10000; fsGroup makes the volume writable).
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /**
   * How Prometheus authenticates to the metrics endpoint.
   * @default MinioPrometheusAuth.PUBLIC (reachability is limited by the NetworkPolicy)
   */
  readonly prometheusAuth?: MinioPrometheusAuth;
  /**
   * Attempts (5 s apart) of the bucket Job to reach MinIO.
   * @default 60 (5 minutes)
   */
  readonly waitAttempts?: number;
}

/** @internal */
export class MinioArtifactStore implements IArtifactStore {
  constructor(private readonly options: MinioArtifactStoreOptions) {}

  public bind(scope: Construct, options: StoreBindOptions): ArtifactStoreBinding {
    const o = this.options;
    if (!(o.rootCredentials instanceof SecretSource)) {
      invalid(scope, 'artifactStore.rootCredentials', o.rootCredentials, "must be a SecretSource, e.g. SecretSource.existing('minio-root')");
    }
    const rootUser = o.rootCredentials.key(o.rootUserKey ?? 'MINIO_ROOT_USER');
    const rootPassword = o.rootCredentials.key(o.rootPasswordKey ?? 'MINIO_ROOT_PASSWORD');
    rootUser._bind(scope, 'artifactStore.rootUserKey');
    rootPassword._bind(scope, 'artifactStore.rootPasswordKey');
    const bucket = checkBucket(scope, 'artifactStore.bucket', o.bucket ?? 'mlflow');
    if (o.versioning) {
      invalid(scope, 'artifactStore.versioning', o.versioning, 'is not supported by the in-cluster single-drive MinIO (MinIO versions objects only on erasure-coded deployments); use a distributed MinIO with ArtifactStore.s3Compatible({ bucketJob: { versioning: true } })');
    }
    const prefix = checkPrefix(scope, 'artifactStore.prefix', o.prefix);
    const image = checkImage(scope, 'artifactStore.image', o.image ?? DEFAULT_MINIO_IMAGE);
    const mcImage = checkImage(scope, 'artifactStore.mcImage', o.mcImage ?? DEFAULT_MC_IMAGE);
    const pullPolicy = o.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
    if (!Object.values(ImagePullPolicy).includes(pullPolicy)) invalid(scope, 'artifactStore.imagePullPolicy', pullPolicy, 'must be an ImagePullPolicy');
    const prometheusAuth = o.prometheusAuth ?? MinioPrometheusAuth.PUBLIC;
    if (!Object.values(MinioPrometheusAuth).includes(prometheusAuth)) invalid(scope, 'artifactStore.prometheusAuth', prometheusAuth, 'must be a MinioPrometheusAuth');
    const attempts = checkInt(scope, 'artifactStore.waitAttempts', o.waitAttempts ?? 60, 1, 10000);

    const serverCredentials = o.serverCredentials ?? S3Credentials.fromSecret(o.rootCredentials, {
      accessKeyIdKey: o.rootUserKey ?? 'MINIO_ROOT_USER',
      secretAccessKeyKey: o.rootPasswordKey ?? 'MINIO_ROOT_PASSWORD',
    });
    if (!(serverCredentials instanceof S3Credentials)) invalid(scope, 'artifactStore.serverCredentials', serverCredentials, 'must be S3Credentials.fromSecret(...)');
    const creds = serverCredentials._bind(scope, 'artifactStore.serverCredentials');
    if (creds.kind !== 'secret') invalid(scope, 'artifactStore.serverCredentials', creds.kind, 'MinIO needs keys: use S3Credentials.fromSecret(...)');

    const minio = new Minio(scope, 'Minio', {
      name: options.name,
      namespace: options.namespace,
      instance: options.instance,
      clusterDomain: options.clusterDomain ?? 'cluster.local',
      rootUser,
      rootPassword,
      image,
      imagePullPolicy: pullPolicy,
      storageSize: o.storageSize,
      storageClassName: o.storageClassName,
      resources: o.resources,
      podIdentity: o.podIdentity,
      prometheusAuth,
    });
    const toMinio = { peer: NetworkPeer.pods(minio.podSelectorLabels), ports: [{ port: MINIO_API_PORT }], description: 'in-cluster MinIO S3 API' };
    const job = new BucketJob(scope, 'Bucket', {
      name: options.name,
      instance: options.instance,
      endpoint: minio.endpoint,
      bucket,
      versioning: o.versioning ?? false,
      accessKeyId: rootUser,
      secretAccessKey: rootPassword,
      image: mcImage,
      imagePullPolicy: pullPolicy,
      podIdentity: o.podIdentity,
      insecure: false,
      attempts,
      egress: [toMinio],
    });
    minio.traffic.ingress.push(
      {
        peer: NetworkPeer.pods({ 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/instance': options.instance }),
        ports: [{ port: MINIO_API_PORT }],
        description: 'MLflow server reads and writes artifacts',
      },
      { peer: NetworkPeer.pods(job.podLabels), ports: [{ port: MINIO_API_PORT }], description: 'bucket Job creates the bucket' },
    );

    const endpointEnv = [
      { name: 'MLFLOW_S3_ENDPOINT_URL', value: minio.endpoint },
      { name: 'MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE', value: 'path' },
    ];
    return {
      destination: s3Uri(bucket, prefix),
      env: [...endpointEnv, ...creds.env],
      volumes: [],
      volumeMounts: [],
      serviceAccountAnnotations: {},
      egress: [toMinio],
      clientEnv: [...endpointEnv, ...creds.env],
      minio,
    };
  }
}
