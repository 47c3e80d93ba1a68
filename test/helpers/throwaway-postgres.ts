import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** A PostgreSQL server started for one test file, in a temporary directory. */
export interface ThrowawayPostgres {
  readonly binDir: string;
  readonly version: number;
  readonly port: number;
  readonly dir: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Stops the server and removes its directory. */
  stop(): void;
}

/**
 * Finds the binaries of Debian's `postgresql` package (highest major first), or undefined with
 * the reason. psql 15+ is needed (`\getenv`).
 */
export function findPostgres(root = '/usr/lib/postgresql'): { binDir?: string; version?: number; reason?: string } {
  if (!fs.existsSync(root)) return { reason: `${root} does not exist (install Debian's postgresql package: apt-get install -y postgresql)` };
  const versions = fs.readdirSync(root).map(Number).filter(v => Number.isInteger(v)).sort((a, b) => b - a);
  for (const v of versions) {
    const bin = path.join(root, String(v), 'bin');
    if (['initdb', 'pg_ctl', 'psql', 'postgres'].every(b => fs.existsSync(path.join(bin, b)))) {
      if (v < 15) return { reason: `PostgreSQL ${v} found, but psql 15 or later is needed (\\getenv)` };
      return { binDir: bin, version: v };
    }
  }
  return { reason: `no initdb/pg_ctl/psql/postgres under ${root}/*/bin` };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * initdb + pg_ctl start on a free port, unix socket in the temp dir, password (SCRAM) auth.
 * initdb refuses to run as root: as root, the server runs as the `postgres` (or `nobody`) user.
 */
export async function startPostgres(binDir: string, version: number): Promise<ThrowawayPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-pg-'));
  const adminUser = 'admin';
  const adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, 'pwfile'), `${adminPassword}\n`, { mode: 0o600 });
  let runAs: string[] = [];
  if (process.getuid && process.getuid() === 0) {
    const user = ['postgres', 'nobody'].find(u => spawnSync('id', ['-u', u]).status === 0);
    if (!user) throw new Error('running as root and neither the postgres nor the nobody user exists');
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    fs.chownSync(dir, uid, gid);
    fs.chownSync(path.join(dir, 'pwfile'), uid, gid);
    runAs = ['runuser', '-u', user, '--'];
  }
  const run = (cmd: string, args: string[]) => {
    const argv = [...runAs, path.join(binDir, cmd), ...args];
    execFileSync(argv[0], argv.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', adminUser, `--pwfile=${path.join(dir, 'pwfile')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '20', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c log_statement=all`, 'start']);
  return {
    binDir, version, port, dir, adminUser, adminPassword,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
