import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { setSyncWave, skipDryRunOnMissingResource, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { checkDnsLabel, checkLabels, checkNonEmpty } from '../common/validate';
import { PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrule-monitoring.coreos.com';
import { promDuration } from './prom-duration';

/** Thresholds and options of the alerts. */
export interface MlflowAlertOptions {
  /**
   * Fire MlflowHighErrorRatio above this share of 5xx responses (0 < x < 1).
   * @default 0.05
   */
  readonly errorRatio?: number;
  /**
   * Fire MlflowHighLatency when the p95 request duration exceeds this.
   * @default Duration.seconds(2)
   */
  readonly latencyP95?: Duration;
  /**
   * Fire MlflowPvcNearlyFull when a volume's free share drops below this (0 < x < 1).
   * @default 0.1
   */
  readonly pvcFreeRatio?: number;
  /**
   * How long a condition must hold before the alert fires.
   * @default Duration.minutes(10) (Duration.minutes(5) for the server-down alert)
   */
  readonly for?: Duration;
  /**
   * Severity label of the "down" and "not ready" alerts.
   * @default 'critical'
   */
  readonly criticalSeverity?: string;
  /**
   * Severity label of the error, latency and volume alerts.
   * @default 'warning'
   */
  readonly warningSeverity?: string;
  /**
   * Base URL of the runbooks; each alert's `runbook_url` is `<base>#<alert name in lower case>`.
   * @default 'https://github.com/cdk8s-mlflow/cdk8s-mlflow/blob/main/README.md'
   */
  readonly runbookBaseUrl?: string;
  /**
   * Extra labels of the PrometheusRule, matched by the Prometheus `ruleSelector`
   * (e.g. `{ release: 'prometheus' }`).
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * Namespace of the PrometheusRule. The expressions stay scoped to the MLflow namespace.
   * @default the MLflow namespace
   */
  readonly namespace?: string;
}

/** Props of {@link MlflowAlerts}. */
export interface MlflowAlertsProps extends MlflowAlertOptions {
  /** Name of the PrometheusRule. */
  readonly name: string;
  /** Namespace of the MLflow objects (every expression is scoped to it). */
  readonly targetNamespace: string;
  /** Name of the server Deployment (and of its Service: the `service` label of the scraped series). */
  readonly deployment: string;
  /**
   * StatefulSet of the in-cluster PostgreSQL, when there is one.
   * @default no database alert
   */
  readonly databaseStatefulSet?: string;
  /**
   * StatefulSet of the in-cluster MinIO, when there is one.
   * @default no MinIO alert
   */
  readonly minioStatefulSet?: string;
  /**
   * Regular expression (RE2, fully anchored by Prometheus) of the PVC names watched for free space.
   * @default '.*' (every PVC of the namespace)
   */
  readonly pvcRegex?: string;
  /**
   * Labels of the object's metadata besides `labels`.
   * @default none
   */
  readonly metadataLabels?: Record<string, string>;
}

/** The metric names the alert expressions use, by exporter (pinned in the tests). */
export const ALERT_METRICS = {
  /** Served by the MLflow server's exporter (prometheus-flask-exporter). */
  mlflow: ['mlflow_http_request_total', 'mlflow_http_request_duration_seconds_bucket'],
  /** Served by kube-state-metrics. */
  kubeStateMetrics: ['kube_deployment_status_replicas_available', 'kube_deployment_spec_replicas', 'kube_statefulset_status_replicas_ready', 'kube_statefulset_replicas'],
  /** Served by the kubelet. */
  kubelet: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
  /** Prometheus' own scrape series. */
  prometheus: ['up'],
} as const;

/** Default runbook location: the README of this library. */
const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/cdk8s-mlflow/cdk8s-mlflow/blob/main/README.md';

/**
 * A PrometheusRule (typed import) with the alerts that matter for an MLflow deployment: server
 * down, metrics target down, 5xx ratio, p95 latency, database/MinIO not ready, PVC nearly full.
 * Every alert carries a severity, a summary, a description and a `runbook_url` into the README.
 */
export class MlflowAlerts extends Construct {
  /** The PrometheusRule. */
  public readonly rule: PrometheusRule;
  /** The alerting rules, in order. */
  public readonly alerts: PrometheusRuleSpecGroupsRules[];

  constructor(scope: Construct, id: string, props: MlflowAlertsProps) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name);
    const ns = checkDnsLabel(this, 'targetNamespace', props.targetNamespace);
    const deployment = checkDnsLabel(this, 'deployment', props.deployment);
    const namespace = props.namespace === undefined ? undefined : checkDnsLabel(this, 'namespace', props.namespace);
    const labels = checkLabels(this, 'labels', props.labels);
    const metadataLabels = checkLabels(this, 'metadataLabels', props.metadataLabels);
    const errorRatio = ratio(this, 'errorRatio', props.errorRatio ?? 0.05);
    const pvcFree = ratio(this, 'pvcFreeRatio', props.pvcFreeRatio ?? 0.1);
    const latency = props.latencyP95 ?? Duration.seconds(2);
    if (!(latency instanceof Duration) || !(latency.toMilliseconds() > 0) || latency.toMilliseconds() > 600000) {
      invalid(this, 'latencyP95', latency, 'must be a cdk8s Duration above 0 and at most 10 minutes, e.g. Duration.seconds(2)');
    }
    const latencySeconds = latency.toMilliseconds() / 1000;
    const forDefault = promDuration(this, 'for', props.for ?? Duration.minutes(10), 60, 86400);
    const forDown = props.for ? forDefault : '5m';
    const critical = checkLabelish(this, 'criticalSeverity', props.criticalSeverity ?? 'critical');
    const warning = checkLabelish(this, 'warningSeverity', props.warningSeverity ?? 'warning');
    const base = checkNonEmpty(this, 'runbookBaseUrl', props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL);
    if (!/^https?:\/\/[^\s#]+$/.test(base)) invalid(this, 'runbookBaseUrl', base, 'must be an http(s) URL without a fragment');
    const pvcRegex = props.pvcRegex ?? '.*';
    if (typeof pvcRegex !== 'string' || pvcRegex.length === 0 || /["\\\n]/.test(pvcRegex)) {
      invalid(this, 'pvcRegex', pvcRegex, 'must be a non-empty RE2 expression without quotes, backslashes or new lines');
    }
    const sts = {
      database: props.databaseStatefulSet === undefined ? undefined : checkDnsLabel(this, 'databaseStatefulSet', props.databaseStatefulSet),
      minio: props.minioStatefulSet === undefined ? undefined : checkDnsLabel(this, 'minioStatefulSet', props.minioStatefulSet),
    };

    const server = `namespace="${ns}", service="${deployment}"`;
    const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;
    const alert = (a: { name: string; expr: string; for: string; severity: string; summary: string; description: string }): PrometheusRuleSpecGroupsRules => ({
      alert: a.name,
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(a.expr),
      for: a.for,
      labels: { severity: a.severity, namespace: ns },
      annotations: {
        summary: a.summary,
        description: a.description,
        runbook_url: `${base}#${a.name.toLowerCase()}`,
      },
    });

    this.alerts = [
      alert({
        name: 'MlflowServerDown',
        // not when scaled to zero on purpose
        expr: `kube_deployment_status_replicas_available{namespace="${ns}", deployment="${deployment}"} < 1 and on (namespace, deployment) kube_deployment_spec_replicas{namespace="${ns}", deployment="${deployment}"} > 0`,
        for: forDown,
        severity: critical,
        summary: `MLflow server ${ns}/${deployment} has no available replica`,
        description: `Deployment ${ns}/${deployment} has had no available (ready) replica for ${forDown}: the tracking server is unreachable.`,
      }),
      alert({
        name: 'MlflowReplicasMismatch',
        expr: `kube_deployment_status_replicas_available{namespace="${ns}", deployment="${deployment}"} < kube_deployment_spec_replicas{namespace="${ns}", deployment="${deployment}"}`,
        for: forDefault,
        severity: warning,
        summary: `MLflow server ${ns}/${deployment} runs fewer replicas than desired`,
        description: `Deployment ${ns}/${deployment} has had {{ $value }} available replicas, fewer than desired, for ${forDefault}.`,
      }),
      alert({
        name: 'MlflowMetricsTargetDown',
        expr: `up{${server}} == 0`,
        for: forDefault,
        severity: warning,
        summary: `Prometheus cannot scrape MLflow pod {{ $labels.pod }}`,
        description: `The /metrics endpoint of {{ $labels.pod }} in ${ns} has failed to answer scrapes for ${forDefault} (pod down, NetworkPolicy, allowed hosts or basic auth).`,
      }),
      alert({
        name: 'MlflowHighErrorRatio',
        expr: `sum(rate(mlflow_http_request_total{${server}, status=~"5.."}[5m])) / sum(rate(mlflow_http_request_total{${server}}[5m])) > ${errorRatio}`,
        for: forDefault,
        severity: warning,
        summary: `MLflow ${ns}/${deployment} answers more than ${pct(errorRatio)} of requests with 5xx`,
        description: `{{ $value | humanizePercentage }} of the requests to ${ns}/${deployment} have failed with a server error over the last ${forDefault}.`,
      }),
      alert({
        name: 'MlflowHighLatency',
        expr: `histogram_quantile(0.95, sum by (le) (rate(mlflow_http_request_duration_seconds_bucket{${server}}[5m]))) > ${latencySeconds}`,
        for: forDefault,
        severity: warning,
        summary: `MLflow ${ns}/${deployment} p95 latency is above ${latencySeconds}s`,
        description: `The 95th percentile of request durations of ${ns}/${deployment} has been {{ $value | humanizeDuration }} for ${forDefault}.`,
      }),
      ...(sts.database ? [statefulSetAlert('MlflowDatabaseNotReady', 'PostgreSQL', ns, sts.database, forDown, critical)] : []),
      ...(sts.minio ? [statefulSetAlert('MlflowMinioNotReady', 'MinIO', ns, sts.minio, forDown, critical)] : []),
      alert({
        name: 'MlflowPvcNearlyFull',
        expr: `kubelet_volume_stats_available_bytes{namespace="${ns}", persistentvolumeclaim=~"${pvcRegex}"} / kubelet_volume_stats_capacity_bytes{namespace="${ns}", persistentvolumeclaim=~"${pvcRegex}"} < ${pvcFree}`,
        for: forDefault,
        severity: warning,
        summary: `PVC {{ $labels.persistentvolumeclaim }} in ${ns} has less than ${pct(pvcFree)} free`,
        description: `PersistentVolumeClaim ${ns}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free space left.`,
      }),
    ];

    function statefulSetAlert(alertName: string, what: string, n: string, set: string, f: string, severity: string): PrometheusRuleSpecGroupsRules {
      return alert({
        name: alertName,
        expr: `kube_statefulset_status_replicas_ready{namespace="${n}", statefulset="${set}"} < kube_statefulset_replicas{namespace="${n}", statefulset="${set}"}`,
        for: f,
        severity,
        summary: `${what} StatefulSet ${n}/${set} has pods that are not ready`,
        description: `StatefulSet ${n}/${set} has had fewer ready replicas than desired for ${f}; MLflow requests that need ${what} fail meanwhile.`,
      });
    }

    this.rule = new PrometheusRule(this, 'Resource', {
      metadata: { name, ...(namespace ? { namespace } : {}), labels: { ...metadataLabels, ...labels } },
      spec: { groups: [{ name: `mlflow.${ns}.${deployment}`, rules: this.alerts }] },
    });
    setSyncWave(this.rule, SyncWave.EXPOSURE);
    skipDryRunOnMissingResource(this.rule);
  }
}

function ratio(scope: Construct, prop: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) invalid(scope, prop, value, 'must be a number between 0 and 1 (exclusive), e.g. 0.05');
  return value;
}

function checkLabelish(scope: Construct, prop: string, value: string): string {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(value)) invalid(scope, prop, value, 'must be a short lower-case label value such as "critical"');
  return value;
}
