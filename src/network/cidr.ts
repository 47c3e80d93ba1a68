import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/([0-9]|[12][0-9]|3[0-2])$/;

/** The address and prefix length of an IPv4 CIDR, or undefined when it is not one. */
function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  if (typeof cidr !== 'string' || !IPV4_CIDR.test(cidr)) return undefined;
  const [ip, bits] = cidr.split('/');
  const base = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return { base, bits: Number(bits) };
}

/** Whether `inner` lies inside `outer` (both IPv4 CIDRs). */
function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || i.bits < o.bits) return false;
  const size = 2 ** (32 - o.bits);
  return Math.floor(i.base / size) === Math.floor(o.base / size);
}

/** Whether an IPv4 address lies inside a CIDR. */
export function addressInCidr(address: string, cidr: string): boolean {
  return cidrContains(cidr, `${address}/32`);
}

/**
 * An IPv4 CIDR whose address has no host bits set (Kubernetes rejects `10.0.0.1/8`).
 * @returns the CIDR, unchanged
 */
export function checkIpv4Cidr(scope: IConstruct, prop: string, cidr: string): string {
  const p = parseCidr(cidr);
  if (!p || p.base % 2 ** (32 - p.bits) !== 0) {
    invalid(scope, prop, cidr, "must be an IPv4 CIDR with no host bits set, e.g. '10.20.0.0/16' or '0.0.0.0/0'");
  }
  return cidr;
}

/** Exceptions of an ipBlock: valid CIDRs strictly inside the block. */
export function checkExcept(scope: IConstruct, prop: string, cidr: string, except: string[]): string[] {
  for (const e of except) {
    checkIpv4Cidr(scope, prop, e);
    if (!cidrContains(cidr, e) || e === cidr) invalid(scope, prop, e, `each exception must lie strictly inside ${cidr}`);
  }
  return except;
}
