import { NetworkPeer } from '../network/network-peer';
import { MlflowAlertOptions } from './mlflow-alerts';
import { MlflowDashboardOptions } from './mlflow-dashboard';
import { ScrapeBasicAuth, ScrapeOptions } from './metrics-service-monitor';

/** Options of the MLflow server's ServiceMonitor. */
export interface MlflowServiceMonitorOptions extends ScrapeOptions {
  /**
   * Basic auth of the scrape, required when MLflow runs with `--app-name basic-auth`
   * (`/metrics` then needs credentials). The Secret must live in the ServiceMonitor's namespace.
   * @default no auth
   */
  readonly basicAuth?: ScrapeBasicAuth;
  /**
   * Who scrapes: the NetworkPolicy of the server pods admits these pods on the server port.
   * @default pods labelled `app.kubernetes.io/name: prometheus` in the namespace `monitoring`
   */
  readonly scrapeFrom?: NetworkPeer;
}

/** Options of the PrometheusRule. */
export interface MlflowPrometheusRuleOptions extends MlflowAlertOptions {
  /**
   * StatefulSet of an in-cluster PostgreSQL to alert on.
   * @default no database alert
   */
  readonly databaseStatefulSet?: string;
  /**
   * StatefulSet of an in-cluster MinIO to alert on.
   * @default no MinIO alert
   */
  readonly minioStatefulSet?: string;
  /**
   * RE2 expression of the PVC names watched for free space.
   * @default '.*' (every PVC of the namespace)
   */
  readonly pvcRegex?: string;
}

/**
 * Prometheus and Grafana integration of an MLflow deployment. Each part is off unless set,
 * since the ServiceMonitor and PrometheusRule CRDs may be missing from the cluster; any part
 * turns on the server's `/metrics` endpoint.
 */
export interface MlflowMonitoringOptions {
  /**
   * A ServiceMonitor for the server (needs the prometheus-operator CRDs).
   * @default none
   */
  readonly serviceMonitor?: MlflowServiceMonitorOptions;
  /**
   * A PrometheusRule with the MLflow alerts (needs the prometheus-operator CRDs).
   * @default none
   */
  readonly prometheusRule?: MlflowPrometheusRuleOptions;
  /**
   * A Grafana dashboard ConfigMap for the Grafana sidecar.
   * @default none
   */
  readonly dashboard?: MlflowDashboardOptions;
}

/** Default scraper: kube-prometheus-stack's Prometheus pods in the `monitoring` namespace. */
export function defaultScraper(): NetworkPeer {
  return NetworkPeer.pods({ 'app.kubernetes.io/name': 'prometheus' }, { 'kubernetes.io/metadata.name': 'monitoring' });
}
