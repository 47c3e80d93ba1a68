import { K8sObject } from './types';

// A small hand-written deployment that satisfies every rule: the baseline each negative test breaks once.

const NS = 'demo';
const wave = (w: string) => ({ 'argocd.argoproj.io/sync-wave': w });
const labels = (component: string) => ({
  'app.kubernetes.io/name': component === 'database' ? 'postgresql' : 'app',
  'app.kubernetes.io/instance': 'demo',
  'app.kubernetes.io/component': component,
});

export const podSecurityContext = () => ({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
export const containerSecurityContext = () => ({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
export const containerResources = () => ({
  requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
  limits: { 'cpu': '1', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
});

function container(name: string, port?: { name: string; containerPort: number }): any {
  return {
    name,
    image: 'registry.example.com/app:1.2.3',
    imagePullPolicy: 'IfNotPresent',
    securityContext: containerSecurityContext(),
    resources: containerResources(),
    env: [{ name: 'HOME', value: '/tmp' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    ...(port ? {
      ports: [{ ...port, protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: '/ready', port: port.name }, periodSeconds: 10 },
      livenessProbe: { tcpSocket: { port: port.name }, periodSeconds: 20 },
    } : {}),
  };
}

function podSpec(sa: string, containers: any[], extra: any = {}): any {
  return {
    serviceAccountName: sa,
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(),
    containers,
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }, { name: 'config', configMap: { name: 'app-config' } }],
    ...extra,
  };
}

function networkPolicy(name: string, component: string, extra: any = {}): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NS, labels: labels(component), annotations: wave('0') },
    spec: {
      podSelector: { matchLabels: labels(component) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
      ...extra,
    },
  };
}

/** A fresh copy of the valid baseline: every rule passes on it. */
export function validObjects(): K8sObject[] {
  const server = labels('server');
  const db = labels('database');
  const job = labels('migration');
  // Deep copy: the label maps are shared above, and tests mutate one object at a time.
  return JSON.parse(JSON.stringify([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, annotations: wave('0') } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('0') }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'db', namespace: NS, labels: db, annotations: wave('0') }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: NS, labels: server, annotations: wave('0') }, data: { 'config.yaml': 'level: info\n' } },
    {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: 'shared', namespace: NS, labels: server, annotations: { ...wave('0'), 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('0') },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('0') },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: NS }],
    },
    networkPolicy('app', 'server', { ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] }),
    networkPolicy('db', 'database', { ingress: [{ from: [{ podSelector: { matchLabels: server } }], ports: [{ protocol: 'TCP', port: 5432 }] }] }),
    networkPolicy('migrate', 'migration'),
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: NS, labels: db, annotations: wave('1') },
      spec: { clusterIP: 'None', selector: db, ports: [{ name: 'postgresql', port: 5432, targetPort: 'postgresql', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS, labels: db, annotations: wave('1') },
      spec: {
        replicas: 1, serviceName: 'db', selector: { matchLabels: db },
        template: { metadata: { labels: db }, spec: podSpec('db', [container('postgres', { name: 'postgresql', containerPort: 5432 })]) },
        volumeClaimTemplates: [{
          metadata: { name: 'data', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        }],
      },
    },
    {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name: 'migrate', namespace: NS, labels: job, annotations: { ...wave('3'), 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' } },
      spec: { backoffLimit: 2, ttlSecondsAfterFinished: 3600, template: { metadata: { labels: job }, spec: podSpec('app', [container('migrate')], { restartPolicy: 'Never' }) } },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('4') },
      spec: {
        replicas: 2, selector: { matchLabels: server },
        template: {
          metadata: { labels: { ...server, 'app.kubernetes.io/version': '1.2.3' } },
          spec: podSpec('app', [container('app', { name: 'http', containerPort: 8080 })], {
            affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: server } } }] } },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: server } }],
          }),
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('4') },
      spec: { type: 'ClusterIP', selector: server, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('4') },
      spec: { maxUnavailable: 1, selector: { matchLabels: server }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'app', namespace: NS, labels: server, annotations: wave('5') },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['app.example.com'], secretName: 'app-tls' }],
        rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { name: 'http' } } } }] } }],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
      metadata: { name: 'app', namespace: NS, labels: server, annotations: { ...wave('5'), 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
      spec: { selector: { matchLabels: server }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
    },
  ]));
}

/** The object of a kind and name in a set. */
export function find(objects: K8sObject[], kind: string, name: string): any {
  const o = objects.find(x => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`fixture has no ${kind} ${name}`);
  return o;
}
