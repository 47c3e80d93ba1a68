import { Construct } from 'constructs';
import { invalid } from '../common/errors';
import type { MlflowServer } from '../server/mlflow-server';
import type { MlflowServerProps } from '../server/mlflow-server-props';
import { MinioPrometheusAuth } from '../artifacts/minio';
import { MetricsServiceMonitor } from './metrics-service-monitor';
import { minioServiceMonitor } from './minio-service-monitor';
import { MlflowAlerts } from './mlflow-alerts';
import { MlflowDashboard } from './mlflow-dashboard';
import { defaultScraper, MlflowMonitoringOptions } from './monitoring-options';

/** Props of {@link MlflowMonitoring}. */
export interface MlflowMonitoringProps {
  /** The server to watch (rendered with `metrics: true`). */
  readonly server: MlflowServer;
  /** What to render. */
  readonly options: MlflowMonitoringOptions;
}

/**
 * The ServiceMonitor, PrometheusRule and Grafana dashboard of an MLflow server, as asked by
 * {@link MlflowMonitoringOptions}; also admits the scraper in the server's NetworkPolicy.
 */
export class MlflowMonitoring extends Construct {
  /**
   * Whether the server must expose metrics for these options: any monitoring part turns them
   * on; an explicit `metrics: false` with a monitoring part is an error.
   */
  public static serverMetrics(scope: Construct, props: MlflowServerProps, options: MlflowMonitoringOptions | undefined): boolean | undefined {
    const wanted = !!(options?.serviceMonitor || options?.prometheusRule || options?.dashboard);
    if (!wanted) return props.metrics;
    if (props.metrics === false) invalid(scope, 'metrics', false, 'must not be false when monitoring asks for a ServiceMonitor, alerts or a dashboard (they need /metrics)');
    if (options?.serviceMonitor && props.allowPrivateNetworkHosts === false) {
      invalid(scope, 'allowPrivateNetworkHosts', false, 'must stay true with a ServiceMonitor: Prometheus scrapes the pod IP, so the Host header is <pod IP>:<port> and MLflow answers 403 to hosts it does not allow');
    }
    return true;
  }

  /** The server's ServiceMonitor, when asked. */
  public readonly serviceMonitor?: MetricsServiceMonitor;
  /** The in-cluster MinIO's ServiceMonitor, when a ServiceMonitor is asked and the store is MinIO. */
  public readonly minioServiceMonitor?: MetricsServiceMonitor;
  /** The alerts, when asked. */
  public readonly alerts?: MlflowAlerts;
  /** The dashboard, when asked. */
  public readonly dashboard?: MlflowDashboard;

  constructor(scope: Construct, id: string, props: MlflowMonitoringProps) {
    super(scope, id);
    const { server, options } = props;
    if (!server.metricsPath) invalid(this, 'server', server.node.path, 'must be rendered with metrics: true');
    const labels = {
      'app.kubernetes.io/name': 'mlflow',
      'app.kubernetes.io/instance': server.instance,
      'app.kubernetes.io/component': 'monitoring',
      'app.kubernetes.io/part-of': 'mlflow',
      'app.kubernetes.io/managed-by': 'cdk8s-mlflow',
    };

    if (options.serviceMonitor) {
      const sm = options.serviceMonitor;
      this.serviceMonitor = new MetricsServiceMonitor(this, 'ServiceMonitor', {
        ...sm,
        name: server.name,
        serviceNamespace: server.namespace,
        // the Service carries the selector labels too (without the version, which changes on upgrade)
        serviceLabels: server.podSelectorLabels,
        portName: server.portName,
        path: server.metricsPath,
        metadataLabels: labels,
      });
      server.traffic.ingress.push({
        peer: sm.scrapeFrom ?? defaultScraper(),
        ports: [{ port: server.port }],
        description: 'Prometheus scrapes /metrics',
      });
      // MinIO with JWT metrics auth needs a token generated in the cluster: not scraped here.
      const minio = server.artifacts.minio;
      if (minio && minio.prometheusAuth === MinioPrometheusAuth.PUBLIC) {
        this.minioServiceMonitor = minioServiceMonitor(this, 'MinioServiceMonitor', {
          interval: sm.interval,
          scrapeTimeout: sm.scrapeTimeout,
          labels: sm.labels,
          namespace: sm.namespace,
          name: minio.name,
          serviceNamespace: server.namespace,
          serviceLabels: minio.serviceLabels,
          portName: minio.apiPortName,
          path: minio.metricsPath,
        });
        minio.traffic.ingress.push({
          peer: sm.scrapeFrom ?? defaultScraper(),
          ports: [{ port: minio.apiPort }],
          description: 'Prometheus scrapes MinIO metrics',
        });
      }
    }
    if (options.prometheusRule) {
      this.alerts = new MlflowAlerts(this, 'PrometheusRule', {
        databaseStatefulSet: server.backend.databaseStatefulSet,
        minioStatefulSet: server.artifacts.minio?.statefulSet.name,
        ...options.prometheusRule,
        name: server.name,
        targetNamespace: server.namespace,
        deployment: server.name,
        metadataLabels: labels,
      });
    }
    if (options.dashboard) {
      this.dashboard = new MlflowDashboard(this, 'Dashboard', {
        ...options.dashboard,
        name: `${server.name}-dashboard`,
        targetNamespace: server.namespace,
        deployment: server.name,
        container: 'mlflow',
        metadataLabels: labels,
      });
    }
  }
}
