import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { baseProps, envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { MetricsServiceMonitor, MlflowAlerts, MlflowChart, MlflowDashboard, NetworkPeer, SecretKey } from '../src';
import { minioServiceMonitor } from '../src/monitoring/minio-service-monitor';
import { ALERT_METRICS } from '../src/monitoring/mlflow-alerts';
import { DASHBOARD_METRICS, dashboardUid, stableStringify } from '../src/monitoring/mlflow-dashboard';

/**
 * The series the exporters actually expose, pinned from their sources:
 * - MLflow `mlflow/server/prometheus_exporter.py`: prometheus-flask-exporter's
 *   GunicornInternalPrometheusMetrics with `defaults_prefix="mlflow"`, `export_defaults=True`
 *   (docs/monitoring: mlflow_exporter_info, mlflow_http_request_total,
 *   mlflow_http_request_exceptions_total, mlflow_http_request_duration_seconds histogram);
 *   `/health` and `/version` are excluded. Counter and histogram carry `method` and `status`.
 * - kube-state-metrics (Deployment, StatefulSet, Pod metrics), the kubelet (volume stats),
 *   cAdvisor via the kubelet (container CPU/memory), and Prometheus itself (`up`).
 */
const EXPOSED = {
  mlflow: [
    'mlflow_exporter_info',
    'mlflow_http_request_total',
    'mlflow_http_request_exceptions_total',
    'mlflow_http_request_duration_seconds_bucket',
    'mlflow_http_request_duration_seconds_sum',
    'mlflow_http_request_duration_seconds_count',
  ],
  kubeStateMetrics: [
    'kube_deployment_status_replicas_available',
    'kube_deployment_spec_replicas',
    'kube_statefulset_status_replicas_ready',
    'kube_statefulset_replicas',
    'kube_pod_status_ready',
  ],
  kubelet: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
  cadvisor: ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'],
  prometheus: ['up'],
};
const ALL_EXPOSED = new Set(Object.values(EXPOSED).flat());
const PROMQL_WORDS = new Set(['sum', 'rate', 'histogram_quantile', 'and', 'on', 'by', 'unless', 'or']);

/** Metric names of a PromQL expression; fails on any identifier that is neither a metric nor a known function/keyword. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\b(by|on|without|ignoring)\s*\([^)]*\)/g, '$1')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  const names: string[] = [];
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const id = m[0];
    if (PROMQL_WORDS.has(id)) continue;
    const next = stripped[m.index! + id.length];
    if (next !== '{') throw new Error(`bare identifier ${id} in ${expr}: every series must be scoped with a {selector}`);
    names.push(id);
  }
  return names;
}

const FULL = {
  serviceMonitor: { labels: { release: 'prometheus' }, interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(5) },
  prometheusRule: { labels: { release: 'prometheus' }, databaseStatefulSet: 'mlflow-postgresql', minioStatefulSet: 'mlflow-minio' },
  dashboard: { folder: 'MLflow' },
};

describe('server metrics', () => {
  test('off by default: plain mlflow command, no exporter, no monitoring objects', () => {
    const objects = synthMlflow();
    const c = serverContainer(objects);
    expect(c.command).toEqual(['mlflow']);
    expect(c.args).not.toContain('--expose-prometheus');
    expect(objects.filter(o => ['ServiceMonitor', 'PrometheusRule', 'ConfigMap'].includes(o.kind))).toHaveLength(0);
  });

  test('on: --expose-prometheus on its own emptyDir, emptied at every container start, same args', () => {
    const plain = serverContainer(synthMlflow());
    const objects = synthMlflow({ metrics: true });
    const c = serverContainer(objects);
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(c.args).toEqual([...plain.args, '--expose-prometheus', '/prometheus-multiproc']);
    expect(pod.volumes).toContainEqual({ name: 'prometheus-multiproc', emptyDir: { sizeLimit: '128Mi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'prometheus-multiproc', mountPath: '/prometheus-multiproc' });
    // sh -c '<script>' argv0 args...: the script empties the dir, then execs mlflow with the args unchanged
    expect(c.command).toEqual(['/bin/sh', '-c', 'find /prometheus-multiproc -mindepth 1 -delete && exec mlflow "$@"', 'mlflow']);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('metrics are on the http port, outside --static-prefix', () => {
    const app = Testing.app();
    const chart = new MlflowChart(app, 'p', baseProps({ staticPrefix: '/mlflow', monitoring: { serviceMonitor: {} } }));
    const objects = Testing.synth(chart);
    expect(chart.server.metricsPath).toBe('/metrics');
    expect(one(objects, 'ServiceMonitor').spec.endpoints[0].path).toBe('/metrics');
  });

  test('any monitoring part turns metrics on; metrics: false with monitoring is refused', () => {
    for (const m of [{ serviceMonitor: {} }, { prometheusRule: {} }, { dashboard: {} }]) {
      expect(serverContainer(synthMlflow({ monitoring: m })).args).toContain('--expose-prometheus');
    }
    expect(() => synthMlflow({ metrics: false, monitoring: { dashboard: {} } })).toThrow(/invalid metrics false: must not be false when monitoring/);
  });
});

describe('ServiceMonitor of the server', () => {
  const app = Testing.app();
  const chart = new MlflowChart(app, 'sm', baseProps({ monitoring: FULL }));
  const objects = Testing.synth(chart);
  const sm = one(objects, 'ServiceMonitor');
  const svc = one(objects, 'Service', 'mlflow');

  test('endpoint port is a port NAME of the selected Service, path set', () => {
    const ep = sm.spec.endpoints;
    expect(ep).toHaveLength(1);
    expect(typeof ep[0].port).toBe('string');
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(ep[0].port);
    expect(ep[0]).toMatchObject({ port: 'http', path: '/metrics', scheme: 'http', interval: '15s', scrapeTimeout: '5s' });
    expect(ep[0].targetPort).toBeUndefined();
  });

  test('selects the server Service by its labels, in its namespace only', () => {
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(sm.spec.selector.matchLabels['app.kubernetes.io/version']).toBeUndefined();
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['mlflow'] });
    // no other Service of the output matches the selector
    const matching = objects.filter(o => o.kind === 'Service' && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
    expect(matching.map(o => o.metadata.name)).toEqual(['mlflow']);
  });

  test('labels for the Prometheus selector, Argo CD annotations', () => {
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels.release).toBe('prometheus');
    expect(sm.metadata.namespace).toBe('mlflow');
    expect(sm.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      'argocd.argoproj.io/sync-wave': '5',
    });
  });

  test('the scraper is admitted by the server NetworkPolicy model on the server port', () => {
    const rule = chart.server.traffic.ingress.find(r => r.description.includes('Prometheus'));
    expect(rule).toBeDefined();
    expect(rule!.ports).toEqual([{ port: 5000 }]);
    expect(rule!.peer.toPeer()).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
    });
    const app2 = Testing.app();
    const c2 = new MlflowChart(app2, 'x', baseProps({ monitoring: { serviceMonitor: { scrapeFrom: NetworkPeer.namespaces({ name: 'observability' }) } } }));
    expect(c2.server.traffic.ingress[0].peer.toPeer()).toEqual({ namespaceSelector: { matchLabels: { name: 'observability' } } });
  });

  test('Prometheus scrapes <pod IP>:<port>: the allowed hosts admit private pod addresses', () => {
    const hosts: string[] = envMap(serverContainer(objects)).MLFLOW_SERVER_ALLOWED_HOSTS.split(',');
    // MLflow matches the raw Host header (with port) against each entry, '*' as a glob
    const allowed = (host: string) => hosts.some(h => new RegExp(`^${h.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(host));
    for (const podIp of ['10.42.3.17:5000', '172.20.0.5:5000', '192.168.7.9:5000']) expect(allowed(podIp)).toBe(true);
    expect(allowed('evil.example.com:5000')).toBe(false);
    expect(() => synthMlflow({ allowPrivateNetworkHosts: false, monitoring: { serviceMonitor: {} } }))
      .toThrow(/invalid allowPrivateNetworkHosts false: must stay true with a ServiceMonitor/);
  });

  test('namespace override keeps selecting the Service in the MLflow namespace', () => {
    const o = synthMlflow({ monitoring: { serviceMonitor: { namespace: 'monitoring' } } });
    const s = one(o, 'ServiceMonitor');
    expect(s.metadata.namespace).toBe('monitoring');
    expect(s.spec.namespaceSelector).toEqual({ matchNames: ['mlflow'] });
  });

  test('basic auth from Secret keys (MLflow auth on), never a literal', () => {
    const o = synthMlflow({
      monitoring: { serviceMonitor: { basicAuth: { username: SecretKey.fromExisting('mlflow-admin', 'username'), password: SecretKey.fromExisting('mlflow-admin', 'password') } } },
    });
    expect(one(o, 'ServiceMonitor').spec.endpoints[0].basicAuth).toEqual({
      username: { name: 'mlflow-admin', key: 'username' },
      password: { name: 'mlflow-admin', key: 'password' },
    });
  });
});

describe('ServiceMonitor for any Service (MinIO fixture)', () => {
  function fixture() {
    const app = Testing.app();
    const chart = new Chart(app, 'minio', { namespace: 'mlflow' });
    const svc = new k8s.KubeService(chart, 'Svc', {
      metadata: { name: 'mlflow-minio', labels: { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'mlflow' } },
      spec: {
        selector: { 'app.kubernetes.io/name': 'minio' },
        ports: [
          { name: 'api', port: 9000, targetPort: k8s.IntOrString.fromString('api') },
          { name: 'console', port: 9001, targetPort: k8s.IntOrString.fromString('console') },
        ],
      },
    });
    return { chart, svc };
  }

  test('public auth type: api port, cluster metrics path, no credentials', () => {
    const { chart } = fixture();
    minioServiceMonitor(chart, 'Sm', { name: 'mlflow-minio', serviceNamespace: 'mlflow', serviceLabels: { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'mlflow' } });
    const objects = Testing.synth(chart);
    const sm = one(objects, 'ServiceMonitor');
    const svc = one(objects, 'Service');
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
    expect(sm.spec.endpoints[0]).toEqual({ port: 'api', path: '/minio/v2/metrics/cluster', scheme: 'http', interval: '30s', scrapeTimeout: '10s', honorLabels: false });
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
  });

  test('jwt auth type: bearer token from a Secret key', () => {
    const { chart } = fixture();
    minioServiceMonitor(chart, 'Sm', {
      name: 'mlflow-minio', serviceNamespace: 'mlflow', serviceLabels: { 'app.kubernetes.io/name': 'minio' },
      bearerToken: SecretKey.fromExisting('minio-prometheus', 'token'),
    });
    expect(one(Testing.synth(chart), 'ServiceMonitor').spec.endpoints[0].authorization).toEqual({ type: 'Bearer', credentials: { name: 'minio-prometheus', key: 'token' } });
  });

  test('bad input fails with invalid(...) messages', () => {
    const base = { name: 'x', serviceNamespace: 'mlflow', serviceLabels: { a: 'b' }, portName: 'http', path: '/metrics' };
    const mk = (p: any) => () => new MetricsServiceMonitor(new Chart(Testing.app(), 'c'), 'Sm', { ...base, ...p });
    expect(mk({ interval: '30s' })).toThrow(/c\/Sm: invalid interval "30s": must be a cdk8s Duration/);
    expect(mk({ interval: Duration.millis(1500) })).toThrow(/invalid interval "1.5s": must be a whole number of seconds/);
    expect(mk({ interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) })).toThrow(/invalid scrapeTimeout "20s": must not exceed the interval \(10s\)/);
    expect(new MetricsServiceMonitor(new Chart(Testing.app(), 'c'), 'Sm', { ...base, interval: Duration.seconds(5) }).endpoint.scrapeTimeout).toBe('5s');
    expect(new MetricsServiceMonitor(new Chart(Testing.app(), 'c'), 'Sm', { ...base, interval: Duration.minutes(2) }).endpoint.interval).toBe('2m');
    expect(mk({ labels: { '': 'x' } })).toThrow(/invalid labels key "": must be a qualified name/);
    expect(mk({ labels: { release: 'not valid!' } })).toThrow(/invalid labels\[release\]/);
    expect(mk({ serviceLabels: {} })).toThrow(/invalid serviceLabels \{\}: must hold at least one label/);
    expect(mk({ portName: '9000' })).toThrow(/invalid portName "9000": must be an IANA service name/);
    expect(mk({ path: 'metrics' })).toThrow(/invalid path "metrics"/);
    expect(mk({ namespace: 'Monitoring' })).toThrow(/invalid namespace "Monitoring"/);
    expect(mk({ basicAuth: { username: SecretKey.fromExisting('a', 'u'), password: SecretKey.fromExisting('a', 'p') }, bearerToken: SecretKey.fromExisting('a', 't') }))
      .toThrow(/invalid bearerToken "\(set\)": basicAuth and bearerToken are mutually exclusive/);
    expect(mk({ bearerToken: SecretKey.fromExisting('a', 'bad key') })).toThrow(/invalid bearerToken.key "bad key"/);
  });
});

describe('PrometheusRule', () => {
  const objects = synthMlflow({ monitoring: FULL });
  const rule = one(objects, 'PrometheusRule');
  const rules: any[] = rule.spec.groups.flatMap((g: any) => g.rules);
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

  test('the alerts that matter', () => {
    expect(rules.map(r => r.alert)).toEqual([
      'MlflowServerDown', 'MlflowReplicasMismatch', 'MlflowMetricsTargetDown', 'MlflowHighErrorRatio',
      'MlflowHighLatency', 'MlflowDatabaseNotReady', 'MlflowMinioNotReady', 'MlflowPvcNearlyFull',
    ]);
    expect(rule.metadata.labels.release).toBe('prometheus');
    expect(rule.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    expect(rule.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('5');
  });

  test('no database/MinIO alert without their StatefulSets', () => {
    const r = one(synthMlflow({ monitoring: { prometheusRule: {} } }), 'PrometheusRule');
    expect(r.spec.groups[0].rules.map((x: any) => x.alert)).not.toEqual(expect.arrayContaining(['MlflowDatabaseNotReady']));
    expect(r.spec.groups[0].rules.map((x: any) => x.alert)).not.toEqual(expect.arrayContaining(['MlflowMinioNotReady']));
  });

  test('each alert: severity, summary, description, runbook_url to a README anchor', () => {
    for (const r of rules) {
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description.length).toBeGreaterThan(10);
      const anchor = r.alert.toLowerCase();
      expect(r.annotations.runbook_url).toBe(`https://github.com/cdk8s-mlflow/cdk8s-mlflow/blob/main/README.md#${anchor}`);
      // GitHub anchors of "### MlflowServerDown" headings are the lower-cased text
      expect(readme).toMatch(new RegExp(`^### ${r.alert}$`, 'm'));
      expect(r.for).toMatch(/^[0-9]+[smh]$/);
    }
  });

  test('expressions use only series that the server, kube-state-metrics, the kubelet or Prometheus expose', () => {
    const used = new Set(rules.flatMap(r => metricNames(r.expr)));
    for (const m of used) expect(ALL_EXPOSED).toContain(m);
    expect([...used].sort()).toEqual([...Object.values(ALERT_METRICS).flat()].sort());
    // MLflow series carry the mlflow_ prefix of defaults_prefix="mlflow"
    for (const m of ALERT_METRICS.mlflow) expect(EXPOSED.mlflow).toContain(m);
  });

  test('every selector is scoped to the MLflow namespace (and the server or StatefulSet)', () => {
    for (const r of rules) {
      const selectors = r.expr.match(/\{[^}]*\}/g) as string[];
      expect(selectors.length).toBeGreaterThan(0);
      for (const s of selectors) expect(s).toContain('namespace="mlflow"');
      if (/mlflow_|up\{/.test(r.expr)) for (const s of selectors) expect(s).toContain('service="mlflow"');
      if (/kube_deployment/.test(r.expr)) for (const s of selectors) expect(s).toContain('deployment="mlflow"');
    }
  });

  test('thresholds are configurable', () => {
    const r = one(synthMlflow({
      monitoring: { prometheusRule: { errorRatio: 0.1, latencyP95: Duration.millis(1500), pvcFreeRatio: 0.2, for: Duration.minutes(3), runbookBaseUrl: 'https://wiki.example.com/mlflow' } },
    }), 'PrometheusRule').spec.groups[0].rules;
    const by = (n: string) => r.find((x: any) => x.alert === n);
    expect(by('MlflowHighErrorRatio').expr).toMatch(/> 0\.1$/);
    expect(by('MlflowHighLatency').expr).toMatch(/> 1\.5$/);
    expect(by('MlflowPvcNearlyFull').expr).toMatch(/< 0\.2$/);
    expect(by('MlflowServerDown').for).toBe('3m');
    expect(by('MlflowServerDown').annotations.runbook_url).toBe('https://wiki.example.com/mlflow#mlflowserverdown');
  });

  test('bad thresholds fail with invalid(...) messages', () => {
    const mk = (p: any) => () => new MlflowAlerts(new Chart(Testing.app(), 'c'), 'R', { name: 'mlflow', targetNamespace: 'mlflow', deployment: 'mlflow', ...p });
    expect(mk({ errorRatio: 5 })).toThrow(/c\/R: invalid errorRatio 5: must be a number between 0 and 1/);
    expect(mk({ pvcFreeRatio: 0 })).toThrow(/invalid pvcFreeRatio 0/);
    expect(mk({ latencyP95: '2s' })).toThrow(/invalid latencyP95 "2s": must be a cdk8s Duration/);
    expect(mk({ for: Duration.seconds(10) })).toThrow(/invalid for "10s": must be a whole number of seconds from 60/);
    expect(mk({ runbookBaseUrl: 'https://x.example.com/README.md#top' })).toThrow(/invalid runbookBaseUrl/);
    expect(mk({ pvcRegex: 'a"b' })).toThrow(/invalid pvcRegex/);
    expect(mk({ labels: { '': 'x' } })).toThrow(/invalid labels key ""/);
  });
});

describe('Grafana dashboard', () => {
  const objects = synthMlflow({ monitoring: FULL });
  const cm = one(objects, 'ConfigMap', 'mlflow-dashboard');
  const text: string = cm.data['mlflow-mlflow.json'];
  const dash = JSON.parse(text);

  test('ConfigMap labelled for the Grafana sidecar, folder annotation', () => {
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect(cm.metadata.annotations.grafana_folder).toBe('MLflow');
    expect(cm.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('5');
    const custom = one(synthMlflow({ monitoring: { dashboard: { labelKey: 'dashboards.example.com/grafana', labelValue: 'mlflow', namespace: 'grafana' } } }), 'ConfigMap');
    expect(custom.metadata.labels['dashboards.example.com/grafana']).toBe('mlflow');
    expect(custom.metadata.labels.grafana_dashboard).toBeUndefined();
    expect(custom.metadata.namespace).toBe('grafana');
    expect(custom.metadata.annotations.grafana_folder).toBeUndefined();
  });

  test('panels: request rate, error ratio, latency p50/p95/p99, replicas, CPU, memory', () => {
    expect(dash.panels.map((p: any) => p.title)).toEqual(['Request rate', 'Error ratio (5xx)', 'Latency', 'Replicas', 'CPU', 'Memory']);
    expect(dash.panels[2].targets.map((t: any) => t.legendFormat)).toEqual(['p50', 'p95', 'p99']);
    const used = new Set<string>(dash.panels.flatMap((p: any) => p.targets.flatMap((t: any) => metricNames(t.expr))));
    for (const m of used) expect(ALL_EXPOSED).toContain(m);
    expect([...used].sort()).toEqual([...DASHBOARD_METRICS].sort());
  });

  test('deterministic JSON: sorted keys, stable uid, no timestamps, identical on every synth', () => {
    expect(text).toBe(stableStringify(dash));
    expect(dash.uid).toBe('mlflow-mlflow-mlflow');
    expect(text).not.toMatch(/"(iteration|created|updated|timestamp)"/);
    expect(one(synthMlflow({ monitoring: FULL }), 'ConfigMap', 'mlflow-dashboard').data['mlflow-mlflow.json']).toBe(text);
    const long = dashboardUid('a-very-long-namespace-name-for-teams', 'mlflow-tracking-server');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(dashboardUid('a-very-long-namespace-name-for-teams', 'mlflow-tracking-server')).toBe(long);
    expect(dashboardUid('a-very-long-namespace-name-for-teams', 'mlflow-tracking-serveR')).not.toBe(long);
  });

  test('bad input fails with invalid(...) messages', () => {
    const mk = (p: any) => () => new MlflowDashboard(new Chart(Testing.app(), 'c'), 'D', { name: 'd', targetNamespace: 'mlflow', deployment: 'mlflow', container: 'mlflow', ...p });
    expect(mk({ labelKey: '' })).toThrow(/c\/D: invalid labelKey "": must be a qualified name/);
    expect(mk({ labelValue: 'not ok' })).toThrow(/invalid labelValue "not ok"/);
    expect(mk({ folder: ' ' })).toThrow(/invalid folder " "/);
  });
});

test('snapshot: every monitoring object of a fully monitored chart', () => {
  const objects = synthMlflow({ monitoring: FULL });
  expect(objects.filter(o => ['ServiceMonitor', 'PrometheusRule', 'ConfigMap'].includes(o.kind))).toMatchSnapshot();
  expect(serverContainer(objects).command).toMatchSnapshot();
});

describe('monitoring wired to the in-cluster stores', () => {
  const { Testing } = require('cdk8s');
  const { MlflowChart, BackendStore, ArtifactStore, SecretKey, SecretSource } = require('../src');
  const chart = new MlflowChart(Testing.app(), 'wired', {
    namespace: 'mlflow',
    backendStore: BackendStore.inCluster({ password: SecretKey.fromExisting('pg', 'password') }),
    artifactStore: ArtifactStore.minio({ rootCredentials: SecretSource.existing('minio-root') }),
    monitoring: { serviceMonitor: {}, prometheusRule: {} },
  });
  const objects = Testing.synth(chart);

  test('MinIO gets its own ServiceMonitor on the api port name at the cluster metrics path', () => {
    const sms = objects.filter((o: any) => o.kind === 'ServiceMonitor');
    expect(sms.map((o: any) => o.metadata.name).sort()).toEqual(['mlflow', 'mlflow-minio']);
    const minioSm = sms.find((o: any) => o.metadata.name === 'mlflow-minio');
    expect(minioSm.spec.endpoints[0]).toMatchObject({ port: 'api', path: '/minio/v2/metrics/cluster' });
    const svc = objects.find((o: any) => o.kind === 'Service' && o.metadata.name === 'mlflow-minio');
    expect(svc.spec.ports.map((p: any) => p.name)).toContain('api');
  });

  test('the alerts watch the real StatefulSets of the database and MinIO', () => {
    const rule = objects.find((o: any) => o.kind === 'PrometheusRule');
    const exprs = JSON.stringify(rule.spec.groups);
    expect(exprs).toContain('MlflowDatabaseNotReady');
    expect(exprs).toContain('statefulset=\\"mlflow-postgresql\\"');
    expect(exprs).toContain('MlflowMinioNotReady');
    expect(exprs).toContain('statefulset=\\"mlflow-minio\\"');
  });
});
