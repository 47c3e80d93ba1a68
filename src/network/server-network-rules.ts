import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkLabels } from '../common/validate';
import { checkExcept, checkIpv4Cidr, PRIVATE_IPV4_RANGES } from './cidr';
import { IngressRule, NetworkModel, WorkloadTraffic } from './network-model';
import { EgressRule, NetworkPeer } from './network-peer';
import { MlflowNetworkPolicyOptions } from './network-policy-options';

/** What the rules need to know about the server (kept structural: no import of the server). */
export interface ServerNetworkFacts {
  /** The server pods' traffic. */
  readonly traffic: WorkloadTraffic;
  /** The server port. */
  readonly port: number;
  /** Whether an Ingress is rendered. */
  readonly hasIngress: boolean;
  /** The Service type. */
  readonly serviceType: string;
  /** The load balancer's source ranges, if any. */
  readonly loadBalancerSourceRanges?: string[];
  /** Egress the artifact store declared (S3 stores declare 443 themselves). */
  readonly artifactEgress: EgressRule[];
  /** Egress the backend store declared (empty for an external database without CIDRs). */
  readonly backendEgress: EgressRule[];
  /** Port of an external database. */
  readonly databasePort: number;
  /** Names of other workloads that talk to the database (the migration Job). */
  readonly databaseClients: string[];
}

/** Checks a client/controller selector: labels valid, not both empty. */
function checkSelector(scope: IConstruct, prop: string, podLabels?: Record<string, string>, namespaceLabels?: Record<string, string>): NetworkPeer {
  checkLabels(scope, `${prop}.podLabels`, podLabels);
  checkLabels(scope, `${prop}.namespaceLabels`, namespaceLabels);
  const hasPods = !!podLabels && Object.keys(podLabels).length > 0;
  const hasNs = !!namespaceLabels && Object.keys(namespaceLabels).length > 0;
  if (!hasPods && !hasNs) {
    invalid(scope, prop, { podLabels, namespaceLabels }, 'needs podLabels and/or namespaceLabels with at least one label (an empty selector would admit every pod)');
  }
  if (hasNs) return hasPods ? NetworkPeer.pods(podLabels!, namespaceLabels) : NetworkPeer.namespaces(namespaceLabels!);
  return NetworkPeer.pods(podLabels!);
}

/** The resolved external egress block, or undefined when turned off. */
function externalEgressPeer(scope: IConstruct, options: MlflowNetworkPolicyOptions): { peer: NetworkPeer; ports: number[] } | undefined {
  const ext = options.externalEgress;
  if (ext?.enabled === false) return undefined;
  const cidr = checkIpv4Cidr(scope, 'networkPolicy.externalEgress.cidr', ext?.cidr ?? '0.0.0.0/0');
  const except = checkExcept(scope, 'networkPolicy.externalEgress.except', cidr, ext?.except ?? (cidr === '0.0.0.0/0' ? [...PRIVATE_IPV4_RANGES] : []));
  if (cidr === '0.0.0.0/0' && except.length === 0) {
    invalid(scope, 'networkPolicy.externalEgress.except', except, 'egress to 0.0.0.0/0 must carve out the private ranges (at least one exception)');
  }
  const ports = ext?.ports ?? [443];
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) invalid(scope, 'networkPolicy.externalEgress.ports', p, 'each must be a port from 1 to 65535');
  }
  return { peer: NetworkPeer.ipBlock(cidr, except), ports };
}

/**
 * Adds the server's chart-level rules to the model: who may reach the server (ingress
 * controller, Prometheus, clients, external clients of a NodePort/LoadBalancer) and where the
 * server and the migration Job may go outside the cluster.
 */
export function applyServerNetworkRules(scope: IConstruct, server: ServerNetworkFacts, options: MlflowNetworkPolicyOptions): void {
  const ports = [{ port: server.port }];
  const ingress: IngressRule[] = [];

  const ctrlNs = options.ingressControllerNamespaceLabels ?? (server.hasIngress ? { 'kubernetes.io/metadata.name': 'ingress-nginx' } : undefined);
  if (ctrlNs || options.ingressControllerPodLabels) {
    const peer = checkSelector(scope, 'networkPolicy.ingressController', options.ingressControllerPodLabels, ctrlNs);
    ingress.push({ peer, ports, description: 'ingress controller' });
  }
  if (options.allowPrometheus) {
    const nsLabels = options.prometheusNamespaceLabels ?? { 'kubernetes.io/metadata.name': 'monitoring' };
    const peer = checkSelector(scope, 'networkPolicy.prometheus', options.prometheusPodLabels, nsLabels);
    const port = options.prometheusPort ?? server.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) invalid(scope, 'networkPolicy.prometheusPort', port, 'must be a port from 1 to 65535');
    ingress.push({ peer, ports: [{ port }], description: 'Prometheus scrape' });
  }
  (options.clients ?? []).forEach((c, i) => {
    if (!c || typeof c !== 'object') invalid(scope, `networkPolicy.clients[${i}]`, c, 'must be {podLabels?, namespaceLabels?}');
    ingress.push({ peer: checkSelector(scope, `networkPolicy.clients[${i}]`, c.podLabels, c.namespaceLabels), ports, description: 'client' });
  });
  if (server.serviceType === 'NodePort' || server.serviceType === 'LoadBalancer') {
    const cidrs = options.externalClientCidrs ?? (server.loadBalancerSourceRanges?.length ? server.loadBalancerSourceRanges : [...PRIVATE_IPV4_RANGES]);
    if (cidrs.length === 0) invalid(scope, 'networkPolicy.externalClientCidrs', cidrs, 'must list at least one CIDR for a NodePort or LoadBalancer Service');
    for (const c of cidrs) {
      checkIpv4Cidr(scope, 'networkPolicy.externalClientCidrs', c);
      if (c === '0.0.0.0/0') invalid(scope, 'networkPolicy.externalClientCidrs', c, 'must not be bare 0.0.0.0/0; list the client ranges (e.g. 0.0.0.0/1 and 128.0.0.0/1 if you truly mean everyone)');
      ingress.push({ peer: NetworkPeer.ipBlock(c), ports, description: `external clients of the ${server.serviceType} Service` });
    }
  }
  server.traffic.ingress.push(...ingress);

  const ext = externalEgressPeer(scope, options);
  if (!ext) return;
  // Stores declare their own egress (S3: 443 to S3/STS); the default fills in only for a store that declares none.
  if (options.externalEgress !== undefined || server.artifactEgress.length === 0) {
    server.traffic.egress.push({ peer: ext.peer, ports: ext.ports.map(port => ({ port })), description: 'object storage, STS and other HTTPS endpoints outside the cluster' });
  }
  if (server.backendEgress.length === 0) {
    const model = NetworkModel.of(scope);
    const dbEgress: EgressRule = { peer: ext.peer, ports: [{ port: server.databasePort }], description: 'external PostgreSQL (no CIDRs declared)' };
    server.traffic.egress.push(dbEgress);
    for (const name of server.databaseClients) model.find(name)?.egress.push(dbEgress);
  }
}
