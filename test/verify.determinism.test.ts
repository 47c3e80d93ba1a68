import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { distFolders, ROOT } from './helpers/verify';

// Rule 21: the whole app, synthesized in two separate processes with different time zones and locales,
// is byte-identical, and identical to the committed dist/.

const run = promisify(execFile);

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

async function synthInChild(env: Record<string, string>): Promise<Record<string, string>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-determinism-'));
  try {
    await run(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env, CDK8S_OUTDIR: outdir, TS_NODE_TRANSPILE_ONLY: 'true' },
      timeout: 30000,
    });
    return readTree(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test('two processes with different TZ and locale write byte-identical output, equal to dist/', async () => {
  const [a, b] = await Promise.all([
    synthInChild({ TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }),
    synthInChild({ TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8', LANGUAGE: 'tr' }),
  ]);
  expect(Object.keys(a).length).toBeGreaterThan(0);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const f of Object.keys(a)) expect({ f, content: b[f] }).toEqual({ f, content: a[f] });
  // ...and the committed dist/ holds exactly these files.
  const committed: Record<string, string> = {};
  for (const d of distFolders()) {
    for (const [f, content] of Object.entries(readTree(path.join(ROOT, 'dist', d)))) committed[path.join(d, f)] = content;
  }
  expect(Object.keys(committed).sort()).toEqual(Object.keys(a).sort());
  for (const f of Object.keys(a)) expect({ f, content: committed[f] }).toEqual({ f, content: a[f] });
}, 60000);
