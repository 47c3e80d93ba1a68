import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from './errors';
import { checkSize } from './validate';

/** A request and a limit. */
export interface CpuRange {
  /** Guaranteed CPU. */
  readonly request: Cpu;
  /** Maximum CPU. */
  readonly limit: Cpu;
}

/** A request and a limit. */
export interface SizeRange {
  /** Guaranteed amount. */
  readonly request: Size;
  /** Maximum amount. */
  readonly limit: Size;
}

/**
 * Requests and limits of one container. Each field left out takes the
 * component's own default; all three are always rendered.
 */
export interface ContainerResources {
  /**
   * CPU request and limit.
   * @default the component's default (see its props)
   */
  readonly cpu?: CpuRange;
  /**
   * Memory request and limit.
   * @default the component's default (see its props)
   */
  readonly memory?: SizeRange;
  /**
   * Ephemeral storage (emptyDirs, logs, writable layers) request and limit.
   * @default the component's default (see its props)
   */
  readonly ephemeralStorage?: SizeRange;
}

/** Fully specified resources: what every component passes as its defaults. */
export interface ResolvedResources {
  /** CPU request and limit. */
  readonly cpu: CpuRange;
  /** Memory request and limit. */
  readonly memory: SizeRange;
  /** Ephemeral storage request and limit. */
  readonly ephemeralStorage: SizeRange;
}

/** Shorthand for component defaults. */
export function resources(cpu: [string, string], memory: [string, string], ephemeral: [string, string]): ResolvedResources {
  const c = (s: string) => (s.endsWith('m') ? Cpu.millis(Number(s.slice(0, -1))) : Cpu.units(Number(s)));
  const q = (s: string) => parseSize(s);
  return {
    cpu: { request: c(cpu[0]), limit: c(cpu[1]) },
    memory: { request: q(memory[0]), limit: q(memory[1]) },
    ephemeralStorage: { request: q(ephemeral[0]), limit: q(ephemeral[1]) },
  };
}

function parseSize(s: string): Size {
  const m = /^([0-9]+)(Mi|Gi)$/.exec(s);
  if (!m) throw new Error(`internal: bad default size ${s}`);
  return m[2] === 'Gi' ? Size.gibibytes(Number(m[1])) : Size.mebibytes(Number(m[1]));
}

/** Renders requests and limits (all as strings), validating that request ≤ limit. */
export function renderResources(scope: IConstruct, prop: string, given: ContainerResources | undefined, defaults: ResolvedResources): k8s.ResourceRequirements {
  const cpu = given?.cpu ?? defaults.cpu;
  const memory = given?.memory ?? defaults.memory;
  const eph = given?.ephemeralStorage ?? defaults.ephemeralStorage;
  const cpuReq = checkCpu(scope, `${prop}.cpu.request`, cpu.request);
  const cpuLim = checkCpu(scope, `${prop}.cpu.limit`, cpu.limit);
  if (cpuMillis(cpuReq) > cpuMillis(cpuLim)) invalid(scope, `${prop}.cpu`, { request: cpuReq, limit: cpuLim }, 'the request must not exceed the limit');
  const memReq = checkSize(scope, `${prop}.memory.request`, memory.request);
  const memLim = checkSize(scope, `${prop}.memory.limit`, memory.limit);
  if (memory.request.toKibibytes() > memory.limit.toKibibytes()) invalid(scope, `${prop}.memory`, { request: memReq, limit: memLim }, 'the request must not exceed the limit');
  const ephReq = checkSize(scope, `${prop}.ephemeralStorage.request`, eph.request);
  const ephLim = checkSize(scope, `${prop}.ephemeralStorage.limit`, eph.limit);
  if (eph.request.toKibibytes() > eph.limit.toKibibytes()) invalid(scope, `${prop}.ephemeralStorage`, { request: ephReq, limit: ephLim }, 'the request must not exceed the limit');
  return {
    requests: {
      'cpu': k8s.Quantity.fromString(cpuReq),
      'memory': k8s.Quantity.fromString(memReq),
      'ephemeral-storage': k8s.Quantity.fromString(ephReq),
    },
    limits: {
      'cpu': k8s.Quantity.fromString(cpuLim),
      'memory': k8s.Quantity.fromString(memLim),
      'ephemeral-storage': k8s.Quantity.fromString(ephLim),
    },
  };
}

function checkCpu(scope: IConstruct, prop: string, cpu: Cpu): string {
  if (!(cpu instanceof Cpu) || !/^[0-9]+(\.[0-9]+)?m?$/.test(cpu.amount) || cpuMillis(cpu.amount) <= 0) {
    invalid(scope, prop, (cpu as any)?.amount ?? cpu, 'must be a positive Cpu such as Cpu.millis(250) or Cpu.units(1)');
  }
  return cpu.amount;
}

function cpuMillis(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}
