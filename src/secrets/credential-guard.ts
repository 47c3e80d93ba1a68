import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CREDENTIAL_ENV_NAME, hasUriWithPassword } from '../common/credentials';

function scan(value: any, path: string, found: string[]): void {
  if (typeof value === 'string') {
    // a `$(VAR)` password is expanded at run time: it is not in the manifest
    if (hasUriWithPassword(value, true)) found.push(`${path}: a URI with a password`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v && typeof v === 'object' && typeof v.name === 'string' && typeof v.value === 'string' && v.value !== '' && CREDENTIAL_ENV_NAME.test(v.name) && /\.env$/.test(path)) {
        found.push(`${path}[${v.name}]: a literal value for a credential-like variable`);
      }
      scan(v, `${path}[${i}]`, found);
    });
    return;
  }
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) scan(v, `${path}.${k}`, found);
}

/**
 * Problems of one rendered object: a `kind: Secret` carrying data, a URI with a password, a
 * credential-like env var with a literal value. Messages never include the offending value.
 */
export function credentialProblems(json: any): string[] {
  const found: string[] = [];
  if (json?.kind === 'Secret' && (json.data || json.stringData)) found.push('a Secret with data (render a SealedSecret or ExternalSecret, or reference an existing Secret)');
  if (json?.kind === 'SealedSecret') return found; // ciphertext only, validated on input
  scan(json, '', found);
  return found;
}

const GUARDED = new WeakSet<IConstruct>();
let deferred = 0;

/** What a guarded chart's objects would carry in plain text, one message each (values hidden). */
export function credentialGuardErrors(chart: IConstruct, rendered: Array<{ path: string; json: any }>): string[] {
  if (!GUARDED.has(chart)) return [];
  return rendered.flatMap(({ path, json }) => credentialProblems(json).map(p =>
    `${path}: credential in plain text at ${p} (value hidden); pass it through a Secret (secretKeyRef, envFrom) instead`));
}

/**
 * Runs `fn` (a validation pass) with the guards' own rendering skipped, for a caller that renders
 * every object anyway and checks it with {@link credentialGuardErrors}: one rendering, not two.
 */
export function withDeferredCredentialGuard<T>(fn: () => T): T {
  deferred++;
  try {
    return fn();
  } finally {
    deferred--;
  }
}

/**
 * A synth-time backstop on a chart: fails the synth when any rendered object would carry a
 * credential in plain text (whatever path put it there: extra args, env, ConfigMaps...).
 */
export function addCredentialGuard(chart: IConstruct): void {
  GUARDED.add(chart);
  chart.node.addValidation({
    validate: () => {
      if (deferred > 0) return [];
      const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
      return credentialGuardErrors(chart, objects.map(o => ({ path: o.node.path, json: o.toJson() })));
    },
  });
}
