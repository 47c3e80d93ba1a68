import { K8sObject, Reporter, objectId } from './types';

// Rule 20: sync waves are integer strings in a sensible order; Jobs are hooks with a TTL and a delete
// policy; no tracking-id; PVCs (standalone and templates) protected from prune and delete; CRs skip dry run.

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const HOOK = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const TRACKING_ID = 'argocd.argoproj.io/tracking-id';
const HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete', 'Skip'];
const DELETE_POLICIES = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'];

/** Deployment phases, in the order Argo CD must apply them. */
export const PHASES = ['prerequisites', 'data stores', 'store setup', 'migration', 'server', 'exposure'] as const;
export type Phase = typeof PHASES[number];

const DATA_COMPONENTS = new Set(['database', 'postgresql', 'postgres', 'minio', 'object-store', 'objectstore', 'artifact-store', 'storage', 'cache']);

/** The phase of an object, from its kind and `app.kubernetes.io/component`; undefined when it has none of its own. */
export function phaseOf(o: K8sObject): Phase | undefined {
  const component = o.metadata?.labels?.['app.kubernetes.io/component'];
  switch (o.kind) {
    case 'Namespace': case 'ServiceAccount': case 'Role': case 'RoleBinding': case 'ClusterRole': case 'ClusterRoleBinding':
    case 'ConfigMap':
      // a Grafana dashboard is monitoring, applied with the exposure phase
      return component === 'monitoring' ? 'exposure' : 'prerequisites';
    case 'NetworkPolicy': case 'Secret': case 'SealedSecret': case 'ExternalSecret': case 'PersistentVolumeClaim':
    case 'ResourceQuota': case 'LimitRange':
      return 'prerequisites';
    case 'StatefulSet':
      return component === 'server' ? 'server' : 'data stores';
    case 'Job': case 'CronJob':
      return component === 'migration' ? 'migration' : o.kind === 'CronJob' ? undefined : 'store setup';
    case 'Deployment': case 'DaemonSet':
      return component !== undefined && DATA_COMPONENTS.has(component) ? 'data stores' : 'server';
    case 'Service': case 'PodDisruptionBudget': case 'HorizontalPodAutoscaler':
      if (component !== undefined && DATA_COMPONENTS.has(component)) return 'data stores';
      return component === 'server' ? 'server' : undefined;
    case 'Ingress': case 'ServiceMonitor': case 'PodMonitor': case 'PrometheusRule':
      return 'exposure';
    default:
      return undefined;
  }
}

function syncOptions(ann: Record<string, unknown> | undefined): string[] {
  const v = ann?.[SYNC_OPTIONS];
  return typeof v === 'string' ? v.split(',').map(s => s.trim()) : [];
}

export function checkArgoCd(objects: K8sObject[], r: Reporter, requireSyncWaves: boolean): void {
  const origin: any = ['ArgoCD'];
  const waves = new Map<K8sObject, number>();
  for (const o of objects) {
    const ann = o.metadata?.annotations ?? {};
    const wave = ann[SYNC_WAVE];
    if (wave === undefined) {
      if (requireSyncWaves) r.add(20, origin, o, `metadata.annotations[${SYNC_WAVE}]`, 'sync-wave is missing');
    } else if (typeof wave !== 'string' || !/^-?[0-9]+$/.test(wave)) {
      r.add(20, origin, o, `metadata.annotations[${SYNC_WAVE}]`, `sync-wave must be an integer string (is ${JSON.stringify(wave)})`);
    } else {
      waves.set(o, Number(wave));
    }
    if (ann[TRACKING_ID] !== undefined) r.add(20, origin, o, `metadata.annotations[${TRACKING_ID}]`, 'tracking-id is written by Argo CD, never by the manifests');
    if (o.metadata?.labels?.[TRACKING_ID] !== undefined) r.add(20, origin, o, `metadata.labels[${TRACKING_ID}]`, 'tracking-id must not be set');
    if (o.kind === 'Job') {
      const hook = ann[HOOK];
      if (typeof hook !== 'string' || !hook.split(',').every(h => HOOK_TYPES.includes(h.trim()))) r.add(20, origin, o, `metadata.annotations[${HOOK}]`, `Job must be an Argo CD hook (${HOOK_TYPES.join('|')})`);
      const del = ann[HOOK_DELETE_POLICY];
      if (typeof del !== 'string' || !del.split(',').every(h => DELETE_POLICIES.includes(h.trim()))) r.add(20, origin, o, `metadata.annotations[${HOOK_DELETE_POLICY}]`, `Job must have a hook delete policy (${DELETE_POLICIES.join(',')})`);
      if (typeof o.spec?.ttlSecondsAfterFinished !== 'number') r.add(20, origin, o, 'spec.ttlSecondsAfterFinished', 'Job must set ttlSecondsAfterFinished');
    }
    if (ann[HOOK] !== undefined && o.kind !== 'Job' && o.kind !== 'Pod') {
      r.add(20, origin, o, `metadata.annotations[${HOOK}]`, `only one-shot Jobs are hooks: a ${o.kind} hook is re-created on every sync and never pruned`);
    }
    if (o.kind === 'CronJob' && typeof o.spec?.jobTemplate?.spec?.ttlSecondsAfterFinished !== 'number') {
      r.add(20, origin, o, 'spec.jobTemplate.spec.ttlSecondsAfterFinished', 'CronJob Jobs must set ttlSecondsAfterFinished');
    }
    const protectedPvc = (opts: string[]) => opts.includes('Prune=false') && opts.includes('Delete=false');
    if (o.kind === 'PersistentVolumeClaim' && !protectedPvc(syncOptions(ann))) {
      r.add(20, origin, o, `metadata.annotations[${SYNC_OPTIONS}]`, 'PersistentVolumeClaim must carry Prune=false,Delete=false');
    }
    (o.spec?.volumeClaimTemplates ?? []).forEach((v: any, i: number) => {
      if (!protectedPvc(syncOptions(v.metadata?.annotations))) r.add(20, origin, o, `spec.volumeClaimTemplates[${i}].metadata.annotations[${SYNC_OPTIONS}]`, 'volumeClaimTemplate must carry Prune=false,Delete=false');
    });
    const group = typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const custom = group.includes('.') && !group.endsWith('.k8s.io') && o.kind !== 'Application';
    if (custom && !syncOptions(ann).includes('SkipDryRunOnMissingResource=true')) {
      r.add(20, origin, o, `metadata.annotations[${SYNC_OPTIONS}]`, 'custom resources whose CRD may be missing must carry SkipDryRunOnMissingResource=true');
    }
  }
  // Order: the last wave of an earlier phase must not be later than the first wave of a later phase.
  const byPhase = new Map<Phase, K8sObject[]>();
  for (const [o] of waves) {
    const ph = phaseOf(o);
    if (ph) byPhase.set(ph, [...(byPhase.get(ph) ?? []), o]);
  }
  for (let i = 0; i < PHASES.length; i++) {
    for (let j = i + 1; j < PHASES.length; j++) {
      for (const early of byPhase.get(PHASES[i]) ?? []) {
        for (const late of byPhase.get(PHASES[j]) ?? []) {
          if (waves.get(early)! > waves.get(late)!) {
            r.add(20, origin, late, `metadata.annotations[${SYNC_WAVE}]`, `wave ${waves.get(late)} (${PHASES[j]}) comes before ${objectId(early)} in wave ${waves.get(early)} (${PHASES[i]})`);
          }
        }
      }
    }
  }
}
