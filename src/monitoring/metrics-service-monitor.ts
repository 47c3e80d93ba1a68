import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { setSyncWave, skipDryRunOnMissingResource, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { checkDnsLabel, checkLabels, checkPortName } from '../common/validate';
import {
  ServiceMonitor,
  ServiceMonitorSpecEndpoints,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/servicemonitor-monitoring.coreos.com';
import { SecretKey } from '../secrets/secret-source';
import { promDuration, promSeconds } from './prom-duration';

/** HTTP basic auth of a scrape, from Secret keys in the ServiceMonitor's namespace. */
export interface ScrapeBasicAuth {
  /** Key holding the user name. */
  readonly username: SecretKey;
  /** Key holding the password. */
  readonly password: SecretKey;
}

/** Options shared by every ServiceMonitor this library renders. */
export interface ScrapeOptions {
  /**
   * How often Prometheus scrapes.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * How long a scrape may take; at most `interval`.
   * @default Duration.seconds(10), or the interval when it is shorter
   */
  readonly scrapeTimeout?: Duration;
  /**
   * Extra labels of the ServiceMonitor, matched by the Prometheus `serviceMonitorSelector`
   * (e.g. `{ release: 'prometheus' }` for kube-prometheus-stack with its default selector).
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * Namespace of the ServiceMonitor (e.g. the one Prometheus watches). The Service is still
   * selected in its own namespace; Secrets for `basicAuth`/`bearerToken` must live in this one.
   * @default the namespace of the Service
   */
  readonly namespace?: string;
}

/** Props of {@link MetricsServiceMonitor}. */
export interface MetricsServiceMonitorProps extends ScrapeOptions {
  /** Name of the ServiceMonitor (DNS-1123 label). */
  readonly name: string;
  /** Namespace of the scraped Service. */
  readonly serviceNamespace: string;
  /** Labels of the scraped Service (`spec.selector.matchLabels`); at least one. */
  readonly serviceLabels: Record<string, string>;
  /** Name of the Service port that serves the metrics (a port *name*, never a number). */
  readonly portName: string;
  /** HTTP path of the metrics (always rendered). */
  readonly path: string;
  /**
   * Scheme.
   * @default ServiceMonitorSpecEndpointsScheme.HTTP
   */
  readonly scheme?: ServiceMonitorSpecEndpointsScheme;
  /**
   * HTTP basic auth (e.g. MLflow with `--app-name basic-auth`).
   * @default none
   */
  readonly basicAuth?: ScrapeBasicAuth;
  /**
   * Bearer token from a Secret key (e.g. MinIO with `MINIO_PROMETHEUS_AUTH_TYPE=jwt`).
   * @default none
   */
  readonly bearerToken?: SecretKey;
  /**
   * Labels of the object's metadata besides `labels` (e.g. the standard app.kubernetes.io set).
   * @default none
   */
  readonly metadataLabels?: Record<string, string>;
}

const METRICS_HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/**
 * A prometheus-operator ServiceMonitor (typed import) for any Service: selects it by labels in
 * its namespace, scrapes one named port at one path. Argo CD skips its dry run when the CRD is
 * missing and syncs it with what exposes the service (wave EXPOSURE).
 */
export class MetricsServiceMonitor extends Construct {
  /** The ServiceMonitor. */
  public readonly serviceMonitor: ServiceMonitor;
  /** The rendered endpoint (for tests and for callers that wire more objects). */
  public readonly endpoint: ServiceMonitorSpecEndpoints;

  constructor(scope: Construct, id: string, props: MetricsServiceMonitorProps) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name);
    const serviceNamespace = checkDnsLabel(this, 'serviceNamespace', props.serviceNamespace);
    const namespace = props.namespace === undefined ? undefined : checkDnsLabel(this, 'namespace', props.namespace);
    const serviceLabels = checkLabels(this, 'serviceLabels', props.serviceLabels);
    if (Object.keys(serviceLabels).length === 0) invalid(this, 'serviceLabels', serviceLabels, 'must hold at least one label: an empty selector would scrape every Service');
    const portName = checkPortName(this, 'portName', props.portName);
    if (typeof props.path !== 'string' || !METRICS_HTTP_PATH.test(props.path)) invalid(this, 'path', props.path, "must be an absolute URL path such as '/metrics'");
    const labels = checkLabels(this, 'labels', props.labels);
    const metadataLabels = checkLabels(this, 'metadataLabels', props.metadataLabels);
    const interval = promDuration(this, 'interval', props.interval ?? Duration.seconds(30), 1, 3600);
    // default: 10s, or the interval when that is shorter
    const scrapeTimeout = props.scrapeTimeout === undefined
      ? (promSeconds(interval) < 10 ? interval : '10s')
      : promDuration(this, 'scrapeTimeout', props.scrapeTimeout, 1, 3600);
    if (promSeconds(scrapeTimeout) > promSeconds(interval)) {
      invalid(this, 'scrapeTimeout', scrapeTimeout, `must not exceed the interval (${interval})`);
    }
    if (props.basicAuth && props.bearerToken) invalid(this, 'bearerToken', '(set)', 'basicAuth and bearerToken are mutually exclusive');
    if (props.basicAuth) {
      if (!(props.basicAuth.username instanceof SecretKey) || !(props.basicAuth.password instanceof SecretKey)) {
        invalid(this, 'basicAuth', '(not SecretKeys)', 'username and password must be SecretKeys, e.g. SecretKey.fromExisting(name, key)');
      }
      props.basicAuth.username._bind(this, 'basicAuth.username');
      props.basicAuth.password._bind(this, 'basicAuth.password');
    }
    if (props.bearerToken) {
      if (!(props.bearerToken instanceof SecretKey)) invalid(this, 'bearerToken', '(not a SecretKey)', 'must be a SecretKey');
      props.bearerToken._bind(this, 'bearerToken');
    }
    const scheme = props.scheme ?? ServiceMonitorSpecEndpointsScheme.HTTP;

    this.endpoint = {
      port: portName,
      path: props.path,
      scheme,
      interval,
      scrapeTimeout,
      honorLabels: false,
      ...(props.basicAuth ? {
        basicAuth: {
          username: { name: props.basicAuth.username.secretName, key: props.basicAuth.username.key },
          password: { name: props.basicAuth.password.secretName, key: props.basicAuth.password.key },
        },
      } : {}),
      ...(props.bearerToken ? {
        authorization: { type: 'Bearer', credentials: { name: props.bearerToken.secretName, key: props.bearerToken.key } },
      } : {}),
    };
    this.serviceMonitor = new ServiceMonitor(this, 'Resource', {
      metadata: {
        name,
        ...(namespace ? { namespace } : {}),
        labels: { ...metadataLabels, ...labels },
      },
      spec: {
        selector: { matchLabels: { ...serviceLabels } },
        namespaceSelector: { matchNames: [serviceNamespace] },
        endpoints: [this.endpoint],
      },
    });
    setSyncWave(this.serviceMonitor, SyncWave.EXPOSURE);
    skipDryRunOnMissingResource(this.serviceMonitor);
  }
}
