import { at, K8sObject, podTemplates, containersOf, Reporter, walkStrings } from './types';

// Rule 18: no Secret data in the output, no credential in env values, ConfigMaps, args, annotations or URIs,
// and no canary value (plain or base64).

/** `scheme://user:password@host` (a user alone, as in `postgresql://mlflow@db`, is not a credential). */
export const URI_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s\/@:]+:[^\s\/@]*@/i;
/** ConfigMap keys that hold a credential (file names such as ssl_key_file or tls.crt are fine). */
const CREDENTIAL_CONFIG_KEY = /(password|passwd|secret|token|credential|api-?key|private-?key|access-?key)/i;
const ARG_WITH_SECRET = /^--?[a-z0-9-]*(password|passwd|secret|token|api-?key|access-?key)[a-z0-9-]*=(?!\$\()./i;

/** The forms of a value that must not appear: plain, base64 (three alignments) and URL-encoded. */
export function encodings(value: string): string[] {
  const out = new Set<string>([value, encodeURIComponent(value)]);
  for (const pad of ['', 'x', 'xx']) {
    const b64 = Buffer.from(pad + value).toString('base64');
    // Drop the characters that depend on the padding prefix and on what follows.
    const start = pad.length ? Math.ceil((pad.length * 4) / 3) + 1 : 0;
    const core = b64.replace(/=+$/, '').slice(start, -2);
    if (core.length >= 8) out.add(core);
  }
  out.add(Buffer.from(value).toString('base64'));
  return [...out];
}

export function checkSecrets(o: K8sObject, r: Reporter, canaries: string[]): void {
  const origin: any = ['Secrets', 'KL', 'PO'];
  if (o.kind === 'Secret' && (o.data !== undefined || o.stringData !== undefined)) {
    r.add(18, origin, o, o.data !== undefined ? 'data' : 'stringData', 'a Secret with data must never be rendered (dist/ is committed): reference an existing Secret, a SealedSecret or an ExternalSecret');
  }
  if (o.kind === 'ConfigMap') {
    for (const [k, v] of Object.entries({ ...(o.data ?? {}), ...(o.binaryData ?? {}) })) {
      if (CREDENTIAL_CONFIG_KEY.test(k) && typeof v === 'string' && v.length > 0 && !/\.(crt|pub)$|_(file|path)$/i.test(k)) {
        r.add(18, origin, o, `data[${k}]`, `ConfigMap key ${k} looks like a credential`);
      }
    }
  }
  for (const t of podTemplates(o)) {
    for (const { c, path } of containersOf(t)) {
      (c.args ?? []).forEach((a: unknown, i: number) => {
        if (typeof a === 'string' && ARG_WITH_SECRET.test(a)) r.add(18, origin, o, at(path, `args[${i}]`), 'argument carries a credential (visible in the process list)');
      });
      [...(c.command ?? []), ...(c.args ?? [])].forEach((a: unknown, i: number, all: unknown[]) => {
        const prev = all[i - 1];
        if (typeof prev === 'string' && /^--?[a-z0-9-]*(password|passwd|secret|token)$/i.test(prev) && typeof a === 'string' && !a.startsWith('$(')) {
          r.add(18, origin, o, at(path, i < (c.command ?? []).length ? `command[${i}]` : `args[${i - (c.command ?? []).length}]`), `value of ${prev} is a literal credential`);
        }
      });
    }
  }
  // URIs with user:password@ anywhere, and canaries anywhere (keys included).
  walkStrings(o, '', (s, p) => {
    const m = URI_WITH_PASSWORD.exec(s);
    if (m && !/:\/\/[^\s\/@:]+:\$\(/.test(s)) r.add(18, origin, o, p, `URI with embedded credentials (${m[0].replace(/:[^:@]*@$/, ':***@')})`);
  });
  if (canaries.length) {
    const text = JSON.stringify(o);
    for (const canary of canaries) {
      for (const form of encodings(canary)) {
        if (text.includes(form)) {
          let where = '(somewhere)';
          walkStrings(o, '', (s, p) => { if (s.includes(form)) where = p; });
          r.add(18, origin, o, where, `canary credential ${form === canary ? 'in plain text' : 'in encoded form'} found`);
          break;
        }
      }
    }
  }
}
