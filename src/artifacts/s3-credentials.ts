import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { SecretKey, SecretSource } from '../secrets/secret-source';

/** The ServiceAccount annotation that EKS reads to give the pods an IAM role (IRSA). */
const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

// arn:<partition>:iam::<12 digits>:role/<optional path/><name>; names 1-64 of [\w+=,.@-].
const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-[a-z])?:iam::[0-9]{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Which Secret keys hold the S3 credentials. The defaults match the common `s3-credentials` layout. */
export interface S3SecretCredentialsOptions {
  /**
   * Key holding the access key id.
   * @default 'AWS_ACCESS_KEY_ID'
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key holding the secret access key.
   * @default 'AWS_SECRET_ACCESS_KEY'
   */
  readonly secretAccessKeyKey?: string;
  /**
   * Key holding a session token (temporary credentials).
   * @default no session token
   */
  readonly sessionTokenKey?: string;
  /**
   * Key holding the region (e.g. `AWS_REGION` of the `s3-credentials` layout). It becomes
   * AWS_DEFAULT_REGION through a secretKeyRef. Do not combine with the store's `region` prop.
   * @default the region is not read from the Secret
   */
  readonly regionKey?: string;
}

/** What a credential form gives the pods that use the store. @internal */
export interface S3CredentialsBinding {
  readonly kind: 'secret' | 'irsa' | 'provider-chain';
  /** Environment of the server (and of direct-mode clients, for a Secret). */
  readonly env: k8s.EnvVar[];
  /** Annotations of the server's ServiceAccount. */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Whether the region comes from the Secret. */
  readonly regionFromSecret: boolean;
  /** The access key id and secret key (for a bucket Job), when from a Secret. */
  readonly accessKeyId?: SecretKey;
  readonly secretAccessKey?: SecretKey;
}

/**
 * How the MLflow server authenticates to S3. Choose a form with a static factory.
 * No form ever renders a key: they come from a Secret or from the cloud identity.
 */
export abstract class S3Credentials {
  /**
   * Static keys from a Secret that already exists (or that a SecretSource renders), read
   * through secretKeyRef. The `s3-credentials` layout (`AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_S3_BUCKET`) works as-is with the default key names;
   * pass `regionKey: 'AWS_REGION'` to take the region from it too. `AWS_S3_BUCKET` is not read:
   * the bucket is a prop so it can be validated at synth.
   */
  public static fromSecret(secret: SecretSource, options: S3SecretCredentialsOptions = {}): S3Credentials {
    return new SecretCredentials(secret, options);
  }

  /**
   * Keyless access on EKS through IAM Roles for Service Accounts: the role ARN becomes the
   * server ServiceAccount annotation `eks.amazonaws.com/role-arn` and no AWS key is injected.
   * The EKS pod identity webhook projects the web identity token into the pod itself.
   * @param roleArn e.g. `arn:aws:iam::123456789012:role/mlflow-artifacts`
   */
  public static irsa(roleArn: string): S3Credentials {
    return new IrsaCredentials(roleArn);
  }

  /**
   * Nothing injected: boto3's default provider chain finds credentials itself (EKS Pod Identity,
   * the node's instance profile, env from `envFromSecrets`). Opens egress to the instance
   * metadata service and the EKS Pod Identity agent.
   */
  public static defaultProviderChain(): S3Credentials {
    return new ProviderChainCredentials();
  }

  /** @internal */
  public abstract _bind(scope: IConstruct, prop: string): S3CredentialsBinding;
}

class SecretCredentials extends S3Credentials {
  constructor(private readonly secret: SecretSource, private readonly options: S3SecretCredentialsOptions) {
    super();
  }

  public _bind(scope: IConstruct, prop: string): S3CredentialsBinding {
    if (!(this.secret instanceof SecretSource)) {
      invalid(scope, `${prop}.secret`, this.secret, "must be a SecretSource, e.g. SecretSource.existing('s3-credentials')");
    }
    const o = this.options;
    const accessKeyId = this.secret.key(o.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID');
    const secretAccessKey = this.secret.key(o.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY');
    accessKeyId._bind(scope, `${prop}.accessKeyIdKey`);
    secretAccessKey._bind(scope, `${prop}.secretAccessKeyKey`);
    const env = [accessKeyId.toEnvVar('AWS_ACCESS_KEY_ID'), secretAccessKey.toEnvVar('AWS_SECRET_ACCESS_KEY')];
    if (o.sessionTokenKey !== undefined) {
      const token = this.secret.key(o.sessionTokenKey);
      token._bind(scope, `${prop}.sessionTokenKey`);
      env.push(token.toEnvVar('AWS_SESSION_TOKEN'));
    }
    if (o.regionKey !== undefined) {
      const region = this.secret.key(o.regionKey);
      region._bind(scope, `${prop}.regionKey`);
      env.push(region.toEnvVar('AWS_DEFAULT_REGION'));
    }
    return { kind: 'secret', env, serviceAccountAnnotations: {}, regionFromSecret: o.regionKey !== undefined, accessKeyId, secretAccessKey };
  }
}

class IrsaCredentials extends S3Credentials {
  constructor(private readonly roleArn: string) {
    super();
  }

  public _bind(scope: IConstruct, prop: string): S3CredentialsBinding {
    if (typeof this.roleArn !== 'string' || !ROLE_ARN.test(this.roleArn) || this.roleArn.length > 2048) {
      invalid(scope, `${prop}.roleArn`, this.roleArn, "must be an IAM role ARN such as 'arn:aws:iam::123456789012:role/mlflow-artifacts'");
    }
    return { kind: 'irsa', env: [], serviceAccountAnnotations: { [IRSA_ROLE_ANNOTATION]: this.roleArn }, regionFromSecret: false };
  }
}

class ProviderChainCredentials extends S3Credentials {
  public _bind(): S3CredentialsBinding {
    return { kind: 'provider-chain', env: [], serviceAccountAnnotations: {}, regionFromSecret: false };
  }
}
