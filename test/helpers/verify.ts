import * as fs from 'fs';
import * as path from 'path';
import { checkManifests, CheckOptions, exemptionsOf, formatViolations, K8sObject, objectId } from '../checks';

/**
 * What the suite expects of the repository's own output: every pod covered by NetworkPolicies
 * (rendered from the NetworkModel by MlflowChart). Rule 13 is unit-tested in checks.rules.test.ts.
 */
export const REQUIRE_NETWORK_POLICIES = true;

/** Options for the repository's deployments and generated configurations. */
export const SUITE_OPTIONS: CheckOptions = { requireNetworkPolicies: REQUIRE_NETWORK_POLICIES };

/**
 * Opt-outs the repository's own output is allowed to carry (`Kind/namespace/name#rule`), each with
 * its reason in the object's annotation. Add an entry here when a component needs one, so it is pinned.
 */
export const PINNED_EXEMPTIONS: string[] = [];

/** Fails with every violation listed, one per line. */
export function expectCompliant(objects: K8sObject[], options: CheckOptions = SUITE_OPTIONS): void {
  const violations = checkManifests(objects, options);
  const exemptions = objects.flatMap(o => exemptionsOf(o).map(e => `${objectId(o)}#${e.rule}`));
  const unpinned = exemptions.filter(e => !PINNED_EXEMPTIONS.includes(e));
  if (unpinned.length) throw new Error(`opt-out annotations not pinned in test/helpers/verify.ts PINNED_EXEMPTIONS:\n${unpinned.join('\n')}`);
  if (violations.length) throw new Error(`${violations.length} manifest rule violation(s):\n${formatViolations(violations)}`);
}

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The chart folders of dist/. */
export function distFolders(): string[] {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(dist)) return [];
  return fs.readdirSync(dist).filter(d => fs.statSync(path.join(dist, d)).isDirectory()).sort();
}

/** Running tally across test files in one worker is not shared, so each file reports its own. */
export function report(what: string, n: number): void {
  process.stdout.write(`[verify] ${what}: ${n}\n`);
}
