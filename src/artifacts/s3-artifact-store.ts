import { Construct } from 'constructs';
import type { ArtifactStoreBinding, IArtifactStore } from './artifact-store';
import type { StoreBindOptions } from '../backend/backend-store';
import { invalid } from '../common/errors';
import { NetworkPeer } from '../network/network-peer';
import { S3Credentials } from './s3-credentials';
import { S3Encryption } from './s3-encryption';
import { checkAwsRegion, checkBucket, checkPrefix, s3Uri } from './s3-naming';
import { PRIVATE_IPV4_RANGES } from '../network/cidr';

/** AWS S3 as the artifact store. */
export interface S3ArtifactStoreOptions {
  /** Bucket name (S3 naming rules: 3-63 characters of a-z, 0-9, '.', '-'). MLflow never creates it. */
  readonly bucket: string;
  /**
   * Key prefix inside the bucket.
   * @default no prefix: artifacts at the bucket root
   */
  readonly prefix?: string;
  /**
   * AWS region of the bucket (sets AWS_DEFAULT_REGION). Leave it out when the credentials read the
   * region from their Secret (`regionKey`).
   * @default the SDK's own resolution (IRSA and EKS Pod Identity inject AWS_REGION)
   */
  readonly region?: string;
  /**
   * How the server authenticates.
   * @default S3Credentials.defaultProviderChain(): no key injected (prefer irsa() or fromSecret())
   */
  readonly credentials?: S3Credentials;
  /**
   * Server-side encryption requested on every upload (MLFLOW_S3_UPLOAD_EXTRA_ARGS).
   * @default none: the bucket's default encryption applies
   */
  readonly encryption?: S3Encryption;
  /**
   * Where the server may connect on 443/TCP to reach S3 and STS (e.g. an egress proxy or the
   * CIDRs of VPC endpoints).
   * @default any public IPv4 address: 0.0.0.0/0 except 10/8, 172.16/12 and 192.168/16
   */
  readonly egressPeers?: NetworkPeer[];
}

/** @internal */
export class S3ArtifactStore implements IArtifactStore {
  constructor(private readonly options: S3ArtifactStoreOptions) {}

  public bind(scope: Construct, _options: StoreBindOptions): ArtifactStoreBinding {
    const o = this.options;
    const bucket = checkBucket(scope, 'artifactStore.bucket', o.bucket);
    const prefix = checkPrefix(scope, 'artifactStore.prefix', o.prefix);
    if (o.region !== undefined) checkAwsRegion(scope, 'artifactStore.region', o.region);
    const credentials = o.credentials ?? S3Credentials.defaultProviderChain();
    if (!(credentials instanceof S3Credentials)) {
      invalid(scope, 'artifactStore.credentials', credentials, 'must be S3Credentials.fromSecret(...), .irsa(...) or .defaultProviderChain()');
    }
    const creds = credentials._bind(scope, 'artifactStore.credentials');
    if (o.region !== undefined && creds.regionFromSecret) {
      invalid(scope, 'artifactStore.region', o.region, 'set the region either here or through credentials regionKey, not both');
    }
    if (o.encryption !== undefined && !(o.encryption instanceof S3Encryption)) {
      invalid(scope, 'artifactStore.encryption', o.encryption, 'must be S3Encryption.s3Managed() or S3Encryption.kms(...)');
    }
    // No MLFLOW_S3_ENDPOINT_URL: boto3 resolves the regional endpoint, which IRSA setups rely on.
    const shared = [
      ...(o.region ? [{ name: 'AWS_DEFAULT_REGION', value: o.region }] : []),
      ...(o.encryption ? [{ name: 'MLFLOW_S3_UPLOAD_EXTRA_ARGS', value: o.encryption._render(scope, 'artifactStore.encryption') }] : []),
    ];
    const peers = o.egressPeers ?? [NetworkPeer.ipBlock('0.0.0.0/0', [...PRIVATE_IPV4_RANGES])];
    for (const p of peers) if (!(p instanceof NetworkPeer)) invalid(scope, 'artifactStore.egressPeers', p, 'must be NetworkPeer objects');
    const egress = peers.map(peer => ({ peer, ports: [{ port: 443 }], description: 'AWS S3 and STS (HTTPS)' }));
    if (creds.kind === 'provider-chain') {
      egress.push({
        peer: NetworkPeer.ipBlock('169.254.169.254/32'),
        ports: [{ port: 80 }],
        description: 'instance metadata service (default credential chain)',
      }, {
        peer: NetworkPeer.ipBlock('169.254.170.23/32'),
        ports: [{ port: 80 }],
        description: 'EKS Pod Identity agent (default credential chain)',
      });
    }
    return {
      destination: s3Uri(bucket, prefix),
      env: [...shared, ...creds.env],
      volumes: [],
      volumeMounts: [],
      serviceAccountAnnotations: creds.serviceAccountAnnotations,
      egress,
      // Direct-mode clients need the same region and encryption; a Secret's keys only if they
      // share it (IRSA and the provider chain give every client its own identity).
      clientEnv: [...shared, ...(creds.kind === 'secret' ? creds.env : [])],
    };
  }
}
