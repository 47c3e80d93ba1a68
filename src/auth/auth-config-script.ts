/**
 * Writes the basic-auth INI from AUTH_* environment variables (admin credentials from Secret
 * keys) to $AUTH_CONFIG_PATH with mode 0600. It never prints a value: errors name the setting only.
 * '%' is doubled because MLflow reads the file with configparser's interpolation.
 */
export const AUTH_CONFIG_SCRIPT = [
  'import os, sys',
  "keys = [('default_permission', 'AUTH_DEFAULT_PERMISSION'), ('database_uri', 'AUTH_DATABASE_URI'),",
  "        ('admin_username', 'AUTH_ADMIN_USERNAME'), ('admin_password', 'AUTH_ADMIN_PASSWORD'),",
  "        ('authorization_function', 'AUTH_AUTHORIZATION_FUNCTION')]",
  "lines = ['[mlflow]']",
  'for key, env in keys:',
  "    value = os.environ.get(env, '')",
  "    if not value or value != value.strip() or '\\n' in value or '\\r' in value:",
  "        print(f'render-auth-config: {key} ({env}) is empty, has surrounding spaces or spans lines', file=sys.stderr)",
  '        sys.exit(1)',
  "    lines.append(key + ' = ' + value.replace('%', '%%'))",
  "path = os.environ['AUTH_CONFIG_PATH']",
  'os.umask(0o077)',
  'fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)',
  'os.fchmod(fd, 0o600)',
  "with os.fdopen(fd, 'w') as f:",
  "    f.write('\\n'.join(lines) + '\\n')",
  "print(f'render-auth-config: wrote {path} (mode 0600)', flush=True)",
].join('\n');
