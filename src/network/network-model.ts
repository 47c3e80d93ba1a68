import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { EgressRule, NetworkPeer, NetworkPort } from './network-peer';

/** One allowed connection into a workload. */
export interface IngressRule {
  /** Who may connect. */
  readonly peer: NetworkPeer;
  /** To which ports. */
  readonly ports: NetworkPort[];
  /** Why (for tests and reports, not rendered). */
  readonly description: string;
}

/** The traffic of one workload's pods: what they accept and what they open. */
export interface WorkloadTraffic {
  /** Name of the NetworkPolicy rendered for these pods (DNS-1123). */
  readonly name: string;
  /** Labels that select the pods (matchLabels of the policy). */
  readonly podLabels: Record<string, string>;
  /** Connections the pods accept (mutable: relationships such as allowClient add to it). */
  readonly ingress: IngressRule[];
  /** Connections the pods open, besides DNS (mutable). */
  readonly egress: EgressRule[];
}

const MODELS = new WeakMap<Chart, NetworkModel>();

/**
 * The declared traffic of every workload in a chart. Each construct registers its pods here;
 * the NetworkPolicies are rendered from it, so what is declared is exactly what is allowed.
 */
export class NetworkModel {
  /** The model of the chart that holds `scope`. */
  public static of(scope: IConstruct): NetworkModel {
    const chart = Chart.of(scope);
    let model = MODELS.get(chart);
    if (!model) MODELS.set(chart, (model = new NetworkModel(chart)));
    return model;
  }

  private readonly items: WorkloadTraffic[] = [];
  private readonly listeners: Array<(traffic: WorkloadTraffic) => void> = [];

  private constructor(private readonly chart: Chart) {}

  /** Registers a workload; returns it so callers can add rules later. */
  public register(traffic: WorkloadTraffic): WorkloadTraffic {
    if (this.items.some(w => w.name === traffic.name)) {
      invalid(this.chart, 'workload name', traffic.name, 'is used by two workloads of this chart (each gets a NetworkPolicy of that name): give every MlflowServer and client workload in a chart its own name');
    }
    this.items.push(traffic);
    for (const l of this.listeners) l(traffic);
    return traffic;
  }

  /**
   * Calls `listener` for every workload registered so far and for every one registered later,
   * so policies rendered from the model are complete whatever the construction order.
   */
  public onRegister(listener: (traffic: WorkloadTraffic) => void): void {
    this.listeners.push(listener);
    for (const w of [...this.items]) listener(w);
  }

  /** Every registered workload, in registration order. */
  public get workloads(): readonly WorkloadTraffic[] {
    return this.items;
  }

  /** The workload registered under `name`, if any. */
  public find(name: string): WorkloadTraffic | undefined {
    return this.items.find(w => w.name === name);
  }
}
