import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { makeSyncHook, SyncWave } from '../common/argocd';
import { standardLabels } from '../common/labels';
import { PodIdentity, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/pod-security';
import { renderResources, resources } from '../common/resources';
import { NetworkModel, WorkloadTraffic } from '../network/network-model';
import { EgressRule } from '../network/network-peer';
import { SecretKey } from '../secrets/secret-source';
import { CaBundleMount } from './ca-bundle';
import { workloadServiceAccount } from '../common/workload-identity';

/** The pinned MinIO client image of the bucket Job. */
export const DEFAULT_MC_IMAGE = 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z';

/** The component label of bucket Job pods. */
const BUCKET_JOB_COMPONENT = 'bucket-setup';

/**
 * Creates the bucket once, idempotently. The keys arrive as environment variables from
 * secretKeyRef and are piped to `mc alias set` on stdin (`printf` is a shell builtin), so they
 * never appear in any process's argv nor in the manifest; mc keeps them in its config file on a
 * memory-backed emptyDir. `mc alias set` without `--api` probes the endpoint, so it doubles as
 * the bounded wait. Anonymous access is never touched: a new bucket is private.
 */
export const BUCKET_SCRIPT = [
  'set -eu',
  'mkdir -p "$MC_CONFIG_DIR/certs/CAs"',
  'if [ -n "${S3_CA_FILE:-}" ]; then cp "$S3_CA_FILE" "$MC_CONFIG_DIR/certs/CAs/ca.crt"; fi',
  'i=0',
  'until printf \'%s\\n%s\\n\' "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY" | mc alias set ${MC_EXTRA_FLAGS:-} --path on target "$S3_ENDPOINT" >/dev/null; do',
  '  i=$((i + 1))',
  '  if [ "$i" -ge "$WAIT_ATTEMPTS" ]; then echo "bucket-setup: $S3_ENDPOINT not usable after $i attempts" >&2; exit 1; fi',
  '  echo "bucket-setup: waiting for $S3_ENDPOINT (attempt $i/$WAIT_ATTEMPTS)"',
  '  sleep 5',
  'done',
  'mc mb ${MC_EXTRA_FLAGS:-} --ignore-existing "target/$S3_BUCKET"',
  'if [ "$S3_VERSIONING" = "true" ]; then mc version enable ${MC_EXTRA_FLAGS:-} "target/$S3_BUCKET"; fi',
  'echo "bucket-setup: bucket $S3_BUCKET is ready (versioning: $S3_VERSIONING)"',
].join('\n');

/** Options of the {@link BucketJob} construct (normally built by the artifact stores). */
export interface BucketJobOptions {
  /** Base name of the stack: the Job and its ServiceAccount are `<name>-bucket`. */
  readonly name: string;
  /** app.kubernetes.io/instance. */
  readonly instance: string;
  /** Endpoint URL, e.g. `http://mlflow-minio.mlflow.svc.cluster.local:9000`. */
  readonly endpoint: string;
  /** Bucket to create. */
  readonly bucket: string;
  /** Enable object versioning. */
  readonly versioning: boolean;
  /** Secret key holding the access key id. */
  readonly accessKeyId: SecretKey;
  /** Secret key holding the secret access key. */
  readonly secretAccessKey: SecretKey;
  /** Pinned mc image. */
  readonly image: string;
  /** Pull policy. */
  readonly imagePullPolicy: string;
  /**
   * UID/GID/fsGroup (all ≥ 10000).
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /**
   * A CA bundle for a TLS endpoint.
   * @default the image's trust store
   */
  readonly caBundle?: CaBundleMount;
  /** Skip TLS verification (`mc --insecure`). */
  readonly insecure: boolean;
  /** Attempts, 5 s apart, to reach the endpoint. */
  readonly attempts: number;
  /** Where the Job connects (the endpoint). */
  readonly egress: EgressRule[];
}

/** A one-shot Job (Argo CD Sync hook in the store set-up wave) that creates the artifact bucket. */
export class BucketJob extends Construct {
  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** Its ServiceAccount (dedicated, no token). */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** Labels that select the Job's pods. */
  public readonly podLabels: Record<string, string>;
  /** The Job pods' declared traffic. */
  public readonly traffic: WorkloadTraffic;

  constructor(scope: Construct, id: string, o: BucketJobOptions) {
    super(scope, id);
    const jobName = `${o.name}-bucket`;
    const labels = standardLabels({ name: 'mc', instance: o.instance, component: BUCKET_JOB_COMPONENT });
    this.podLabels = { 'app.kubernetes.io/instance': o.instance, 'app.kubernetes.io/component': BUCKET_JOB_COMPONENT };
    this.serviceAccount = workloadServiceAccount(this, jobName, labels);

    const env: k8s.EnvVar[] = [
      { name: 'HOME', value: '/tmp' },
      { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' },
      { name: 'S3_ENDPOINT', value: o.endpoint },
      { name: 'S3_BUCKET', value: o.bucket },
      { name: 'S3_VERSIONING', value: o.versioning ? 'true' : 'false' },
      { name: 'WAIT_ATTEMPTS', value: String(o.attempts) },
      ...(o.insecure ? [{ name: 'MC_EXTRA_FLAGS', value: '--insecure' }] : []),
      ...(o.caBundle ? [{ name: 'S3_CA_FILE', value: o.caBundle.path }] : []),
      o.accessKeyId.toEnvVar('S3_ACCESS_KEY_ID'),
      o.secretAccessKey.toEnvVar('S3_SECRET_ACCESS_KEY'),
    ];
    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name: jobName, labels },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: Math.max(600, o.attempts * 5 * 2),
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: jobName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurityContext(this, 'bucketJob.podIdentity', o.podIdentity),
            containers: [{
              name: 'mc',
              image: o.image,
              imagePullPolicy: o.imagePullPolicy,
              command: ['/bin/sh', '-c', BUCKET_SCRIPT],
              env,
              securityContext: restrictedContainerSecurityContext(),
              resources: renderResources(this, 'bucketJob.resources', undefined, resources(['50m', '200m'], ['64Mi', '128Mi'], ['32Mi', '64Mi'])),
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(o.caBundle ? [o.caBundle.mount] : [])],
            }],
            // Memory-backed: mc's config file holds the keys and must not reach the node's disk.
            volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } }, ...(o.caBundle ? [o.caBundle.volume] : [])],
          },
        },
      },
    });
    makeSyncHook(this.job, SyncWave.STORE_SETUP);
    this.traffic = NetworkModel.of(this).register({
      name: jobName,
      podLabels: this.podLabels,
      ingress: [],
      egress: [...o.egress],
    });
  }
}
