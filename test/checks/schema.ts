import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CORE_KINDS, K8sObject, Reporter } from './types';

// Rule 22: every object passes schema validation for Kubernetes 1.28+: right types (kubernetes-models, JSON
// schema of the OpenAPI spec) and no unknown field (a round trip through @kubernetes/client-node's typed
// ObjectSerializer drops every field the API does not define: what is lost is unknown). Custom resources
// are checked against their CRD's structural schema when the CRD is available.

/* eslint-disable @typescript-eslint/no-require-imports */
const clientNode: Record<string, any> = require('@kubernetes/client-node');
const ObjectSerializer = clientNode.ObjectSerializer;

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  return parts.length === 2 ? { group: parts[0], version: parts[1] } : { group: '', version: parts[0] };
}

const modelCache = new Map<string, any>();
/** The kubernetes-models class of a core object, or undefined. */
export function kubernetesModel(apiVersion: string, kind: string): any {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    const { group, version } = parseApiVersion(apiVersion);
    let cls: any;
    try {
      cls = require(`kubernetes-models/${group ? `${group}/` : ''}${version}`)[kind];
    } catch {
      cls = undefined;
    }
    modelCache.set(key, cls);
  }
  return modelCache.get(key);
}

/** The @kubernetes/client-node model name of a core object (e.g. `V1Deployment`), or undefined. */
export function clientNodeType(apiVersion: string, kind: string): string | undefined {
  const { version } = parseApiVersion(apiVersion);
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return typeof clientNode[name] === 'function' ? name : undefined;
}

/** Paths present in `original` but missing from `roundTripped` (unknown fields). */
export function lostFields(original: unknown, roundTripped: unknown, p = ''): string[] {
  if (original === null || typeof original !== 'object') return [];
  if (roundTripped === null || typeof roundTripped !== 'object') return [p || '(root)'];
  const out: string[] = [];
  if (Array.isArray(original)) {
    original.forEach((x, i) => out.push(...lostFields(x, (roundTripped as any[])[i], `${p}[${i}]`)));
    return out;
  }
  for (const [k, v] of Object.entries(original)) {
    const child = p ? `${p}.${k}` : k;
    if (v === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(roundTripped, k) || (roundTripped as any)[k] === undefined) out.push(child);
    else out.push(...lostFields(v, (roundTripped as any)[k], child));
  }
  return out;
}

/** Unknown fields of a core object, found by the typed round trip. */
export function unknownFields(o: K8sObject): string[] | undefined {
  const type = clientNodeType(o.apiVersion, o.kind);
  if (!type) return undefined;
  const copy = JSON.parse(JSON.stringify(o));
  const back = ObjectSerializer.serialize(ObjectSerializer.deserialize(copy, type), type);
  return lostFields(o, back);
}

// ---- custom resources: CRD structural schemas ----

const crdCache = new Map<string, Map<string, any>>();
/** Default CRD directories: $MLFLOW_CRD_DIR, test/crds, then ../shared/crds beside the repository (or its worktree parent). */
export function defaultCrdDirs(): string[] {
  const root = path.resolve(__dirname, '..', '..');
  return [process.env.MLFLOW_CRD_DIR, path.join(root, 'test', 'crds'), path.join(root, '..', 'shared', 'crds'), path.join(root, '..', '..', 'shared', 'crds')]
    .filter((d): d is string => !!d && fs.existsSync(d));
}

/** `group/version/Kind` → openAPIV3Schema of every CRD found in the directories. */
export function loadCrdSchemas(dirs: string[]): Map<string, any> {
  const key = dirs.join('|');
  const cached = crdCache.get(key);
  if (cached) return cached;
  const schemas = new Map<string, any>();
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter(x => /\.ya?ml$/.test(x)).sort()) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')) as any[]) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec?.versions ?? []) {
          if (v.schema?.openAPIV3Schema) schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
  }
  crdCache.set(key, schemas);
  return schemas;
}

/** Structural-schema check: unknown fields (what the API server would prune), types, enums, required fields. */
export function checkAgainstStructuralSchema(value: unknown, schema: any, p: string, errors: string[]): void {
  if (value === undefined || value === null || !schema) return;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) errors.push(`${p}: must be an integer or a string`);
    return;
  }
  const type = schema.type;
  const isObj = typeof value === 'object' && !Array.isArray(value);
  if (type === 'object' && !isObj) { errors.push(`${p}: must be an object`); return; }
  if (type === 'array' && !Array.isArray(value)) { errors.push(`${p}: must be an array`); return; }
  if (type === 'string' && typeof value !== 'string') { errors.push(`${p}: must be a string`); return; }
  if (type === 'integer' && !Number.isInteger(value)) { errors.push(`${p}: must be an integer`); return; }
  if (type === 'number' && typeof value !== 'number') { errors.push(`${p}: must be a number`); return; }
  if (type === 'boolean' && typeof value !== 'boolean') { errors.push(`${p}: must be a boolean`); return; }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${p}: must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${p}: must match ${schema.pattern}`);
  if (Array.isArray(value)) {
    value.forEach((x, i) => checkAgainstStructuralSchema(x, schema.items, `${p}[${i}]`, errors));
    return;
  }
  if (isObj) {
    const obj = value as Record<string, unknown>;
    for (const req of schema.required ?? []) if (obj[req] === undefined) errors.push(`${p ? `${p}.` : ''}${req}: required`);
    if (p === 'metadata') return; // ObjectMeta is validated by the API server, not by the CRD
    for (const [k, v] of Object.entries(obj)) {
      const child = p ? `${p}.${k}` : k;
      if (schema.properties?.[k]) checkAgainstStructuralSchema(v, schema.properties[k], child, errors);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') checkAgainstStructuralSchema(v, schema.additionalProperties, child, errors);
      else if (!schema.additionalProperties && !schema['x-kubernetes-preserve-unknown-fields']) errors.push(`${child}: unknown field`);
    }
  }
}

/** Rule 22 on one object. */
export function checkSchema(o: K8sObject, r: Reporter, crdDirs: string[]): void {
  const origin: any = ['K8s'];
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    r.add(22, origin, o, 'apiVersion', 'apiVersion and kind must be strings');
    return;
  }
  const model = CORE_KINDS.has(o.kind) ? kubernetesModel(o.apiVersion, o.kind) : undefined;
  if (model) {
    try {
      new model(JSON.parse(JSON.stringify(o))).validate();
    } catch (e: any) {
      const msg = String(e?.message ?? e);
      const m = /data\/([^\s]*) /.exec(msg);
      r.add(22, origin, o, m ? m[1].replace(/\//g, '.') : '', `schema: ${msg.split('\n')[0]}`);
    }
    for (const f of unknownFields(o) ?? []) r.add(22, origin, o, f, `unknown field ${f} (dropped by the API server: typo or wrong casing?)`);
    return;
  }
  if (CORE_KINDS.has(o.kind)) {
    r.add(22, origin, o, 'apiVersion', `no schema for ${o.apiVersion} ${o.kind}`);
    return;
  }
  const schema = loadCrdSchemas(crdDirs).get(`${o.apiVersion}/${o.kind}`);
  if (!schema) return; // unknown custom resource: generic rules only
  const errors: string[] = [];
  checkAgainstStructuralSchema(o, schema, '', errors);
  for (const e of errors) r.add(22, origin, o, e.split(':')[0], `CRD schema: ${e}`);
}
