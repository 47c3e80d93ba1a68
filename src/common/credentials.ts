/** `scheme://user:password@` — a URI whose user-info carries a password (captured). */
const URI_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/gi;
/** A password that is only a variable reference: `$(VAR)` (kubelet), `${VAR}` or `$VAR` (shell). */
const VARIABLE_REFERENCE = /^\$(\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
/** `--db-password=...`, `--token=...`: a credential on a command line. */
const CREDENTIAL_FLAG = /^--?[a-z0-9-]*(?:password|passwd|secret|token|api-?key|access-?key)[a-z0-9-]*=./i;

// Masking is broader than detection: anything shaped like `user:password@` or `--password=x`, anywhere.
const MASK_USERINFO = /((?:[a-z][a-z0-9+.-]*:\/\/)?[^\s\/@:"',]+:)[^\s\/@"',]*@/gi;
const MASK_FLAG = /(--?[a-z0-9-]*(?:password|passwd|secret|token|api-?key|access-?key)[a-z0-9-]*=)[^\s"',]+/gi;

/**
 * Environment variable names that must never carry a literal value. `*_FILE`, `*_PATH` and `*_DIR`
 * name a location, not a value, and are allowed.
 */
export const CREDENTIAL_ENV_NAME = /^(?!.*_(FILE|PATH|DIR)$).*(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|(^|_)(API_?)?KEY($|_)|ACCESS_?KEY|PRIVATE_?KEY)/i;

/**
 * Whether a string holds a URI with a password. With `allowVariableReferences`, a password that is
 * only a variable reference (expanded at run time, so not in the manifest) does not count.
 */
export function hasUriWithPassword(value: string, allowVariableReferences = false): boolean {
  for (const m of value.matchAll(URI_WITH_PASSWORD)) {
    if (!allowVariableReferences || !VARIABLE_REFERENCE.test(m[1])) return true;
  }
  return false;
}

/**
 * Whether user input embeds a credential: a URI with a password (even a `$(VAR)` one: the kubelet
 * would splice it into a URI or a command line), or a `--password=`-style flag.
 */
export function hasEmbeddedCredential(value: string): boolean {
  return hasUriWithPassword(value) || CREDENTIAL_FLAG.test(value);
}

/** The string with embedded credentials replaced by `***`, for error messages and logs. */
export function maskCredentials(value: string): string {
  return value.replace(MASK_USERINFO, '$1***@').replace(MASK_FLAG, '$1***');
}
