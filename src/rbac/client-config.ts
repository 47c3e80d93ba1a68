import { k8s } from 'cdk8s-plus-28';
import { setSyncWave, SyncWave } from '../common/argocd';
import { standardLabels } from '../common/labels';
import { checkDnsLabel, checkDnsSubdomain } from '../common/validate';
import type { MlflowServer } from '../server/mlflow-server';

interface ClientConfigState {
  readonly configMap: k8s.KubeConfigMap;
  subjects?: k8s.Subject[];
}

const STATE = new WeakMap<MlflowServer, ClientConfigState>();

/**
 * The client connection ConfigMap `<name>-client` (MLFLOW_TRACKING_URI only, never a credential),
 * rendered once per server; clients can `envFrom` it.
 */
export function clientConfigMap(server: MlflowServer): k8s.KubeConfigMap {
  let state = STATE.get(server);
  if (!state) {
    const labels = standardLabels({ name: 'mlflow', instance: server.instance, component: 'client-config' });
    const configMap = new k8s.KubeConfigMap(server, 'ClientConfig', {
      metadata: { name: `${server.name}-client`, labels },
      data: { MLFLOW_TRACKING_URI: server.trackingUri },
    });
    setSyncWave(configMap, SyncWave.PREREQUISITES);
    state = { configMap };
    STATE.set(server, state);
  }
  return state.configMap;
}

/**
 * Grants a client's ServiceAccount `get` on the client connection ConfigMap (and nothing else):
 * one Role with `resourceNames: [<name>-client]`, one RoleBinding listing every granted account.
 * @returns the ConfigMap's name
 */
export function grantClientConfigRead(server: MlflowServer, serviceAccountName: string, namespace?: string): string {
  checkDnsSubdomain(server, 'grantClientConfigRead serviceAccountName', serviceAccountName);
  const ns = checkDnsLabel(server, 'grantClientConfigRead namespace', namespace ?? server.namespace);
  const cm = clientConfigMap(server);
  const state = STATE.get(server)!;
  if (!state.subjects) {
    state.subjects = [];
    const labels = standardLabels({ name: 'mlflow', instance: server.instance, component: 'client-config' });
    const name = `${server.name}-client-config`;
    const role = new k8s.KubeRole(server, 'ClientConfigRole', {
      metadata: { name, labels },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [cm.name] }],
    });
    const binding = new k8s.KubeRoleBinding(server, 'ClientConfigRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: state.subjects, // by reference: later grants land in the same binding
    });
    setSyncWave(role, SyncWave.PREREQUISITES);
    setSyncWave(binding, SyncWave.PREREQUISITES);
  }
  if (!state.subjects.some(s => s.name === serviceAccountName && s.namespace === ns)) {
    state.subjects.push({ kind: 'ServiceAccount', name: serviceAccountName, namespace: ns });
  }
  return cm.name;
}
