// The one source (shared/policy/schema.ts) and what is derived from it: extension/managed_schema.json, the manifest.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_DEFS, POLICY_KEYS, POLICY_LIST, defaultValues, managedStorageSchemaText, type PolicyKey } from '../../shared/policy/schema.ts';
import { validateValue } from '../../shared/policy/validate.ts';
import { DEFAULT_MARKERS } from '../../shared/placement/markers.ts';
import { REPO_ROOT } from '../../scripts/testenv/testenv.ts';

describe('policy schema', () => {
  it('has the keys the rollout needs, each with texts in both languages and an example', () => {
    expect([...POLICY_KEYS].sort()).toEqual(
      ['defaultModes', 'language', 'markers', 'onlineRevocation', 'pkcs11Modules', 'portals', 'signatureLevel', 'trustAnchors', 'tsaUrl'].sort(),
    );
    for (const d of POLICY_LIST) {
      expect(d.title.vi && d.title.en && d.description.vi && d.description.en, d.key).toBeTruthy();
      expect(d.example, d.key).toBeDefined();
    }
  });

  it('defaults and examples (but trustAnchors’ shortened example) pass validation', () => {
    const defaults = defaultValues();
    for (const key of POLICY_KEYS) {
      expect(validateValue(key, defaults[key]), key).toEqual({ ok: true, value: defaults[key] });
      if (key === 'trustAnchors') continue;
      expect(validateValue(key, POLICY_DEFS[key].example as unknown).ok, key).toBe(true);
    }
    expect(defaults.markers).toEqual(DEFAULT_MARKERS);
    expect(defaults).toMatchObject({ signatureLevel: 'B-B', language: 'vi', onlineRevocation: true, tsaUrl: '', portals: [] });
  });

  it('defaultValues() hands out copies', () => {
    const a = defaultValues();
    a.markers.signature.push('#X');
    expect(defaultValues().markers.signature).toEqual(['#ChuKyLanhDao']);
  });

  it('extension/managed_schema.json is the generated schema, byte for byte', () => {
    const file = readFileSync(join(REPO_ROOT, 'extension', 'managed_schema.json'), 'utf8');
    expect(file, 'regenerate: npx tsx -e "import {managedStorageSchemaText as t} from \'./shared/policy/schema.ts\'; process.stdout.write(t())" > extension/managed_schema.json').toBe(managedStorageSchemaText());
  });

  it('managed schema: an object with every key, JSON types only, in Chrome’s schema subset', () => {
    const schema = JSON.parse(managedStorageSchemaText()) as { type: string; properties: Record<string, Record<string, unknown>> };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual([...POLICY_KEYS]);
    const types: Record<PolicyKey, string> = {
      portals: 'array',
      markers: 'object',
      defaultModes: 'object',
      pkcs11Modules: 'array',
      tsaUrl: 'string',
      signatureLevel: 'string',
      trustAnchors: 'array',
      onlineRevocation: 'boolean',
      language: 'string',
    };
    const allowed = new Set(['type', 'title', 'description', 'items', 'additionalProperties', 'properties']);
    const walk = (node: Record<string, unknown>) => {
      for (const k of Object.keys(node)) expect(allowed.has(k), k).toBe(true);
      if (node.items) walk(node.items as Record<string, unknown>);
      if (node.additionalProperties) walk(node.additionalProperties as Record<string, unknown>);
    };
    for (const [k, node] of Object.entries(schema.properties)) {
      expect(node.type, k).toBe(types[k as PolicyKey]);
      walk(node);
    }
    expect(schema.properties.markers.additionalProperties).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('the built extension (when built) carries the same schema and names it in its manifest', { skip: !existsSync(join(REPO_ROOT, 'extension', 'dist', 'manifest.json')) }, () => {
    const dist = join(REPO_ROOT, 'extension', 'dist');
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { storage?: { managed_schema?: string } };
    expect(manifest.storage?.managed_schema).toBe('managed_schema.json');
    expect(readFileSync(join(dist, 'managed_schema.json'), 'utf8')).toBe(managedStorageSchemaText());
  });

  it('the manifest names the managed schema, and the build writes it', () => {
    const manifest = readFileSync(join(REPO_ROOT, 'extension', 'manifest.ts'), 'utf8');
    expect(manifest).toMatch(/managed_schema:\s*'managed_schema\.json'/);
    const plugin = readFileSync(join(REPO_ROOT, 'extension', 'vite.config.ts'), 'utf8');
    expect(plugin).toContain('managedSchema()');
  });
});
