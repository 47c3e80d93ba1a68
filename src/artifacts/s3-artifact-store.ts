import { Construct } from 'constructs';
import type { ArtifactStoreBinding, IArtifactStore } from './artifact-store';
import type { StoreBindOptions } from '../backend/backend-store';
import { invalid } from '../common/errors';

/** AWS S3 as the artifact store. */
export interface S3ArtifactStoreOptions {
  /** Bucket name (S3 naming rules: 3-63 characters of a-z, 0-9, '.', '-'). */
  readonly bucket: string;
  /**
   * Key prefix inside the bucket.
   * @default no prefix: artifacts at the bucket root
   */
  readonly prefix?: string;
  /**
   * AWS region of the bucket (sets AWS_DEFAULT_REGION).
   * @default the SDK's own resolution (instance metadata, IRSA)
   */
  readonly region?: string;
}

const BUCKET = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;

/** @internal */
export class S3ArtifactStore implements IArtifactStore {
  constructor(private readonly options: S3ArtifactStoreOptions) {}

  public bind(scope: Construct, _options: StoreBindOptions): ArtifactStoreBinding {
    const o = this.options;
    if (typeof o.bucket !== 'string' || !BUCKET.test(o.bucket) || o.bucket.includes('..')) {
      invalid(scope, 'artifactStore.bucket', o.bucket, "must be an S3 bucket name: 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
    }
    const prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (o.prefix !== undefined && (prefix.length === 0 || /[^A-Za-z0-9!_.*'()\/-]/.test(prefix))) {
      invalid(scope, 'artifactStore.prefix', o.prefix, "must be a non-empty S3 key prefix of letters, digits and !_.*'()/-");
    }
    if (o.region !== undefined && !REGION.test(o.region)) {
      invalid(scope, 'artifactStore.region', o.region, "must be an AWS region such as 'eu-west-1'");
    }
    return {
      destination: `s3://${o.bucket}${prefix ? `/${prefix}` : ''}`,
      env: o.region ? [{ name: 'AWS_DEFAULT_REGION', value: o.region }] : [],
      volumes: [],
      volumeMounts: [],
      serviceAccountAnnotations: {},
      egress: [],
    };
  }
}
