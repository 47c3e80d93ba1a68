import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkIpv4Cidr, isIpv4 } from '../network/cidr';
import { checkAnnotations, checkInt } from '../common/validate';

/** Options of a LoadBalancer Service. */
export interface LoadBalancerOptions {
  /**
   * Fixed address requested from the load balancer (MetalLB honours `metallb.universe.tf/loadBalancerIPs`,
   * older controllers `spec.loadBalancerIP`; both are set).
   * @default an address the controller picks
   */
  readonly loadBalancerIp?: string;
  /**
   * Fixed node port as well (30000-32767).
   * @default a port Kubernetes picks
   */
  readonly nodePort?: number;
  /**
   * Client ranges allowed by the load balancer.
   * @default no restriction at the load balancer (the NetworkPolicy still applies)
   */
  readonly sourceRanges?: string[];
  /**
   * Extra Service annotations (cloud load balancer settings).
   * @default none
   */
  readonly annotations?: Record<string, string>;
}


/** How the MLflow Service is reachable. */
export class ServiceExposure {
  /** Inside the cluster only (the default; put an Ingress in front). */
  public static clusterIp(): ServiceExposure {
    return new ServiceExposure('ClusterIP');
  }

  /**
   * On every node's address at a fixed port.
   * @param nodePort 30000-32767
   */
  public static nodePort(nodePort: number): ServiceExposure {
    return new ServiceExposure('NodePort', nodePort);
  }

  /** Through a load balancer (cloud, or MetalLB on bare metal). */
  public static loadBalancer(options: LoadBalancerOptions = {}): ServiceExposure {
    return new ServiceExposure('LoadBalancer', options.nodePort, options);
  }

  private constructor(
    /** Service type. */
    public readonly type: string,
    /** Fixed node port, if any. */
    public readonly nodePort?: number,
    /** Load balancer options. */
    public readonly loadBalancer?: LoadBalancerOptions,
  ) {}

  /**
   * Validates the options.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.nodePort !== undefined) checkInt(scope, `${prop}.nodePort`, this.nodePort, 30000, 32767);
    const lb = this.loadBalancer;
    if (lb?.loadBalancerIp !== undefined && !isIpv4(lb.loadBalancerIp)) {
      invalid(scope, `${prop}.loadBalancerIp`, lb.loadBalancerIp, 'must be an IPv4 address such as 192.168.1.240');
    }
    for (const r of lb?.sourceRanges ?? []) {
      checkIpv4Cidr(scope, `${prop}.sourceRanges`, r);
      if (r.endsWith('/0')) invalid(scope, `${prop}.sourceRanges`, r, 'must not be the whole address space: leave sourceRanges out for no restriction at the load balancer');
    }
    checkAnnotations(scope, `${prop}.annotations`, lb?.annotations);
  }

  /** Host names (addresses) clients use to reach the server through this exposure. */
  public get addresses(): string[] {
    return this.loadBalancer?.loadBalancerIp ? [this.loadBalancer.loadBalancerIp] : [];
  }
}
