import { isDeepStrictEqual } from 'util';
import { parseAllDocuments } from 'yaml';
import { K8sObject, Reporter, Violation } from './types';

// Rule 19: a file parses to the same data under YAML 1.1 (kubectl, Argo CD: go-yaml) and YAML 1.2;
// rule 16: label and annotation values are strings once parsed.

function parseAs(text: string, version: '1.1' | '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) return []; // an empty stream
  return docs.map(d => {
    if (d.errors.length) throw new Error(`YAML ${version}: ${d.errors[0].message}`);
    return d.toJS({ maxAliasCount: -1 });
  }).filter(d => d !== null && d !== undefined);
}

/** The first path at which two values differ, with both values. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) {
      const d = firstDifference((a as any)[k], (b as any)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  return `${path || '(root)'}: ${JSON.stringify(a)} (YAML 1.1) vs ${JSON.stringify(b)} (YAML 1.2)`;
}

/** Checks one YAML file; returns the parsed objects (YAML 1.2) and the violations. */
export function checkYamlText(fileName: string, text: string): { objects: K8sObject[]; violations: Violation[] } {
  const r = new Reporter();
  const pseudo = { kind: 'File', metadata: { name: fileName } };
  let v11: unknown[] = [];
  let v12: unknown[] = [];
  try {
    v11 = parseAs(text, '1.1');
    v12 = parseAs(text, '1.2');
  } catch (e) {
    r.add(19, ['K8s'], pseudo, '', `${fileName} does not parse: ${(e as Error).message}`);
    return { objects: [], violations: r.violations };
  }
  const d = firstDifference(v11, v12);
  if (d) r.add(19, ['K8s'], pseudo, '', `${fileName} parses differently under YAML 1.1 and 1.2 at ${d}`);
  const objects = v12 as K8sObject[];
  for (const o of objects) {
    if (!o || typeof o !== 'object' || Array.isArray(o)) { r.add(19, ['K8s'], pseudo, '', `${fileName} holds a document that is not an object`); continue; }
    for (const field of ['labels', 'annotations'] as const) {
      for (const [k, v] of Object.entries(o.metadata?.[field] ?? {})) {
        if (typeof v !== 'string') r.add(16, ['K8s', 'KL'], o, `metadata.${field}[${k}]`, `${fileName}: value parses as ${v === null ? 'null' : typeof v}, not a string`);
      }
    }
    for (const [k, v] of Object.entries(o.spec?.template?.metadata?.labels ?? {})) {
      if (typeof v !== 'string') r.add(16, ['K8s', 'KL'], o, `spec.template.metadata.labels[${k}]`, `${fileName}: value parses as ${typeof v}, not a string`);
    }
  }
  return { objects, violations: r.violations };
}
