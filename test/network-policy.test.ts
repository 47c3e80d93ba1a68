import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { baseProps, envMap, one } from './helpers/synth';
import { Endpoint, isAllowed, reachabilityMatrix } from './helpers/reachability';
import { ArtifactServing, ArtifactStore, BackendStore, CLIENT_LABEL, IArtifactStore, IBackendStore, MlflowChart, SecretKey, SecretSource, MlflowChartProps, NetworkModel, NetworkPeer, WorkloadNetworkPolicies } from '../src';

const SERVER_LABELS = { 'app.kubernetes.io/name': 'mlflow', 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'server' };

function trainingJob(scope: Chart, id = 'train'): kplus.Job {
  return new kplus.Job(scope, id, {
    metadata: { name: id },
    containers: [{ name: 'train', image: 'registry.example.com/train:1.0.0', securityContext: { user: 10001, group: 10001 } }],
  });
}

function nightlyCronJob(scope: Chart): k8s.KubeCronJob {
  const labels = { app: 'nightly' };
  return new k8s.KubeCronJob(scope, 'nightly', {
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: { spec: { template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'eval', image: 'registry.example.com/eval:1.0.0' }] } } } },
    },
  });
}

/** Stores that declare no egress of their own (custom implementations). */
const silentBackend: IBackendStore = { bind: () => ({ uriEnvName: 'MLFLOW_BACKEND_STORE_URI', env: [{ name: 'MLFLOW_BACKEND_STORE_URI', valueFrom: { secretKeyRef: { name: 'db', key: 'uri' } } }], volumes: [], volumeMounts: [], egress: [] }) };
const silentArtifacts: IArtifactStore = { bind: () => ({ destination: 's3://b', env: [], volumes: [], volumeMounts: [], serviceAccountAnnotations: {}, egress: [] }) };

function policies(objects: any[]): any[] {
  return objects.filter(o => o.kind === 'NetworkPolicy');
}

describe('NetworkPolicies rendered from the NetworkModel', () => {
  const objects = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps()));
  const nps = policies(objects);

  test('one policy per workload plus the namespace default-deny, both types explicit', () => {
    expect(nps.map(p => p.metadata.name).sort()).toEqual(['mlflow', 'mlflow-default-deny', 'mlflow-migrate']);
    for (const p of nps) {
      expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(p.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    }
    expect(one(objects, 'NetworkPolicy', 'mlflow-default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('every workload policy selects its pods (non-empty matchLabels that the pod template carries)', () => {
    const server = one(objects, 'NetworkPolicy', 'mlflow');
    expect(server.spec.podSelector.matchLabels).toEqual(SERVER_LABELS);
    const tmpl = one(objects, 'Deployment').spec.template.metadata.labels;
    expect(tmpl).toMatchObject(server.spec.podSelector.matchLabels);
    const mig = one(objects, 'NetworkPolicy', 'mlflow-migrate');
    expect(objects.find(o => o.kind === 'Job').spec.template.metadata.labels).toMatchObject(mig.spec.podSelector.matchLabels);
  });

  test('DNS egress: UDP and TCP 53, namespace and pod selector in the same peer', () => {
    for (const p of nps.filter(x => x.metadata.name !== 'mlflow-default-deny')) {
      expect(p.spec.egress[0]).toEqual({
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      });
    }
  });

  test('no bare 0.0.0.0/0 without except', () => {
    for (const p of nps) {
      for (const r of [...(p.spec.egress ?? []), ...(p.spec.ingress ?? [])]) {
        for (const peer of [...(r.to ?? []), ...(r.from ?? [])]) {
          if (peer.ipBlock?.cidr === '0.0.0.0/0') expect(peer.ipBlock.except).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
        }
      }
    }
  });

  test('stores declare their own external egress (S3 443 + metadata, database private ranges); nothing twice', () => {
    const rules = (name: string) => one(objects, 'NetworkPolicy', name).spec.egress.slice(1);
    expect(rules('mlflow').map((r: any) => r.ports[0].port)).toEqual([5432, 5432, 5432, 443, 80, 80]);
    expect(rules('mlflow-migrate').map((r: any) => r.ports[0].port)).toEqual([5432, 5432, 5432]);
    const keys = rules('mlflow').map((r: any) => JSON.stringify(r));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('stores that declare nothing get the default: 443 (server) and 5432 (server, migration) to public addresses', () => {
    const o = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({ backendStore: silentBackend, artifactStore: silentArtifacts })));
    const pub = { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } };
    expect(one(o, 'NetworkPolicy', 'mlflow').spec.egress.slice(1)).toEqual([
      { to: [pub], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [pub], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    expect(one(o, 'NetworkPolicy', 'mlflow-migrate').spec.egress.slice(1)).toEqual([{ to: [pub], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  test('no Ingress, no clients: the server admits nobody', () => {
    expect(one(objects, 'NetworkPolicy', 'mlflow').spec.ingress).toEqual([]);
  });

  test('dns selector, external egress and default-deny are configurable', () => {
    const o = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({
      networkPolicy: {
        defaultDeny: false,
        dns: { namespaceLabels: { 'kubernetes.io/metadata.name': 'dns' }, podLabels: { app: 'coredns' } },
        externalEgress: { cidr: '52.0.0.0/8', except: [], ports: [443, 8443] },
      },
    })));
    const server = one(o, 'NetworkPolicy', 'mlflow');
    expect(policies(o).map(p => p.metadata.name)).not.toContain('mlflow-default-deny');
    expect(server.spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }]);
    expect(server.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '52.0.0.0/8' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] });
    const off = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({ backendStore: silentBackend, artifactStore: silentArtifacts, networkPolicy: { externalEgress: { enabled: false } } })));
    expect(one(off, 'NetworkPolicy', 'mlflow').spec.egress).toHaveLength(1);
  });

  test('disabled: no NetworkPolicy at all', () => {
    const o = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({ networkPolicy: { enabled: false } })));
    expect(policies(o)).toHaveLength(0);
  });

  test('default-deny defaults off when the chart does not own the namespace', () => {
    const o = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({ createNamespace: false })));
    expect(policies(o).map(p => p.metadata.name)).not.toContain('mlflow-default-deny');
  });

  test('Ingress: the ingress controller namespace is admitted on the server port; Prometheus when asked', () => {
    const o = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({
      ingress: { hosts: ['mlflow.example.com'] },
      networkPolicy: { allowPrometheus: true, prometheusNamespaceLabels: { 'kubernetes.io/metadata.name': 'observability' }, prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    })));
    expect(one(o, 'NetworkPolicy', 'mlflow').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 5000, protocol: 'TCP' }] },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: 5000, protocol: 'TCP' }],
      },
    ]);
  });

  test('NodePort / LoadBalancer: external client ranges (LB sourceRanges, else private ranges)', async () => {
    const { ServiceExposure } = await import('../src');
    const lb = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({ service: ServiceExposure.loadBalancer({ sourceRanges: ['203.0.113.0/24'] }) })));
    expect(one(lb, 'NetworkPolicy', 'mlflow').spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 5000, protocol: 'TCP' }] }]);
    const np = Testing.synth(new MlflowChart(Testing.app(), 'np', baseProps({ service: ServiceExposure.nodePort(30500) })));
    expect(one(np, 'NetworkPolicy', 'mlflow').spec.ingress.map((r: any) => r.from[0].ipBlock.cidr)).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });
});

describe('derived ingress: an edge is declared once, by the side that opens it', () => {
  function build(order: 'before' | 'after'): any[] {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'apps' });
    const register = () => {
      NetworkModel.of(chart).register({ name: 'db', podLabels: { app: 'db', tier: 'data' }, ingress: [], egress: [] });
      NetworkModel.of(chart).register({ name: 'api', podLabels: { app: 'api' }, ingress: [], egress: [{ peer: NetworkPeer.pods({ app: 'db' }), ports: [{ port: 5432 }], description: 'db' }] });
    };
    if (order === 'before') register();
    new WorkloadNetworkPolicies(chart, 'np');
    if (order === 'after') register();
    return Testing.synth(chart);
  }
  for (const order of ['before', 'after'] as const) {
    test(`workloads registered ${order} the policies construct`, () => {
      const o = build(order);
      expect(one(o, 'NetworkPolicy', 'db').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
      expect(one(o, 'NetworkPolicy', 'api').spec.ingress).toEqual([]);
      expect(one(o, 'NetworkPolicy', 'api').spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    });
  }

  test('an edge declared on both sides renders once', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const m = NetworkModel.of(chart);
    new WorkloadNetworkPolicies(chart, 'np');
    m.register({ name: 'db', podLabels: { app: 'db' }, ingress: [{ peer: NetworkPeer.pods({ app: 'api' }), ports: [{ port: 5432 }], description: 'api' }], egress: [] });
    m.register({ name: 'api', podLabels: { app: 'api' }, ingress: [], egress: [{ peer: NetworkPeer.pods({ app: 'db' }), ports: [{ port: 5432, protocol: 'TCP' }], description: 'db' }] });
    expect(one(Testing.synth(chart), 'NetworkPolicy', 'db').spec.ingress).toHaveLength(1);
  });

  test('no derived rule when the destination already admits the source through a broader declared selector', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const m = NetworkModel.of(chart);
    new WorkloadNetworkPolicies(chart, 'np');
    m.register({ name: 'db', podLabels: { app: 'db' }, ingress: [{ peer: NetworkPeer.pods({ tier: 'api' }), ports: [{ port: 5432 }, { port: 8008 }], description: 'api' }], egress: [] });
    m.register({ name: 'api', podLabels: { app: 'api', tier: 'api' }, ingress: [], egress: [{ peer: NetworkPeer.pods({ app: 'db' }), ports: [{ port: 5432 }], description: 'db' }] });
    m.register({ name: 'job', podLabels: { app: 'job' }, ingress: [], egress: [{ peer: NetworkPeer.pods({ app: 'db' }), ports: [{ port: 5432 }], description: 'db' }] });
    expect(one(Testing.synth(chart), 'NetworkPolicy', 'db').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { tier: 'api' } } }], ports: [{ port: 5432, protocol: 'TCP' }, { port: 8008, protocol: 'TCP' }] },
      { from: [{ podSelector: { matchLabels: { app: 'job' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  test('a peer in another namespace derives nothing; a peer naming this namespace does', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const m = NetworkModel.of(chart);
    new WorkloadNetworkPolicies(chart, 'np');
    m.register({ name: 'db', podLabels: { app: 'db' }, ingress: [], egress: [] });
    m.register({ name: 'a', podLabels: { app: 'a' }, ingress: [], egress: [{ peer: NetworkPeer.pods({ app: 'db' }, { 'kubernetes.io/metadata.name': 'other' }), ports: [{ port: 1 }], description: '' }] });
    m.register({ name: 'b', podLabels: { app: 'b' }, ingress: [], egress: [{ peer: NetworkPeer.pods({ app: 'db' }, { 'kubernetes.io/metadata.name': 'apps' }), ports: [{ port: 2 }], description: '' }] });
    const db = one(Testing.synth(chart), 'NetworkPolicy', 'db');
    expect(db.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 2, protocol: 'TCP' }] }]);
  });
});

describe('allowClient', () => {
  function build(props: Partial<MlflowChartProps> = {}) {
    const app = Testing.app();
    const chart = new MlflowChart(app, 'np', baseProps(props));
    const train = trainingJob(chart);
    const nightly = nightlyCronJob(chart);
    chart.server.allowClient(train, { podLabels: { role: 'mlflow-client' } });
    chart.server.allowClient(nightly);
    return { chart, objects: Testing.synth(chart) };
  }
  const { objects } = build();

  test('kplus Job: client label, MLFLOW_TRACKING_URI in every container', () => {
    const job = objects.find(o => o.kind === 'Job' && o.metadata.name === 'train');
    expect(job.spec.template.metadata.labels).toMatchObject({ [CLIENT_LABEL]: 'train', role: 'mlflow-client' });
    expect(envMap(job.spec.template.spec.containers[0]).MLFLOW_TRACKING_URI).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
  });

  test('L1 CronJob: label on the pod template (selector map not mutated), env added', () => {
    const cj = one(objects, 'CronJob', 'nightly');
    const tmpl = cj.spec.jobTemplate.spec.template;
    expect(tmpl.metadata.labels).toEqual({ app: 'nightly', [CLIENT_LABEL]: 'nightly' });
    expect(envMap(tmpl.spec.containers[0]).MLFLOW_TRACKING_URI).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
  });

  test('each client gets its own policy (DNS + server port); the server admits it by derivation', () => {
    for (const name of ['train', 'nightly']) {
      const p = one(objects, 'NetworkPolicy', name);
      expect(p.spec.podSelector.matchLabels).toEqual({ [CLIENT_LABEL]: name });
      expect(p.spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: SERVER_LABELS } }], ports: [{ port: 5000, protocol: 'TCP' }] });
      expect(p.spec.ingress).toEqual([]);
    }
    expect(one(objects, 'NetworkPolicy', 'mlflow').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { [CLIENT_LABEL]: 'train' } } }], ports: [{ port: 5000, protocol: 'TCP' }] },
      { from: [{ podSelector: { matchLabels: { [CLIENT_LABEL]: 'nightly' } } }], ports: [{ port: 5000, protocol: 'TCP' }] },
    ]);
  });

  test('KubeDeployment: env added without touching the selector labels', () => {
    const chart = new MlflowChart(Testing.app(), 'np', baseProps());
    const labels = { app: 'ui' };
    const d = new k8s.KubeDeployment(chart, 'ui', {
      metadata: { name: 'ui' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'ui', image: 'x/ui:1.0.0', env: [{ name: 'A', value: '1' }] }] } } },
    });
    chart.server.allowClient(d);
    const o = Testing.synth(chart);
    const dep = one(o, 'Deployment', 'ui');
    expect(dep.spec.selector.matchLabels).toEqual({ app: 'ui' });
    expect(dep.spec.template.metadata.labels).toEqual({ app: 'ui', [CLIENT_LABEL]: 'ui' });
    expect(dep.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['A', 'MLFLOW_TRACKING_URI']);
  });

  test('basic-auth credentials come from a Secret (secretKeyRef), never as values', () => {
    const chart = new MlflowChart(Testing.app(), 'np', baseProps());
    const job = trainingJob(chart);
    chart.server.allowClient(job, { credentials: { username: SecretKey.fromExisting('train-mlflow', 'username'), password: SecretKey.fromExisting('train-mlflow', 'password') } });
    const env = envMap(Testing.synth(chart).find(o => o.kind === 'Job' && o.metadata.name === 'train').spec.template.spec.containers[0]);
    expect(env.MLFLOW_TRACKING_PASSWORD).toEqual({ secretKeyRef: { name: 'train-mlflow', key: 'password' } });
    expect(env.MLFLOW_TRACKING_USERNAME).toEqual({ secretKeyRef: { name: 'train-mlflow', key: 'username' } });
  });

  test('direct artifact mode: the storage env of server.clientArtifactEnv reaches the client, MinIO admits it', () => {
    const chart = new MlflowChart(Testing.app(), 'np', baseProps({
      artifactStore: ArtifactStore.minio({ rootCredentials: SecretSource.existing('minio-root') }),
      artifactServing: ArtifactServing.DIRECT,
    }));
    chart.server.allowClient(trainingJob(chart));
    const o = Testing.synth(chart);
    const env = envMap(o.find(x => x.kind === 'Job' && x.metadata.name === 'train').spec.template.spec.containers[0]);
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBe(chart.server.clientArtifactEnv.find(e => e.name === 'MLFLOW_S3_ENDPOINT_URL')!.value);
    expect(env.AWS_SECRET_ACCESS_KEY.secretKeyRef).toBeDefined();
    const minioPolicy = o.find(x => x.kind === 'NetworkPolicy' && x.metadata.name.endsWith('minio'));
    expect(minioPolicy.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { [CLIENT_LABEL]: 'train' } } }], ports: [{ port: 9000, protocol: 'TCP' }] });
  });

  test('a container name that does not exist is refused', () => {
    const chart = new MlflowChart(Testing.app(), 'np', baseProps());
    expect(() => chart.server.allowClient(trainingJob(chart), { containers: ['nope'] })).toThrow(/invalid allowClient.containers "nope": must name a container of the workload \(train\)/);
  });
});

describe('reachability matrix', () => {
  const app = Testing.app();
  const chart = new MlflowChart(app, 'mlflow', baseProps({
    // an external database with its address block declared (the default opens 5432 to every private range)
    backendStore: BackendStore.external({ uri: SecretKey.fromExisting('mlflow-db', 'uri'), cidrs: ['10.200.0.0/24'] }),
    ingress: { hosts: ['mlflow.example.com'] },
    networkPolicy: {
      allowPrometheus: true,
      clients: [{ podLabels: { role: 'mlflow-client' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'research' } }],
    },
  }));
  // Stand-in for an in-cluster database registered by its own construct: the server declares the edge once.
  NetworkModel.of(chart).register({ name: 'postgres', podLabels: { app: 'pg' }, ingress: [], egress: [] });
  chart.server.traffic.egress.push({ peer: NetworkPeer.pods({ app: 'pg' }), ports: [{ port: 5432 }], description: 'in-cluster db' });
  chart.server.allowClient(trainingJob(chart));
  chart.server.allowClient(nightlyCronJob(chart));
  // A client in another chart and namespace, with that chart's own policies.
  const other = new Chart(app, 'batch', { namespace: 'batch' });
  new WorkloadNetworkPolicies(other, 'np');
  chart.server.allowClient(trainingJob(other, 'xjob'));

  const rendered = [...Testing.synth(chart), ...Testing.synth(other)].filter(o => o.kind === 'NetworkPolicy');
  const ns = (n: string) => ({ 'kubernetes.io/metadata.name': n });
  const pods: Endpoint[] = [
    { name: 'server', namespace: 'mlflow', labels: { ...SERVER_LABELS, 'app.kubernetes.io/part-of': 'mlflow' }, ip: '10.1.0.10' },
    { name: 'migrate', namespace: 'mlflow', labels: { 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'migration' }, ip: '10.1.0.11' },
    { name: 'postgres', namespace: 'mlflow', labels: { app: 'pg' }, ip: '10.1.0.12' },
    { name: 'train', namespace: 'mlflow', labels: { [CLIENT_LABEL]: 'train' }, ip: '10.1.0.13' },
    { name: 'nightly', namespace: 'mlflow', labels: { app: 'nightly', [CLIENT_LABEL]: 'nightly' }, ip: '10.1.0.14' },
    { name: 'stranger', namespace: 'mlflow', labels: { app: 'other' }, ip: '10.1.0.15' },
    { name: 'xjob', namespace: 'batch', labels: { [CLIENT_LABEL]: 'xjob' }, ip: '10.2.0.10' },
    { name: 'research-client', namespace: 'research', labels: { role: 'mlflow-client' }, ip: '10.3.0.10' },
    { name: 'research-other', namespace: 'research', labels: { role: 'notebook' }, ip: '10.3.0.11' },
    { name: 'default-client', namespace: 'default', labels: { role: 'mlflow-client' }, ip: '10.4.0.10' },
    { name: 'ingress-nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ip: '10.5.0.10' },
    { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ip: '10.6.0.10' },
    { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.96.0.10', namespaceLabels: ns('kube-system') },
    { name: 'internet', ip: '52.218.1.1' },
    { name: 'rds', ip: '10.200.0.5' },
    { name: 'private-host', ip: '192.168.10.5' },
  ];
  const ports = [{ port: 53, protocol: 'UDP' }, { port: 53 }, { port: 443 }, { port: 5000 }, { port: 5432 }, { port: 9000 }];

  test('exactly the expected edges; everything else is denied', () => {
    const dns = (s: string) => [`${s} -> kube-dns:53/TCP`, `${s} -> kube-dns:53/UDP`];
    const expected = [
      ...dns('server'), 'server -> internet:443/TCP', 'server -> rds:5432/TCP', 'server -> postgres:5432/TCP',
      ...dns('migrate'), 'migrate -> rds:5432/TCP',
      ...dns('postgres'),
      ...dns('train'), 'train -> server:5000/TCP',
      ...dns('nightly'), 'nightly -> server:5000/TCP',
      ...dns('xjob'), 'xjob -> server:5000/TCP',
      'research-client -> server:5000/TCP',
      'ingress-nginx -> server:5000/TCP',
      'prometheus -> server:5000/TCP',
    ].sort();
    expect(reachabilityMatrix(rendered, pods, ports)).toEqual(expected);
  });

  test('spot checks: private ranges are carved out of external egress, strangers are isolated', () => {
    const by = (n: string) => pods.find(p => p.name === n)!;
    expect(isAllowed(rendered, by('server'), by('private-host'), { port: 443 })).toBe(false);
    expect(isAllowed(rendered, by('default-client'), by('server'), { port: 5000 })).toBe(false);
    expect(isAllowed(rendered, by('research-other'), by('server'), { port: 5000 })).toBe(false);
    expect(isAllowed(rendered, by('stranger'), by('kube-dns'), { port: 53, protocol: 'UDP' })).toBe(false);
  });
});

describe('reachability matrix with the in-cluster stores (PostgreSQL, MinIO, bucket Job)', () => {
  const chart = new MlflowChart(Testing.app(), 'mlflow', baseProps({
    backendStore: BackendStore.inCluster({ password: SecretKey.fromExisting('pg', 'password') }),
    artifactStore: ArtifactStore.minio({ rootCredentials: SecretSource.existing('minio-root') }),
  }));
  chart.server.allowClient(trainingJob(chart));
  const objects = Testing.synth(chart);
  const rendered = objects.filter(o => o.kind === 'NetworkPolicy');
  const podOf = (kind: string, name: string, short: string, ip: string): Endpoint => {
    const o = one(objects, kind, name);
    return { name: short, namespace: 'mlflow', labels: o.spec.template.metadata.labels, ip };
  };
  const endpoints: Endpoint[] = [
    podOf('Deployment', 'mlflow', 'server', '10.1.0.10'),
    podOf('StatefulSet', 'mlflow-postgresql', 'postgres', '10.1.0.11'),
    podOf('StatefulSet', 'mlflow-minio', 'minio', '10.1.0.12'),
    podOf('Job', 'mlflow-bucket', 'bucket', '10.1.0.13'),
    { ...podOf('Job', 'mlflow-migrate-3-17-0', 'migrate', '10.1.0.14') },
    podOf('Job', 'train', 'train', '10.1.0.15'),
    { name: 'stranger', namespace: 'mlflow', labels: { app: 'x' }, ip: '10.1.0.16' },
    { name: 'other-ns', namespace: 'default', labels: { app: 'x' }, ip: '10.2.0.10' },
    { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.96.0.10' },
    { name: 'internet', ip: '52.218.1.1' },
  ];
  const ports = [{ port: 53, protocol: 'UDP' }, { port: 53 }, { port: 443 }, { port: 5000 }, { port: 5432 }, { port: 9000 }];

  test('Postgres and MinIO accept only the server and their Jobs; nothing leaves the cluster', () => {
    const dns = (s: string) => [`${s} -> kube-dns:53/TCP`, `${s} -> kube-dns:53/UDP`];
    expect(reachabilityMatrix(rendered, endpoints, ports)).toEqual([
      ...dns('server'), 'server -> postgres:5432/TCP', 'server -> minio:9000/TCP',
      ...dns('postgres'), ...dns('minio'),
      ...dns('bucket'), 'bucket -> minio:9000/TCP',
      ...dns('migrate'), 'migrate -> postgres:5432/TCP',
      ...dns('train'), 'train -> server:5000/TCP',
    ].sort());
  });
});
