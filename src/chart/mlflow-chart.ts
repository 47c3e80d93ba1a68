import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsLabel, checkLabels } from '../common/validate';
import { monitoringWithAuth } from '../auth/auth-scrape';
import { MlflowNetworkPolicyOptions } from '../network/network-policy-options';
import { WorkloadNetworkPolicies } from '../network/workload-network-policies';
import { MlflowMonitoring } from '../monitoring/mlflow-monitoring';
import { MlflowMonitoringOptions } from '../monitoring/monitoring-options';
import { MlflowServer } from '../server/mlflow-server';
import { applyImagePullSecrets } from '../rbac/image-pull-secrets';
import { addCredentialGuard } from '../secrets/credential-guard';
import { MlflowServerProps } from '../server/mlflow-server-props';
import { renderChartNetworkPolicies } from './chart-network-policies';
import { restrictedNamespace } from '../common/workload-identity';

/** Props of {@link MlflowChart}. */
export interface MlflowChartProps extends MlflowServerProps {
  /** Namespace of every object (required: the server's DNS names depend on it). */
  readonly namespace: string;
  /**
   * Render the Namespace itself, labelled for Pod Security *restricted*.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Extra labels of the Namespace.
   * @default none
   */
  readonly namespaceLabels?: Record<string, string>;
  /**
   * NetworkPolicies: one per workload (DNS, declared and derived edges), a namespace default-deny,
   * server ingress from the ingress controller, Prometheus and clients, external egress.
   * @default enabled, see MlflowNetworkPolicyOptions
   */
  readonly networkPolicy?: MlflowNetworkPolicyOptions;
  /**
   * ServiceMonitor, PrometheusRule and Grafana dashboard (each off unless set); any of them
   * turns on the server's `/metrics`.
   * @default no monitoring objects
   */
  readonly monitoring?: MlflowMonitoringOptions;
}

/** One MLflow deployment: the namespace and the whole tracking stack, as one chart (one folder in dist/). */
export class MlflowChart extends Chart {
  /** The tracking server and what it owns. */
  public readonly server: MlflowServer;
  /** The Namespace, when rendered. */
  public readonly namespaceObject?: k8s.KubeNamespace;
  /** The NetworkPolicies, unless disabled (workloads added to the chart later get theirs too). */
  public readonly networkPolicies?: WorkloadNetworkPolicies;
  /** The monitoring objects, when `monitoring` is set. */
  public readonly monitoring?: MlflowMonitoring;

  constructor(scope: Construct, id: string, props: MlflowChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    if (props.namespace === undefined) invalid(this, 'namespace', props.namespace, 'is required: a DNS-1123 label such as "mlflow"');
    checkDnsLabel(this, 'namespace', props.namespace);
    const namespaceLabels = checkLabels(this, 'namespaceLabels', props.namespaceLabels);
    if (props.createNamespace ?? true) {
      this.namespaceObject = restrictedNamespace(this, props.namespace, namespaceLabels);
    }
    const monitoring = monitoringWithAuth(props.monitoring, props.auth, props.namespace);
    const metrics = MlflowMonitoring.serverMetrics(this, props, monitoring);
    this.server = new MlflowServer(this, 'Server', { ...props, metrics });
    if (monitoring) this.monitoring = new MlflowMonitoring(this, 'Monitoring', { server: this.server, options: monitoring });
    applyImagePullSecrets(this, props.imagePullSecrets);
    addCredentialGuard(this);
    this.networkPolicies = renderChartNetworkPolicies(this, {
      server: this.server, options: props.networkPolicy, service: props.service, namespaceRendered: !!this.namespaceObject,
    });
  }
}
