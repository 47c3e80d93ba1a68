#!/usr/bin/env bash
# Consumer test (`npm run test:consumer`, run by .ci/run): the package as a new user gets it.
#
# 1. compile and `npm pack`; check the tarball holds the library, its types, README, LICENSE,
#    CHANGELOG.md and API.md, and nothing else (no tests, sources, dist/ manifests, showcase, tarballs);
# 2. install the tarball into a fresh project with ONLY the peer dependencies (cdk8s,
#    cdk8s-plus-28, constructs); PEERS=repo (default) uses the versions in this repo's
#    node_modules (from the npm cache), PEERS=min the lowest versions package.json allows;
# 3. compile every ```ts block of README.md with a strict tsconfig as `cdk8s init` writes it
#    (so a stale README fails), run them and check what they synthesize. Fragments that are not
#    complete programs must be fenced otherwise (e.g. ```typescript) to stay out of this test.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
TSC="$ROOT/node_modules/.bin/tsc"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-mlflow-consumer.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "consumer test: $*" >&2; exit 1; }

echo "== compile and pack"
"$TSC" --build
TARBALL="$WORK/$(npm pack --silent --pack-destination "$WORK" | tail -n 1)"
[ -f "$TARBALL" ] || fail "npm pack produced no tarball"
tar -tzf "$TARBALL" | sed 's#^package/##' | sort > "$WORK/files.txt"
for f in package.json README.md LICENSE CHANGELOG.md API.md lib/src/index.js lib/src/index.d.ts; do
  grep -qx "$f" "$WORK/files.txt" || fail "the tarball lacks $f"
done
if grep -vE '^(package\.json|README\.md|LICENSE|CHANGELOG\.md|API\.md|lib/.+\.(js|d\.ts))$' "$WORK/files.txt"; then
  fail "the tarball holds the files above, which are not part of the library"
fi
if grep -E '^lib/src/(main\.|deployments/|bench/)' "$WORK/files.txt"; then fail "the tarball holds this repository's showcase app"; fi
echo "tarball: $(basename "$TARBALL"), $(wc -l < "$WORK/files.txt") files"

echo "== install into a fresh project with only the peers (PEERS=${PEERS:-repo})"
PEER_SPECS="$(node -e '
  const pkg = require("./package.json");
  const specs = Object.entries(pkg.peerDependencies).map(([name, range]) => {
    if (process.env.PEERS === "min") return `${name}@${range.replace(/^[\^~>=\s]+/, "")}`;
    return `${name}@${require(`${name}/package.json`).version}`;
  });
  console.log(specs.join(" "));
')"
APP="$WORK/app"
mkdir -p "$APP"
cd "$APP"
cat > package.json <<'EOF'
{ "name": "consumer-app", "version": "0.0.0", "private": true }
EOF
# shellcheck disable=SC2086
npm install --silent --no-audit --no-fund --prefer-offline --save-exact "$TARBALL" $PEER_SPECS
echo "installed: $(node -p 'Object.entries(require("./package.json").dependencies).map(([k, v]) => k + "@" + (v.startsWith("file:") ? "tarball" : v)).join(" ")')"

echo "== compile the README's TypeScript blocks"
node - "$ROOT/README.md" <<'EOF'
const fs = require('fs');
const blocks = [...fs.readFileSync(process.argv[2], 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(m => m[1]);
if (blocks.length === 0) throw new Error('README.md has no ```ts block');
blocks.forEach((code, i) => fs.writeFileSync(`readme-${i + 1}.ts`, code));
console.log(`${blocks.length} block(s)`);
EOF
# The strict settings `cdk8s init typescript-app` writes; the package's .d.ts files are checked too.
cat > tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022", "lib": ["es2022"], "module": "CommonJS", "moduleResolution": "node",
    "strict": true, "noImplicitAny": true, "noImplicitReturns": true, "noUnusedLocals": true,
    "noUnusedParameters": true, "noFallthroughCasesInSwitch": true, "esModuleInterop": true,
    "declaration": false, "skipLibCheck": false, "types": []
  },
  "include": ["readme-*.ts"]
}
EOF
"$TSC" -p tsconfig.json || fail "the README's code does not compile against the packed library"

echo "== run the README's examples and check what they synthesize"
for f in readme-*.js; do node "$f"; done
node - <<'EOF'
const fs = require('fs');
const path = require('path');
const { Yaml } = require('cdk8s');
const files = [];
const walk = d => fs.readdirSync(d, { withFileTypes: true }).forEach(e => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
walk('dist');
for (const f of files.filter(f => path.dirname(f) !== 'dist')) {
  // writeManifests' layout: dist/<chart>/NN-kind-name.yaml
  if (!/^[0-9]{2}-[a-z]+-[a-z0-9.-]+\.yaml$/.test(path.basename(f))) throw new Error(`unexpected file name ${f}`);
}
const objects = files.filter(f => f.endsWith('.yaml')).flatMap(f => Yaml.load(f)).filter(Boolean);
const kinds = new Set(objects.map(o => o.kind));
for (const k of ['Namespace', 'ServiceAccount', 'Service', 'Deployment', 'Job']) {
  if (!kinds.has(k)) throw new Error(`no ${k} in the example's output (kinds: ${[...kinds].join(', ')})`);
}
const deployment = objects.find(o => o.kind === 'Deployment');
const image = deployment.spec.template.spec.containers[0].image;
if (!/^ghcr\.io\/mlflow\/mlflow:v3\./.test(image)) throw new Error(`unexpected server image ${image}`);
for (const o of objects.filter(o => o.kind !== 'Namespace')) {
  if (!o.metadata.namespace) throw new Error(`${o.kind} ${o.metadata.name} has no namespace`);
}
console.log(`${files.length} file(s), ${objects.length} objects: ${[...kinds].sort().join(', ')}; server image ${image}`);
EOF
echo "consumer test passed"
