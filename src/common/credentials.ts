/** `scheme://user:password@` — a URI that carries a password. */
const URI_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s\/@:]+:[^\s\/@]*@/i;
/** `--db-password=...`, `--token=...`: a credential on a command line. */
const CREDENTIAL_FLAG = /^--?[a-z0-9-]*(?:password|passwd|secret|token|api-?key|access-?key)[a-z0-9-]*=./i;

// Masking is broader than detection: anything shaped like `user:password@` or `--password=x`, anywhere.
const MASK_USERINFO = /((?:[a-z][a-z0-9+.-]*:\/\/)?[^\s\/@:"',]+:)[^\s\/@"',]*@/gi;
const MASK_FLAG = /(--?[a-z0-9-]*(?:password|passwd|secret|token|api-?key|access-?key)[a-z0-9-]*=)[^\s"',]+/gi;

/** Whether a string embeds a credential: a URI with a password, or a `--password=`-style flag. */
export function hasEmbeddedCredential(value: string): boolean {
  return URI_WITH_PASSWORD.test(value) || CREDENTIAL_FLAG.test(value);
}

/** The string with embedded credentials replaced by `***`, for error messages and logs. */
export function maskCredentials(value: string): string {
  return value.replace(MASK_USERINFO, '$1***@').replace(MASK_FLAG, '$1***');
}
