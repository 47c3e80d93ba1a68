import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { hasEmbeddedCredential } from './credentials';
import { invalid } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (Service, namespace names): 1–63 chars of [a-z0-9-], alphanumeric at both ends. */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string, maxLength = 63): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !DNS1123_LABEL.test(value)) {
    invalid(scope, prop, value, `must be a DNS-1123 label: 1-${maxLength} characters of a-z, 0-9 and '-', starting and ending with a letter or digit`);
  }
  return value;
}

/** A DNS-1123 subdomain (Secret, ConfigMap names): ≤253 chars, dot-separated labels. */
export function checkDnsSubdomain(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    invalid(scope, prop, value, "must be a DNS-1123 subdomain: up to 253 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit");
  }
  return value;
}

/** A host name as used in an Ingress rule (wildcard allowed only as the first label). */
export function checkHostname(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !HOSTNAME.test(value)) {
    invalid(scope, prop, value, "must be a lower-case DNS name such as 'mlflow.example.com' (a leading '*.' wildcard is allowed; no scheme, port or path)");
  }
  return value;
}

/** A Kubernetes label value: ≤63 chars, alphanumeric at both ends, [-_.] inside. */
export function checkLabelValue(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    invalid(scope, prop, value, "must be a label value: up to 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with an alphanumeric");
  }
  return value;
}

/** Label and annotation keys: an optional DNS prefix and a name. */
export function checkQualifiedName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !QUALIFIED_NAME.test(value) || value.split('/').pop()!.length > 63) {
    invalid(scope, prop, value, "must be a qualified name such as 'example.com/key' or 'key' (name part up to 63 characters)");
  }
  return value;
}

/** Every key and value of a label map. */
export function checkLabels(scope: IConstruct, prop: string, labels: Record<string, string> | undefined): Record<string, string> {
  for (const [k, v] of Object.entries(labels ?? {})) {
    checkQualifiedName(scope, `${prop} key`, k);
    checkLabelValue(scope, `${prop}[${k}]`, v);
  }
  return { ...(labels ?? {}) }; // a plain copy: cdk8s cannot serialize objects without a prototype
}

/** Annotations the library (or Argo CD) owns: a user value would reorder the sync or turn an object into a hook. */
const LIBRARY_OWNED_ANNOTATIONS = ['argocd.argoproj.io/sync-wave', 'argocd.argoproj.io/hook', 'argocd.argoproj.io/hook-delete-policy', 'argocd.argoproj.io/tracking-id'];

/** Every key of an annotation map, and every value a string. */
export function checkAnnotations(scope: IConstruct, prop: string, annotations: Record<string, string> | undefined): Record<string, string> {
  for (const [k, v] of Object.entries(annotations ?? {})) {
    checkQualifiedName(scope, `${prop} key`, k);
    if (typeof v !== 'string') invalid(scope, `${prop}[${k}]`, v, 'annotation values must be strings');
    checkNoCredential(scope, `${prop}[${k}]`, v);
    if (LIBRARY_OWNED_ANNOTATIONS.includes(k)) invalid(scope, `${prop} key`, k, 'is set by cdk8s-mlflow (Argo CD ordering and hooks) or by Argo CD itself; it cannot be overridden');
  }
  return { ...(annotations ?? {}) };
}

/** An environment variable name (C identifier-like, as Kubernetes accepts). */
export function checkEnvName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    invalid(scope, prop, value, "must be an environment variable name of letters, digits, '_', '-' and '.', not starting with a digit");
  }
  return value;
}

/** A container or Service port name (IANA_SVC_NAME). */
export function checkPortName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 15 || !IANA_SVC_NAME.test(value) || value.includes('--')) {
    invalid(scope, prop, value, "must be an IANA service name: 1-15 characters of a-z, 0-9 and '-', with at least one letter and no '--'");
  }
  return value;
}

/** A TCP port number. */
export function checkPort(scope: IConstruct, prop: string, value: number): number {
  return checkInt(scope, prop, value, 1, 65535);
}

/** An integer in [min, max]. */
export function checkInt(scope: IConstruct, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    invalid(scope, prop, value, `must be ${range}`);
  }
  return value;
}

/** A positive Size, rendered as a Kubernetes quantity (e.g. "10Gi"). */
export function checkSize(scope: IConstruct, prop: string, value: Size): string {
  if (!(value instanceof Size)) {
    invalid(scope, prop, value, "must be a cdk8s Size such as Size.gibibytes(10) (a plain string like '10Gi' is not accepted)");
  }
  const q = value.asString();
  if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(q) || Number.parseFloat(q) <= 0) {
    invalid(scope, prop, q, 'must be a positive size');
  }
  return q;
}

/** A string that is not empty and has no surrounding white space. */
export function checkNonEmpty(scope: IConstruct, prop: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.trim() !== value) {
    invalid(scope, prop, value, 'must be a non-empty string without leading or trailing white space');
  }
  return value;
}

/** A URL with one of the given schemes. */
export function checkUrl(scope: IConstruct, prop: string, value: string, schemes: string[]): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !schemes.includes(url.protocol.replace(/:$/, '')) || !url.hostname) {
    invalid(scope, prop, value, `must be an absolute URL with scheme ${schemes.map(s => `'${s}://'`).join(' or ')} and a host`);
  }
  if (url.username || url.password) {
    invalid(scope, prop, value.replace(/\/\/[^@]*@/, '//***@'), 'must not embed credentials; pass them through a Secret');
  }
  return url;
}

/** A string that carries no credential (no `user:password@` URI, no `--password=` flag): dist/ is committed to git. */
export function checkNoCredential(scope: IConstruct, prop: string, value: string): string {
  if (typeof value === 'string' && hasEmbeddedCredential(value)) {
    invalid(scope, prop, value, 'must not embed a credential (dist/ is committed): read it from a Secret (secretEnv, SecretKey)');
  }
  return value;
}

/** A cdk8s Duration, in whole seconds. */
export function checkDuration(scope: IConstruct, prop: string, value: Duration): number {
  if (!(value instanceof Duration)) invalid(scope, prop, value, 'must be a cdk8s Duration such as Duration.minutes(5) (a plain number is not accepted)');
  return value.toSeconds();
}
