import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { setSyncWave, SyncWave } from './argocd';
import { MANAGED_BY, PART_OF } from './labels';

/**
 * The dedicated ServiceAccount every workload runs as: no API token mounted, applied with the
 * prerequisites (before the pods that name it).
 */
export function workloadServiceAccount(scope: Construct, name: string, labels: Record<string, string>, annotations?: Record<string, string>): k8s.KubeServiceAccount {
  const sa = new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { name, labels, ...(annotations ? { annotations } : {}) },
    automountServiceAccountToken: false,
  });
  setSyncWave(sa, SyncWave.PREREQUISITES);
  return sa;
}

/** A Namespace that enforces (and audits and warns on) Pod Security Standards *restricted*. */
export function restrictedNamespace(scope: Construct, name: string, extraLabels: Record<string, string> = {}): k8s.KubeNamespace {
  const ns = new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: {
      name,
      labels: {
        ...extraLabels,
        'app.kubernetes.io/part-of': PART_OF,
        'app.kubernetes.io/managed-by': MANAGED_BY,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  });
  setSyncWave(ns, SyncWave.PREREQUISITES);
  return ns;
}
