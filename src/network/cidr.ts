import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const IPV4_CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}\\/([0-9]|[12][0-9]|3[0-2])$`);
const IPV6_CIDR = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/;

/** The private IPv4 ranges (RFC 1918). */
export const PRIVATE_IPV4_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** Whether a string is an IPv4 address literal. */
export function isIpv4(address: string): boolean {
  return typeof address === 'string' && IPV4.test(address);
}

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

/**
 * A network to connect to: an IPv4 CIDR without host bits, or an IPv6 CIDR; never the whole
 * address space (name the network instead).
 * @returns the CIDR, unchanged
 */
export function checkNetworkCidr(scope: IConstruct, prop: string, cidr: string): string {
  if (typeof cidr === 'string' && IPV6_CIDR.test(cidr)) {
    if (cidr === '::/0') invalid(scope, prop, cidr, 'must not be the whole address space; name the network');
    return cidr;
  }
  const p = parseCidr(cidr);
  if (!p || p.base % 2 ** (32 - p.bits) !== 0) {
    invalid(scope, prop, cidr, "must be a network in CIDR form with no host bits set, such as '10.20.0.0/16' or 'fd00::/8'");
  }
  if (cidr === '0.0.0.0/0') invalid(scope, prop, cidr, 'must not be the whole address space; name the network');
  return cidr;
}
