import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ArtifactStoreBinding, IArtifactStore } from './artifact-store';
import type { StoreBindOptions } from '../backend/backend-store';
import { invalid } from '../common/errors';
import { checkImage, ImagePullPolicy } from '../common/image';
import { PodIdentity } from '../common/pod-security';
import { checkInt, checkLabels, checkPort, checkUrl } from '../common/validate';
import { isIpv4 } from '../network/cidr';
import { EgressRule, NetworkPeer } from '../network/network-peer';
import { BucketJob, DEFAULT_MC_IMAGE } from './bucket-job';
import { CaBundle } from './ca-bundle';
import { S3Credentials } from './s3-credentials';
import { checkBucket, checkOtherRegion, checkPrefix, s3Uri } from './s3-naming';

/** The optional Job that creates the bucket on an S3-compatible endpoint. */
export interface S3CompatibleBucketJobOptions {
  /**
   * Enable object versioning on the bucket (`mc version enable`).
   * @default false
   */
  readonly versioning?: boolean;
  /**
   * MinIO client image, pinned.
   * @default 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z'
   */
  readonly image?: string;
  /**
   * Pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * UID/GID/fsGroup of the Job (all ≥ 10000).
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /**
   * Attempts (5 s apart) to reach the endpoint.
   * @default 60 (5 minutes)
   */
  readonly waitAttempts?: number;
}

/** An S3-compatible endpoint (MinIO elsewhere, Ceph RGW, ...) as the artifact store. */
export interface S3CompatibleArtifactStoreOptions {
  /** Endpoint URL (`http://` or `https://`, no credentials, no path), e.g. `https://minio.minio.svc.cluster.local:9000`. */
  readonly endpoint: string;
  /** Bucket name (S3 naming rules). */
  readonly bucket: string;
  /**
   * Key prefix inside the bucket.
   * @default no prefix
   */
  readonly prefix?: string;
  /** Keys from a Secret: `S3Credentials.fromSecret(...)`. */
  readonly credentials: S3Credentials;
  /**
   * Region name the store expects (sets AWS_DEFAULT_REGION).
   * @default none (boto3's default)
   */
  readonly region?: string;
  /**
   * The CA that signed the endpoint's certificate, mounted read-only and named by AWS_CA_BUNDLE.
   * Only for `https://`; exclusive with `ignoreTls`.
   * @default the image's system trust store
   */
  readonly caBundle?: CaBundle;
  /**
   * Skip TLS certificate verification (MLFLOW_S3_IGNORE_TLS=true). Exclusive with `caBundle`.
   * @default false
   */
  readonly ignoreTls?: boolean;
  /**
   * Render a Job that creates the bucket (and enables versioning when asked).
   * @default no Job: the bucket must exist
   */
  readonly bucketJob?: S3CompatibleBucketJobOptions;
  /**
   * Where the server (and the bucket Job) may connect.
   * @default for `<service>.<namespace>.svc[.<domain>]` every pod of that namespace; for an IP address
   *   that address; otherwise required (pass the endpoint's CIDRs)
   */
  readonly egressPeers?: NetworkPeer[];
  /**
   * Labels of the endpoint's pods, to narrow the egress of a cluster-internal endpoint from its
   * whole namespace to those pods (e.g. `{'app.kubernetes.io/name': 'minio'}`).
   * @default every pod of the endpoint's namespace
   */
  readonly endpointPodLabels?: Record<string, string>;
  /**
   * The port the endpoint's pods (or hosts) listen on, for the NetworkPolicy (a Service may map
   * its port to another target port).
   * @default the URL's port, else 443 for https and 80 for http
   */
  readonly egressPort?: number;
}


/** @internal */
export class S3CompatibleArtifactStore implements IArtifactStore {
  constructor(private readonly options: S3CompatibleArtifactStoreOptions) {}

  public bind(scope: Construct, options: StoreBindOptions): ArtifactStoreBinding {
    const o = this.options;
    const url = checkUrl(scope, 'artifactStore.endpoint', o.endpoint, ['http', 'https']);
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      invalid(scope, 'artifactStore.endpoint', o.endpoint, "must not have a path, query or fragment: path-style addressing puts the bucket after the host, e.g. 'https://minio.example.com:9000'");
    }
    const endpoint = `${url.protocol}//${url.host}`;
    const https = url.protocol === 'https:';
    const bucket = checkBucket(scope, 'artifactStore.bucket', o.bucket);
    const prefix = checkPrefix(scope, 'artifactStore.prefix', o.prefix);
    if (o.region !== undefined) checkOtherRegion(scope, 'artifactStore.region', o.region);
    if (!(o.credentials instanceof S3Credentials)) invalid(scope, 'artifactStore.credentials', o.credentials, 'must be S3Credentials.fromSecret(...)');
    const creds = o.credentials._bind(scope, 'artifactStore.credentials');
    if (creds.kind !== 'secret') invalid(scope, 'artifactStore.credentials', creds.kind, 'an S3-compatible endpoint needs keys: use S3Credentials.fromSecret(...)');
    if (o.region !== undefined && creds.regionFromSecret) invalid(scope, 'artifactStore.region', o.region, 'set the region either here or through credentials regionKey, not both');

    // TLS: verified against a CA bundle, or explicitly not verified; never both.
    if (o.caBundle !== undefined && o.ignoreTls) {
      invalid(scope, 'artifactStore.caBundle', '(with ignoreTls: true)', 'choose one: verify TLS with caBundle, or skip verification with ignoreTls (MLFLOW_S3_IGNORE_TLS would silently override AWS_CA_BUNDLE)');
    }
    if ((o.caBundle !== undefined || o.ignoreTls) && !https) {
      invalid(scope, 'artifactStore.endpoint', o.endpoint, 'caBundle and ignoreTls apply to https:// endpoints only');
    }
    if (o.caBundle !== undefined && !(o.caBundle instanceof CaBundle)) {
      invalid(scope, 'artifactStore.caBundle', o.caBundle, "must be CaBundle.fromConfigMap(...) or CaBundle.fromSecret(...)");
    }
    const ca = o.caBundle?._mount(scope, 'artifactStore.caBundle', 's3-ca-bundle');

    const port = o.egressPort !== undefined ? checkPort(scope, 'artifactStore.egressPort', o.egressPort) : Number(url.port || (https ? 443 : 80));
    const egress = this.egress(scope, url.hostname, port, options.clusterDomain ?? 'cluster.local');

    const env: k8s.EnvVar[] = [
      { name: 'MLFLOW_S3_ENDPOINT_URL', value: endpoint },
      { name: 'MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE', value: 'path' },
      ...(o.region ? [{ name: 'AWS_DEFAULT_REGION', value: o.region }] : []),
      ...(ca ? [{ name: 'AWS_CA_BUNDLE', value: ca.path }] : []),
      ...(o.ignoreTls ? [{ name: 'MLFLOW_S3_IGNORE_TLS', value: 'true' }] : []),
    ];

    if (o.bucketJob) {
      const j = o.bucketJob;
      const pullPolicy = j.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
      if (!Object.values(ImagePullPolicy).includes(pullPolicy)) invalid(scope, 'artifactStore.bucketJob.imagePullPolicy', pullPolicy, 'must be an ImagePullPolicy');
      new BucketJob(scope, 'Bucket', {
        name: options.name,
        instance: options.instance,
        endpoint,
        bucket,
        versioning: j.versioning ?? false,
        accessKeyId: creds.accessKeyId!,
        secretAccessKey: creds.secretAccessKey!,
        image: checkImage(scope, 'artifactStore.bucketJob.image', j.image ?? DEFAULT_MC_IMAGE),
        imagePullPolicy: pullPolicy,
        podIdentity: j.podIdentity,
        caBundle: ca,
        insecure: o.ignoreTls ?? false,
        attempts: checkInt(scope, 'artifactStore.bucketJob.waitAttempts', j.waitAttempts ?? 60, 1, 10000),
        egress,
      });
    }

    return {
      destination: s3Uri(bucket, prefix),
      env: [...env, ...creds.env],
      volumes: ca ? [ca.volume] : [],
      volumeMounts: ca ? [ca.mount] : [],
      serviceAccountAnnotations: {},
      egress,
      clientEnv: [...env, ...creds.env],
    };
  }

  private egress(scope: Construct, host: string, port: number, clusterDomain: string): EgressRule[] {
    const o = this.options;
    const description = `S3-compatible endpoint ${host}:${port}`;
    if (o.egressPeers !== undefined) {
      if (!Array.isArray(o.egressPeers) || o.egressPeers.length === 0 || o.egressPeers.some(p => !(p instanceof NetworkPeer))) {
        invalid(scope, 'artifactStore.egressPeers', o.egressPeers, 'must be a non-empty list of NetworkPeer objects');
      }
      return o.egressPeers.map(peer => ({ peer, ports: [{ port }], description }));
    }
    const svc = new RegExp(`^[a-z0-9-]+\\.([a-z0-9-]+)\\.svc(\\.${clusterDomain.replace(/\./g, '\\.')})?$`).exec(host);
    if (svc) {
      const ns = { 'kubernetes.io/metadata.name': svc[1] };
      const peer = o.endpointPodLabels !== undefined
        ? NetworkPeer.pods(checkLabels(scope, 'artifactStore.endpointPodLabels', o.endpointPodLabels), ns)
        : NetworkPeer.namespaces(ns);
      return [{ peer, ports: [{ port }], description }];
    }
    if (isIpv4(host)) return [{ peer: NetworkPeer.ipBlock(`${host}/32`), ports: [{ port }], description }];
    return invalid(scope, 'artifactStore.egressPeers', undefined, `the endpoint host '${host}' is outside the cluster: pass the address blocks it lives in, e.g. [NetworkPeer.ipBlock('10.20.0.0/24')]`);
  }
}
