import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { setSyncWave, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { checkDnsLabel, checkDnsSubdomain, checkLabels, checkLabelValue, checkNonEmpty, checkQualifiedName } from '../common/validate';

/** Options of the Grafana dashboard ConfigMap. */
export interface MlflowDashboardOptions {
  /**
   * Label key the Grafana dashboard sidecar watches (`sidecar.dashboards.label`).
   * @default 'grafana_dashboard'
   */
  readonly labelKey?: string;
  /**
   * Value of that label (`sidecar.dashboards.labelValue`).
   * @default '1'
   */
  readonly labelValue?: string;
  /**
   * Grafana folder of the dashboard, set through `folderAnnotation`.
   * @default no folder annotation (the sidecar's default folder)
   */
  readonly folder?: string;
  /**
   * Annotation key the sidecar reads the folder from (`sidecar.dashboards.folderAnnotation`).
   * @default 'grafana_folder'
   */
  readonly folderAnnotation?: string;
  /**
   * Namespace of the ConfigMap: the sidecar only searches its own namespace unless
   * `sidecar.dashboards.searchNamespace` says otherwise.
   * @default the MLflow namespace
   */
  readonly namespace?: string;
}

/** Props of {@link MlflowDashboard}. */
export interface MlflowDashboardProps extends MlflowDashboardOptions {
  /** Name of the ConfigMap. */
  readonly name: string;
  /** Namespace of the MLflow objects (every query is scoped to it). */
  readonly targetNamespace: string;
  /** Name of the server Deployment and Service. */
  readonly deployment: string;
  /** Name of the server container. */
  readonly container: string;
  /**
   * Labels of the object's metadata besides the sidecar label.
   * @default none
   */
  readonly metadataLabels?: Record<string, string>;
}

/** The metric names the dashboard queries (pinned in the tests). */
export const DASHBOARD_METRICS = [
  'mlflow_http_request_total',
  'mlflow_http_request_duration_seconds_bucket',
  'kube_deployment_status_replicas_available',
  'kube_deployment_spec_replicas',
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
] as const;

/**
 * The MLflow Grafana dashboard as a ConfigMap picked up by the Grafana sidecar: request rate,
 * 5xx ratio, latency p50/p95/p99, replicas, CPU and memory. The JSON is deterministic: keys
 * sorted, no timestamps, a uid derived from the namespace and deployment.
 */
export class MlflowDashboard extends Construct {
  /** The ConfigMap. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The dashboard JSON (exactly as stored in the ConfigMap). */
  public readonly json: string;

  constructor(scope: Construct, id: string, props: MlflowDashboardProps) {
    super(scope, id);
    const name = checkDnsSubdomain(this, 'name', props.name);
    const ns = checkDnsLabel(this, 'targetNamespace', props.targetNamespace);
    const deployment = checkDnsLabel(this, 'deployment', props.deployment);
    const namespace = props.namespace === undefined ? undefined : checkDnsLabel(this, 'namespace', props.namespace);
    const labelKey = checkQualifiedName(this, 'labelKey', props.labelKey ?? 'grafana_dashboard');
    const labelValue = checkLabelValue(this, 'labelValue', props.labelValue ?? '1');
    const folderAnnotation = checkQualifiedName(this, 'folderAnnotation', props.folderAnnotation ?? 'grafana_folder');
    if (props.folder !== undefined) checkNonEmpty(this, 'folder', props.folder);
    const metadataLabels = checkLabels(this, 'metadataLabels', props.metadataLabels);
    if (typeof props.container !== 'string' || props.container.length === 0) invalid(this, 'container', props.container, 'must be the server container name');

    this.json = stableStringify(dashboardModel(ns, deployment, props.container));
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name,
        ...(namespace ? { namespace } : {}),
        labels: { ...metadataLabels, [labelKey]: labelValue },
        ...(props.folder !== undefined ? { annotations: { [folderAnnotation]: props.folder } } : {}),
      },
      data: { [`${deployment}-${ns}.json`]: this.json },
    });
    setSyncWave(this.configMap, SyncWave.EXPOSURE);
  }
}

/** JSON with object keys sorted at every level and 2-space indentation. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), undefined, 2) + '\n';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map(k => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly targets: { expr: string; legend: string }[];
  readonly description: string;
}

function dashboardModel(ns: string, deployment: string, container: string): object {
  const svc = `namespace="${ns}", service="${deployment}"`;
  const dep = `namespace="${ns}", deployment="${deployment}"`;
  const pods = `namespace="${ns}", pod=~"${deployment}-[a-z0-9]+-[a-z0-9]+", container="${container}"`;
  const quantile = (q: number) => ({
    expr: `histogram_quantile(${q}, sum by (le) (rate(mlflow_http_request_duration_seconds_bucket{${svc}}[$__rate_interval])))`,
    legend: `p${Math.round(q * 100)}`,
  });
  const panels: PanelSpec[] = [
    {
      title: 'Request rate',
      unit: 'reqps',
      description: 'HTTP requests per second, by status code.',
      targets: [{ expr: `sum by (status) (rate(mlflow_http_request_total{${svc}}[$__rate_interval]))`, legend: '{{status}}' }],
    },
    {
      title: 'Error ratio (5xx)',
      unit: 'percentunit',
      description: 'Share of requests answered with a 5xx status.',
      targets: [{
        expr: `sum(rate(mlflow_http_request_total{${svc}, status=~"5.."}[$__rate_interval])) / sum(rate(mlflow_http_request_total{${svc}}[$__rate_interval]))`,
        legend: '5xx ratio',
      }],
    },
    {
      title: 'Latency',
      unit: 's',
      description: 'Request duration percentiles.',
      targets: [quantile(0.5), quantile(0.95), quantile(0.99)],
    },
    {
      title: 'Replicas',
      unit: 'short',
      description: 'Available and desired replicas of the server Deployment.',
      targets: [
        { expr: `kube_deployment_status_replicas_available{${dep}}`, legend: 'available' },
        { expr: `kube_deployment_spec_replicas{${dep}}`, legend: 'desired' },
      ],
    },
    {
      title: 'CPU',
      unit: 'short',
      description: 'CPU cores used per server pod.',
      targets: [{ expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods}}[$__rate_interval]))`, legend: '{{pod}}' }],
    },
    {
      title: 'Memory',
      unit: 'bytes',
      description: 'Working set memory per server pod.',
      targets: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${pods}})`, legend: '{{pod}}' }],
    },
  ];
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  return {
    annotations: { list: [] },
    description: `MLflow tracking server ${ns}/${deployment}`,
    editable: false,
    graphTooltip: 1,
    links: [],
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      description: p.description,
      datasource,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legend, datasource })),
    })),
    refresh: '1m',
    schemaVersion: 39,
    tags: ['mlflow', 'cdk8s-mlflow'],
    templating: {
      list: [{
        name: 'datasource',
        label: 'Data source',
        type: 'datasource',
        query: 'prometheus',
        current: {},
        hide: 0,
        refresh: 1,
        options: [],
      }],
    },
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    title: `MLflow / ${ns} / ${deployment}`,
    uid: dashboardUid(ns, deployment),
    version: 1,
  };
}

/** A uid stable for a namespace and deployment (Grafana allows up to 40 characters). */
export function dashboardUid(ns: string, deployment: string): string {
  const full = `mlflow-${ns}-${deployment}`;
  if (full.length <= 40) return full;
  let h = 0x811c9dc5;
  for (const ch of full) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${full.slice(0, 31)}-${h.toString(16).padStart(8, '0')}`;
}
