import { Construct } from 'constructs';
import { WorkloadNetworkPolicies } from '../network/workload-network-policies';
import { MlflowNetworkPolicyOptions } from '../network/network-policy-options';
import { applyServerNetworkRules } from '../network/server-network-rules';
import { MlflowServer } from '../server/mlflow-server';
import { ServiceExposure } from '../server/service-exposure';

/** What the chart passes in. */
export interface ChartNetworkPolicyContext {
  readonly server: MlflowServer;
  readonly options?: MlflowNetworkPolicyOptions;
  readonly service?: ServiceExposure;
  readonly namespaceRendered: boolean;
}

/** Adds the server's chart-level rules and renders every workload's NetworkPolicy (unless disabled). */
export function renderChartNetworkPolicies(scope: Construct, ctx: ChartNetworkPolicyContext): WorkloadNetworkPolicies | undefined {
  const o = ctx.options ?? {};
  if (o.enabled === false) return undefined;
  const exposure = ctx.service ?? ServiceExposure.clusterIp();
  const server = ctx.server;
  applyServerNetworkRules(scope, {
    traffic: server.traffic,
    port: server.port,
    hasIngress: !!server.ingress,
    serviceType: exposure.type,
    loadBalancerSourceRanges: exposure.loadBalancer?.sourceRanges,
    artifactEgress: server.artifacts.egress,
    backendEgress: server.backend.egress,
    databasePort: 5432,
    databaseClients: server.migration ? [`${server.name}-migrate`] : [],
  }, o);
  return new WorkloadNetworkPolicies(scope, 'NetworkPolicies', {
    namespace: server.namespace,
    dns: o.dns,
    defaultDenyName: (o.defaultDeny ?? ctx.namespaceRendered) ? `${server.name}-default-deny` : undefined,
    labels: { 'app.kubernetes.io/instance': server.instance },
  });
}
