import { Duration, Size } from 'cdk8s';

/** An Ingress in front of the MLflow server. */
export interface MlflowIngressOptions {
  /**
   * Host names served (at least one). Each also joins MLFLOW_SERVER_ALLOWED_HOSTS and the CORS origins.
   */
  readonly hosts: string[];
  /**
   * IngressClass name.
   * @default the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * Secret holding the TLS certificate (created by cert-manager when `clusterIssuer` is set).
   * @default `<name>-tls`
   */
  readonly tlsSecretName?: string;
  /**
   * Serve plain HTTP only. Only for throw-away clusters: credentials and tokens cross the network in clear.
   * @default false
   */
  readonly disableTls?: boolean;
  /**
   * cert-manager ClusterIssuer (annotation `cert-manager.io/cluster-issuer`), e.g. `letsencrypt-prod`.
   * @default no cert-manager annotation: the TLS Secret must exist
   */
  readonly clusterIssuer?: string;
  /**
   * Largest request body (artifact upload through the proxy); nginx `proxy-body-size`.
   * @default Size.gibibytes(5)
   */
  readonly maxBodySize?: Size;
  /**
   * Read and send timeout for slow artifact transfers; nginx `proxy-read-timeout`/`proxy-send-timeout`.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Extra annotations (controller settings).
   * @default none
   */
  readonly annotations?: Record<string, string>;
}
