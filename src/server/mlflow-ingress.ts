import { Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { setSyncWave, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { checkAnnotations, checkDnsSubdomain, checkDuration, checkHostname, checkInt, checkSize } from '../common/validate';
import { MlflowIngressOptions } from './ingress-options';

/**
 * Props of {@link MlflowIngress}. `MlflowServer` fills them from its `ingress` prop; it is
 * public because the construct is (`MlflowServer.ingress`).
 */
export interface MlflowIngressProps {
  /** Name of the Ingress (and default TLS Secret `<name>-tls`). */
  readonly name: string;
  /** Labels of the Ingress. */
  readonly labels: Record<string, string>;
  /** What the user asked for (hosts, class, TLS, limits). */
  readonly options: MlflowIngressOptions;
  /** The Service the Ingress routes to. */
  readonly serviceName: string;
  /** The Service port name. */
  readonly portName: string;
  /**
   * URL prefix of the server (`--static-prefix`).
   * @default no prefix: the Ingress routes `/`
   */
  readonly staticPrefix?: string;
}

/** The Ingress of the MLflow server: TLS by default, sized for artifact uploads. */
export class MlflowIngress extends Construct {
  /** The host names served. */
  public readonly hosts: string[];
  /** The Ingress object. */
  public readonly ingress: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: MlflowIngressProps) {
    super(scope, id);
    const o = props.options;
    if (!Array.isArray(o.hosts) || o.hosts.length === 0) {
      invalid(scope, 'ingress.hosts', o.hosts, "must list at least one host name, e.g. ['mlflow.example.com']");
    }
    this.hosts = o.hosts.map(h => checkHostname(scope, 'ingress.hosts', h));
    if (new Set(this.hosts).size !== this.hosts.length) invalid(scope, 'ingress.hosts', o.hosts, 'must not repeat a host');
    if (o.className !== undefined) checkDnsSubdomain(scope, 'ingress.className', o.className);
    if (o.clusterIssuer !== undefined) checkDnsSubdomain(scope, 'ingress.clusterIssuer', o.clusterIssuer);
    const tlsSecretName = o.disableTls ? undefined : checkDnsSubdomain(scope, 'ingress.tlsSecretName', o.tlsSecretName ?? `${props.name}-tls`);
    if (o.disableTls && (o.tlsSecretName || o.clusterIssuer)) {
      invalid(scope, 'ingress.disableTls', true, 'cannot be combined with tlsSecretName or clusterIssuer');
    }
    const bodySize = checkSize(scope, 'ingress.maxBodySize', o.maxBodySize ?? Size.gibibytes(5)).replace(/i$/, '').toLowerCase();
    const timeout = checkInt(scope, 'ingress.timeout (seconds)', checkDuration(scope, 'ingress.timeout', o.timeout ?? Duration.minutes(10)), 1, 86400);

    const annotations: Record<string, string> = {
      'nginx.ingress.kubernetes.io/proxy-body-size': bodySize,
      'nginx.ingress.kubernetes.io/proxy-read-timeout': String(timeout),
      'nginx.ingress.kubernetes.io/proxy-send-timeout': String(timeout),
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
      ...(o.clusterIssuer ? { 'cert-manager.io/cluster-issuer': o.clusterIssuer } : {}),
      ...checkAnnotations(scope, 'ingress.annotations', o.annotations),
    };
    const backend = { service: { name: props.serviceName, port: { name: props.portName } } };
    // Under a static prefix the UI moves but the REST API (/api/2.0, /ajax-api) stays at the root.
    const paths = props.staticPrefix ? [props.staticPrefix, '/api', '/ajax-api'] : ['/'];
    this.ingress = new k8s.KubeIngress(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels, annotations },
      spec: {
        ...(o.className ? { ingressClassName: o.className } : {}),
        ...(tlsSecretName ? { tls: [{ hosts: this.hosts, secretName: tlsSecretName }] } : {}),
        rules: this.hosts.map(host => ({
          host,
          http: { paths: paths.map(path => ({ path, pathType: 'Prefix', backend })) },
        })),
      },
    });
    setSyncWave(this.ingress, SyncWave.EXPOSURE);
  }
}
