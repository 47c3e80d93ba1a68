import { ApiObject } from 'cdk8s';

/**
 * Argo CD sync waves, as integer strings. Prerequisites (namespace, accounts,
 * policies, config) first, then the data stores, then their one-shot set-up Jobs,
 * then the schema migration, then the server, then what exposes and watches it.
 */
export const SyncWave = {
  PREREQUISITES: '0',
  DATA_STORES: '1',
  STORE_SETUP: '2',
  MIGRATION: '3',
  SERVER: '4',
  EXPOSURE: '5',
} as const;

/** Marks an object with its sync wave. */
export function setSyncWave(obj: ApiObject, wave: string): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/sync-wave', wave);
}

/**
 * Makes a Job an Argo CD Sync hook in the given wave: it runs on every sync, the
 * previous run is deleted before a new one is created and a successful run is removed.
 */
export function makeSyncHook(obj: ApiObject, wave: string): void {
  setSyncWave(obj, wave);
  obj.metadata.addAnnotation('argocd.argoproj.io/hook', 'Sync');
  obj.metadata.addAnnotation('argocd.argoproj.io/hook-delete-policy', 'BeforeHookCreation,HookSucceeded');
}

/** Protects a PersistentVolumeClaim (template) from Argo CD prune and delete. */
export const PVC_PROTECTION_ANNOTATIONS: Record<string, string> = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
};

/** For custom resources whose CRD may be missing from the cluster. */
export function skipDryRunOnMissingResource(obj: ApiObject): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'SkipDryRunOnMissingResource=true');
}
