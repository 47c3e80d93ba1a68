import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { setSyncWave, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { standardLabels } from '../common/labels';
import { checkDnsSubdomain } from '../common/validate';
import { checkIpv4Cidr } from '../network/cidr';
import { NetworkPeer } from '../network/network-peer';
import type { MlflowServer } from '../server/mlflow-server';

/** Options of {@link MlflowServer.grantApiRead}. */
export interface ServerApiReadOptions {
  /**
   * Secrets the server may `get` by name.
   * @default none
   */
  readonly secrets?: string[];
  /**
   * ConfigMaps the server may `get` by name.
   * @default none
   */
  readonly configMaps?: string[];
  /**
   * Address blocks of the Kubernetes API server endpoints (`kubectl get endpoints kubernetes -n default`),
   * opened in the server's NetworkPolicy egress. Required: the API server usually lives in a private range
   * that the default external egress carves out.
   */
  readonly apiServerCidrs: string[];
  /**
   * API server ports (the endpoint port, after the Service's 443 is translated).
   * @default [443, 6443]
   */
  readonly apiServerPorts?: number[];
}

const GRANTED = new WeakSet<MlflowServer>();

/**
 * Lets the server read named Secrets/ConfigMaps through the API: a Role with `get` on exactly those
 * `resourceNames` (no list, no watch, no wildcard, no ClusterRole), a RoleBinding to the server's
 * ServiceAccount, the pod's token mounted (only in this case) and egress to the API server.
 */
export function grantServerApiRead(server: MlflowServer, o: ServerApiReadOptions): k8s.KubeRole {
  if (GRANTED.has(server)) invalid(server, 'grantApiRead', '(second call)', 'call it once with every Secret and ConfigMap name');
  const secrets = (o.secrets ?? []).map(n => checkDnsSubdomain(server, 'grantApiRead.secrets', n));
  const configMaps = (o.configMaps ?? []).map(n => checkDnsSubdomain(server, 'grantApiRead.configMaps', n));
  if (secrets.length + configMaps.length === 0) invalid(server, 'grantApiRead', o, 'name at least one Secret or ConfigMap');
  const cidrs = o.apiServerCidrs ?? [];
  if (!Array.isArray(cidrs) || cidrs.length === 0) invalid(server, 'grantApiRead.apiServerCidrs', o.apiServerCidrs, 'list the API server endpoint addresses as CIDRs, e.g. ["172.20.0.0/16"] (see kubectl get endpoints kubernetes -n default)');
  for (const c of cidrs) {
    checkIpv4Cidr(server, 'grantApiRead.apiServerCidrs', c);
    if (c.endsWith('/0')) invalid(server, 'grantApiRead.apiServerCidrs', c, 'must be the API server endpoints, not everything');
  }
  const ports = o.apiServerPorts ?? [443, 6443];
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) invalid(server, 'grantApiRead.apiServerPorts', p, 'each must be a port from 1 to 65535');
  GRANTED.add(server);

  const labels = standardLabels({ name: 'mlflow', instance: server.instance, component: 'server' });
  const name = `${server.name}-api-read`;
  const rules: k8s.PolicyRule[] = [];
  if (secrets.length) rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...new Set(secrets)].sort() });
  if (configMaps.length) rules.push({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [...new Set(configMaps)].sort() });
  const role = new k8s.KubeRole(server, 'ApiReadRole', { metadata: { name, labels }, rules });
  const binding = new k8s.KubeRoleBinding(server, 'ApiReadRoleBinding', {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: server.serviceAccount.name, namespace: server.namespace }],
  });
  setSyncWave(role, SyncWave.PREREQUISITES);
  setSyncWave(binding, SyncWave.PREREQUISITES);
  // The ServiceAccount keeps automount off; only this pod template mounts the token.
  server.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true));
  server.traffic.egress.push({ peer: NetworkPeer.ipBlock(cidrs[0]), ports: ports.map(port => ({ port })), description: 'Kubernetes API server' });
  for (const c of cidrs.slice(1)) server.traffic.egress.push({ peer: NetworkPeer.ipBlock(c), ports: ports.map(port => ({ port })), description: 'Kubernetes API server' });
  return role;
}
