import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';

// A key id (UUID or multi-Region mrk-...), a key ARN, an alias name or an alias ARN.
const KMS_KEY = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws(?:-[a-z-]+)?:kms:[a-z0-9-]+:[0-9]{12}:(?:key\/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})|alias\/[A-Za-z0-9/_-]{1,250}))$/;

/** Options of SSE-KMS. */
export interface S3KmsEncryptionOptions {
  /**
   * The KMS key: key id, key ARN, alias (`alias/mlflow`) or alias ARN. Not a secret.
   * @default the account's AWS managed key `aws/s3`
   */
  readonly keyId?: string;
  /**
   * Use an S3 Bucket Key to cut KMS requests.
   * @default false (the bucket's own setting applies)
   */
  readonly bucketKey?: boolean;
}

/**
 * Server-side encryption requested on every upload (MLFLOW_S3_UPLOAD_EXTRA_ARGS).
 * Choose a form with a static factory.
 */
export abstract class S3Encryption {
  /** SSE-S3: keys managed by S3 (`AES256`). */
  public static s3Managed(): S3Encryption {
    return new FixedEncryption({ ServerSideEncryption: 'AES256' });
  }

  /** SSE-KMS with the given (or the AWS managed) KMS key. */
  public static kms(options: S3KmsEncryptionOptions = {}): S3Encryption {
    return new KmsEncryption(options);
  }

  /**
   * The JSON value of MLFLOW_S3_UPLOAD_EXTRA_ARGS.
   * @internal
   */
  public abstract _render(scope: IConstruct, prop: string): string;
}

class FixedEncryption extends S3Encryption {
  constructor(private readonly args: Record<string, string>) {
    super();
  }
  public _render(): string {
    return JSON.stringify(this.args);
  }
}

class KmsEncryption extends S3Encryption {
  constructor(private readonly options: S3KmsEncryptionOptions) {
    super();
  }
  public _render(scope: IConstruct, prop: string): string {
    const o = this.options;
    const args: Record<string, unknown> = { ServerSideEncryption: 'aws:kms' };
    if (o.keyId !== undefined) {
      if (typeof o.keyId !== 'string' || !KMS_KEY.test(o.keyId)) {
        invalid(scope, `${prop}.keyId`, o.keyId, "must be a KMS key id, key ARN, 'alias/<name>' or alias ARN");
      }
      args.SSEKMSKeyId = o.keyId;
    }
    if (o.bucketKey) args.BucketKeyEnabled = true;
    return JSON.stringify(args);
  }
}
