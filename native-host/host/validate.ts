// Strict checks of what arrives from the browser. Every failure is BAD_MESSAGE with an English detail naming the
// field (details.field). Nothing here echoes a value back: a rejected PIN or digest never reaches a reply or a log.

import path from 'node:path';
import { KysoError } from '@kyso/shared/protocol/errors';

export function bad(field: string, what: string): KysoError {
  return new KysoError('BAD_MESSAGE', field ? `${field}: ${what}` : what, field ? { field } : undefined);
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** A JSON object (not null, not an array) holding only the keys named, with every required one present. */
export function object(v: unknown, field: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(field, `must be an object, got ${typeName(v)}.`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) throw bad(field, `unknown field "${k.slice(0, 40)}".`);
  }
  for (const k of required) if (!Object.hasOwn(o, k)) throw bad(join(field, k), 'is required.');
  return o;
}

export function join(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}

export interface StringRule {
  min?: number;
  max: number;
  pattern?: RegExp;
  patternText?: string;
}

export function string(v: unknown, field: string, rule: StringRule): string {
  if (typeof v !== 'string') throw bad(field, `must be a string, got ${typeName(v)}.`);
  const min = rule.min ?? 1;
  if (v.length < min) throw bad(field, min === 1 ? 'must not be empty.' : `must have at least ${min} characters.`);
  if (v.length > rule.max) throw bad(field, `must have at most ${rule.max} characters.`);
  if (rule.pattern && !rule.pattern.test(v)) throw bad(field, `must be ${rule.patternText ?? 'well formed'}.`);
  return v;
}

export function integer(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(field, `must be an integer, got ${typeName(v)}.`);
  if (v < min || v > max) throw bad(field, `must be between ${min} and ${max}.`);
  return v;
}

export function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw bad(field, `must be one of ${allowed.join(', ')}.`);
  return v as T;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Canonical standard base64 (padding required, no whitespace), decoded. */
export function base64(v: unknown, field: string, maxChars: number): Uint8Array {
  const s = string(v, field, { max: maxChars });
  if (!BASE64.test(s)) throw bad(field, 'must be standard base64 with padding.');
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') !== s) throw bad(field, 'must be canonical base64.');
  return new Uint8Array(bytes);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Token label or serial number, as the token reports it (PKCS#11: 32 bytes of label, 16 of serial). */
export function tokenLabel(v: unknown, field: string): string {
  const s = string(v, field, { max: 64 });
  if (CONTROL.test(s)) throw bad(field, 'must not contain control characters.');
  return s;
}

const LIBRARY = /\.(so(\.\d+)*|dylib|dll)$/i;

/**
 * A PKCS#11 module path: absolute, a shared-library name (.so, .so.N, .dylib, .dll), no control characters.
 * Whether the file exists is the token service's question (MODULE_NOT_FOUND).
 */
export function modulePath(v: unknown, field: string): string {
  const s = string(v, field, { max: 1024 });
  if (CONTROL.test(s)) throw bad(field, 'must not contain control characters.');
  const absolute = process.platform === 'win32' ? path.win32.isAbsolute(s) && /^([A-Za-z]:[\\/]|\\\\)/.test(s) : path.posix.isAbsolute(s);
  if (!absolute) throw bad(field, 'must be an absolute path.');
  if (!LIBRARY.test(s)) throw bad(field, 'must name a shared library (.so, .dylib or .dll).');
  return s;
}
