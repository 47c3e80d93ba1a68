/** Where a rule comes from: the tool whose default check it re-implements. */
export type Origin = 'KL' | 'KS' | 'PO' | 'PSS' | 'ArgoCD' | 'K8s' | 'Secrets';

/** One broken rule on one object. */
export interface Violation {
  /** Row number of ../shared/MANIFEST-CHECKLIST.md (1-22). */
  readonly rule: number;
  /** Tools the rule comes from. */
  readonly origin: Origin[];
  /** `Kind/namespace/name` of the object. */
  readonly object: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

/** A parsed Kubernetes object (any kind). */
export type K8sObject = Record<string, any>;

/** Options of the checker. */
export interface CheckOptions {
  /**
   * Rule 13: require every pod to be covered by NetworkPolicies (Ingress and Egress, DNS egress).
   * The other NetworkPolicy rules (explicit policyTypes, no bare 0.0.0.0/0, selects a pod) always apply.
   * @default true
   */
  readonly requireNetworkPolicies?: boolean;
  /**
   * Rule 12: require `spec.tls` on every Ingress (production configs).
   * @default true
   */
  readonly requireIngressTls?: boolean;
  /**
   * Rule 20: require an `argocd.argoproj.io/sync-wave` on every object.
   * @default true
   */
  readonly requireSyncWaves?: boolean;
  /**
   * Rule 18: strings that must never appear in the output, plain or base64 (canary credentials).
   * @default none
   */
  readonly canaries?: string[];
  /**
   * Rule 22: directories of CustomResourceDefinition YAML used to validate custom resources strictly.
   * @default the CRDs found in `../shared/crds` (or `$MLFLOW_CRD_DIR`), when present
   */
  readonly crdDirs?: string[];
  /**
   * Rules to skip (with a reason kept next to the call, please).
   * @default none
   */
  readonly skipRules?: number[];
}

/** `Kind/namespace/name`. */
export function objectId(o: K8sObject): string {
  const ns = o?.metadata?.namespace ?? '-';
  return `${o?.kind ?? '?'}/${ns}/${o?.metadata?.name ?? '?'}`;
}

/** Collects violations with a fixed rule number and origin. */
export class Reporter {
  public readonly violations: Violation[] = [];
  public add(rule: number, origin: Origin[], obj: K8sObject, path: string, message: string): void {
    this.violations.push({ rule, origin, object: objectId(obj), path, message });
  }
}

/** A pod template found in an object. */
export interface PodTemplate {
  /** The object that holds it. */
  readonly owner: K8sObject;
  /** Path of the template (`spec.template`) or of the pod spec holder for a bare Pod (``). */
  readonly path: string;
  /** Template labels. */
  readonly labels: Record<string, string>;
  /** The pod spec. */
  readonly spec: any;
  /** Whether the pod runs to completion (Job, CronJob) rather than forever. */
  readonly oneShot: boolean;
  /** Desired replicas (1 for Jobs and Pods). */
  readonly replicas: number;
}

/** The pod templates of an object: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod. */
export function podTemplates(o: K8sObject): PodTemplate[] {
  const spec = o?.spec;
  if (!spec) return [];
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return [{ owner: o, path: 'spec.template', labels: spec.template?.metadata?.labels ?? {}, spec: spec.template?.spec ?? {}, oneShot: false, replicas: spec.replicas ?? 1 }];
    case 'DaemonSet':
      return [{ owner: o, path: 'spec.template', labels: spec.template?.metadata?.labels ?? {}, spec: spec.template?.spec ?? {}, oneShot: false, replicas: 1 }];
    case 'Job':
      return [{ owner: o, path: 'spec.template', labels: spec.template?.metadata?.labels ?? {}, spec: spec.template?.spec ?? {}, oneShot: true, replicas: 1 }];
    case 'CronJob': {
      const t = spec.jobTemplate?.spec?.template;
      return [{ owner: o, path: 'spec.jobTemplate.spec.template', labels: t?.metadata?.labels ?? {}, spec: t?.spec ?? {}, oneShot: true, replicas: 1 }];
    }
    case 'Pod':
      return [{ owner: o, path: '', labels: o.metadata?.labels ?? {}, spec, oneShot: spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure', replicas: 1 }];
    default:
      return [];
  }
}

/** Joins a path and a field. */
export function at(base: string, field: string): string {
  if (!base) return field;
  return field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

/** Each container of a pod spec, init containers first, with its path. */
export function containersOf(t: PodTemplate): { c: any; path: string; init: boolean }[] {
  const specPath = at(t.path, 'spec');
  const out: { c: any; path: string; init: boolean }[] = [];
  (t.spec.initContainers ?? []).forEach((c: any, i: number) => out.push({ c, path: at(specPath, `initContainers[${i}]`), init: true }));
  (t.spec.containers ?? []).forEach((c: any, i: number) => out.push({ c, path: at(specPath, `containers[${i}]`), init: false }));
  (t.spec.ephemeralContainers ?? []).forEach((c: any, i: number) => out.push({ c, path: at(specPath, `ephemeralContainers[${i}]`), init: true }));
  return out;
}

/** Whether `selector` (matchLabels and matchExpressions) selects `labels`. An empty selector selects everything. */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const val = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(val)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(val)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether a plain map selector (Service `spec.selector`) selects `labels`. */
export function mapSelects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Annotations of an object. */
export function annotationsOf(o: K8sObject): Record<string, unknown> {
  return o?.metadata?.annotations ?? {};
}

/** Walks every string (keys excluded) of a value, with its path. */
export function walkStrings(v: unknown, path: string, fn: (s: string, path: string) => void): void {
  if (typeof v === 'string') fn(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, `${path}[${i}]`, fn));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walkStrings(x, at(path, k), fn);
}

/** Kinds of the core Kubernetes API that the policy rules understand. */
export const CORE_KINDS = new Set([
  'Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'Service', 'PersistentVolumeClaim', 'Pod', 'ResourceQuota', 'LimitRange',
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'PodDisruptionBudget', 'NetworkPolicy', 'Ingress',
  'IngressClass', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'HorizontalPodAutoscaler', 'PriorityClass', 'StorageClass',
]);

/** Stable apiVersion per core kind (rule 14). */
export const STABLE_API_VERSION: Record<string, string> = {
  Namespace: 'v1', ServiceAccount: 'v1', ConfigMap: 'v1', Secret: 'v1', Service: 'v1', PersistentVolumeClaim: 'v1', Pod: 'v1',
  ResourceQuota: 'v1', LimitRange: 'v1',
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', PodDisruptionBudget: 'policy/v1',
  NetworkPolicy: 'networking.k8s.io/v1', Ingress: 'networking.k8s.io/v1', IngressClass: 'networking.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1', RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1', ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2', PriorityClass: 'scheduling.k8s.io/v1', StorageClass: 'storage.k8s.io/v1',
};

/** Custom resources this project renders (or will): generic rules only, plus their CRD schema when available. */
export const KNOWN_CUSTOM_API_VERSIONS: Record<string, string[]> = {
  'monitoring.coreos.com/v1': ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'],
  'bitnami.com/v1alpha1': ['SealedSecret'],
  'external-secrets.io/v1': ['ExternalSecret'],
  'argoproj.io/v1alpha1': ['Application'],
};

/** Cluster-scoped kinds (their namespace is ignored). */
export const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'IngressClass', 'CustomResourceDefinition']);
