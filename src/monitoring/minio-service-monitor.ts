import { Construct } from 'constructs';
import { SecretKey } from '../secrets/secret-source';
import { MetricsServiceMonitor, ScrapeOptions } from './metrics-service-monitor';

/** MinIO's cluster metrics endpoint (Prometheus v2 API). */
const MINIO_METRICS_PATH = '/minio/v2/metrics/cluster';

/** Props of {@link minioServiceMonitor}. */
export interface MinioServiceMonitorProps extends ScrapeOptions {
  /** Name of the ServiceMonitor. */
  readonly name: string;
  /** Namespace of the MinIO Service. */
  readonly serviceNamespace: string;
  /** Labels of the MinIO Service. */
  readonly serviceLabels: Record<string, string>;
  /**
   * Name of the MinIO S3 API port on the Service.
   * @default 'api'
   */
  readonly portName?: string;
  /**
   * Metrics path.
   * @default '/minio/v2/metrics/cluster'
   */
  readonly path?: string;
  /**
   * Bearer token (from `mc admin prometheus generate`) when MinIO runs with
   * `MINIO_PROMETHEUS_AUTH_TYPE=jwt` (MinIO's default).
   * @default none: MinIO must run with MINIO_PROMETHEUS_AUTH_TYPE=public
   */
  readonly bearerToken?: SecretKey;
  /**
   * Labels of the object's metadata besides `labels`.
   * @default none
   */
  readonly metadataLabels?: Record<string, string>;
}

/**
 * A ServiceMonitor for a MinIO Service: the `api` port at `/minio/v2/metrics/cluster`, with a
 * bearer token when MinIO's Prometheus auth type is `jwt`, or none when it is `public`.
 */
export function minioServiceMonitor(scope: Construct, id: string, props: MinioServiceMonitorProps): MetricsServiceMonitor {
  return new MetricsServiceMonitor(scope, id, {
    ...props,
    portName: props.portName ?? 'api',
    path: props.path ?? MINIO_METRICS_PATH,
  });
}
