import { createHash } from 'node:crypto';
import { ProfileError } from '../../errors';
import type { AnyFeatureDefinition } from './feature-definition';

const FEATURE_NAME = /^[a-z][a-z0-9_]{1,62}$/;

/** The language-neutral form of the registry, served at GET /v1/registry. */
export interface RegistryDocument {
  registryVersion: string;
  features: {
    name: string;
    dtype: string;
    ttlSec: number;
    description: string;
    invalidatedBy: string[];
    maintainedBy: string[];
    fallback: number | string;
    revision: number;
  }[];
}

/**
 * The single source of truth for user features. Construction validates every definition and
 * stops start-up on the first problem, naming the feature.
 *
 * @example
 * const registry = new FeatureRegistry(initialFeatures, isSubject);
 * registry.invalidatedBy('signals.tip.feedback'); // ['mean_dwell_ms_30d', ...]
 * registry.maintainedBy('signals.tip.served'); // the definitions that fold a served tip in place
 */
export class FeatureRegistry {
  readonly features: readonly AnyFeatureDefinition[];
  /** Changes whenever a feature is added, removed, retyped or revised. */
  readonly version: string;
  private readonly bySubject = new Map<string, string[]>();
  private readonly maintainedBySubject = new Map<string, AnyFeatureDefinition[]>();

  constructor(definitions: readonly AnyFeatureDefinition[], isKnownSubject: (subject: string) => boolean) {
    const seen = new Set<string>();
    for (const f of definitions) {
      const problem = describeProblem(f, seen);
      if (problem) throw new ProfileError('PROFILE_INVALID_REGISTRY', `feature ${f.name}: ${problem}`);
      seen.add(f.name);
      for (const subject of dependenciesOf(f)) {
        if (!isKnownSubject(subject)) {
          throw new ProfileError('PROFILE_UNKNOWN_SUBJECT', `feature ${f.name} depends on unknown subject "${subject}"`);
        }
      }
      for (const subject of f.invalidatedBy) this.bySubject.set(subject, [...(this.bySubject.get(subject) ?? []), f.name]);
      for (const subject of f.maintainedBy ?? []) {
        this.maintainedBySubject.set(subject, [...(this.maintainedBySubject.get(subject) ?? []), f]);
      }
    }
    this.features = Object.freeze([...definitions]);
    const identity = definitions.map((f) => `${f.name}:${f.dtype}:${f.revision ?? 0}`).sort().join('\n');
    this.version = `r-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
  }

  /** Every subject some feature depends on (invalidated or maintained by), each once. */
  subjects(): string[] {
    return [...new Set([...this.bySubject.keys(), ...this.maintainedBySubject.keys()])];
  }

  /** Names of the features an event on `subject` invalidates. */
  invalidatedBy(subject: string): readonly string[] {
    return this.bySubject.get(subject) ?? [];
  }

  /** The features that fold an event on `subject` into their cached value in place. */
  maintainedBy(subject: string): readonly AnyFeatureDefinition[] {
    return this.maintainedBySubject.get(subject) ?? [];
  }

  toDocument(): RegistryDocument {
    return {
      registryVersion: this.version,
      features: this.features.map((f) => ({
        name: f.name,
        dtype: f.dtype,
        ttlSec: f.ttlSec,
        description: f.description,
        invalidatedBy: [...f.invalidatedBy],
        maintainedBy: [...(f.maintainedBy ?? [])],
        fallback: f.fallback,
        revision: f.revision ?? 0,
      })),
    };
  }
}

/**
 * Every subject whose events change a feature's inputs, however they reach it.
 *
 * @example
 * dependenciesOf(completionRate); // ['signals.tip.served', 'signals.tip.feedback']
 */
export function dependenciesOf(f: AnyFeatureDefinition): string[] {
  return [...new Set([...f.invalidatedBy, ...(f.maintainedBy ?? [])])];
}

function describeProblem(f: AnyFeatureDefinition, seen: Set<string>): string | null {
  if (!FEATURE_NAME.test(f.name)) return `name must match ${FEATURE_NAME}`;
  if (seen.has(f.name)) return 'declared twice';
  if (!Number.isInteger(f.ttlSec) || f.ttlSec <= 0) return 'ttlSec must be a positive integer';
  if (f.dtype === 'numeric' && typeof f.fallback !== 'number') return 'a numeric feature needs a numeric fallback';
  if (f.dtype === 'categorical' && typeof f.fallback !== 'string') return 'a categorical feature needs a text fallback';
  if (!f.description.trim()) return 'description is required';
  const both = f.invalidatedBy.filter((s) => f.maintainedBy?.includes(s));
  if (both.length > 0) return `${both.join(', ')}: both invalidates and maintains`;
  if (f.maintainedBy?.length && !f.onTipChange) return 'maintainedBy needs onTipChange';
  return null;
}
