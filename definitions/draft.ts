// Helpers for building the JSON model; zod checks the whole in index.ts.
import type { ModdleElement } from './moddle-types.ts';

/** Part of a model under construction. */
export type Draft = Record<string, unknown>;

/** A string's trimmed text; undefined for anything else and for blank strings. */
export function trimmed(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function nameOf(element: ModdleElement): string | undefined {
  return trimmed(element.name);
}

/** Drops undefined properties so the JSON model carries no empty keys. */
export function compact<T extends object>(value: T): T {
  const kept: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) kept[key] = v;
  return kept as T;
}
