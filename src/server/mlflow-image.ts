import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkImage, ImagePullPolicy } from '../common/image';

/** The MLflow version the default image pins. */
export const DEFAULT_MLFLOW_VERSION = '3.17.0';

const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;

/** Options of a custom MLflow image. */
export interface CustomMlflowImageOptions {
  /**
   * MLflow version inside the image (`X.Y.Z`). It names the migration Job and decides
   * which features the manifests may use (e.g. MLFLOW_AUTH_ADMIN_* from 3.16.1).
   */
  readonly mlflowVersion: string;
  /**
   * Pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/**
 * The image the MLflow server, its migration Job and its init containers run.
 * It must contain `mlflow`, `psycopg2`, `boto3` and `prometheus-flask-exporter`.
 */
export class MlflowImage {
  /**
   * The official `ghcr.io/mlflow/mlflow:v<version>-full` image (3.9.0 and later ship the
   * `-full` variant with the database, S3, auth and Prometheus extras).
   * @param version MLflow version `X.Y.Z`; defaults to {@link DEFAULT_MLFLOW_VERSION}
   */
  public static official(version: string = DEFAULT_MLFLOW_VERSION): MlflowImage {
    return new MlflowImage(`ghcr.io/mlflow/mlflow:v${version}-full`, version, ImagePullPolicy.IF_NOT_PRESENT, true);
  }

  /**
   * An image of your own, e.g. `FROM ghcr.io/mlflow/mlflow:v2.22.1` plus `psycopg2-binary boto3
   * prometheus-flask-exporter`, or a mirror in a private registry.
   * @param image pinned reference (tag other than `latest`, or digest)
   */
  public static custom(image: string, options: CustomMlflowImageOptions): MlflowImage {
    return new MlflowImage(image, options.mlflowVersion, options.pullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT, false);
  }

  private constructor(
    /** The image reference. */
    public readonly image: string,
    /** The MLflow version inside. */
    public readonly mlflowVersion: string,
    /** Pull policy. */
    public readonly pullPolicy: ImagePullPolicy,
    private readonly official: boolean,
  ) {}

  /**
   * Validates the reference and the version.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (typeof this.mlflowVersion !== 'string' || !VERSION.test(this.mlflowVersion)) {
      invalid(scope, `${prop}.mlflowVersion`, this.mlflowVersion, "must be an MLflow version 'X.Y.Z', e.g. '3.17.0'");
    }
    if (this.official && this.compare('3.9.0') < 0) {
      invalid(scope, `${prop}.mlflowVersion`, this.mlflowVersion, 'the official -full image exists from 3.9.0; for older versions build an image with psycopg2-binary, boto3 and prometheus-flask-exporter and use MlflowImage.custom()');
    }
    checkImage(scope, `${prop}.image`, this.image);
  }

  /** Whether the MLflow inside is at least `version` (X.Y.Z). */
  public atLeast(version: string): boolean {
    return this.compare(version) >= 0;
  }

  /** The version as a DNS-label-safe suffix, e.g. `3-17-0`. */
  public get versionSlug(): string {
    return this.mlflowVersion.replace(/\./g, '-');
  }

  private compare(version: string): number {
    const a = this.mlflowVersion.split('.').map(Number);
    const b = version.split('.').map(Number);
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  }
}
