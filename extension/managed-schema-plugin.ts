// Writes managed_schema.json into dist/ at build time from shared/policy/schema.ts (the manifest's
// "storage": {"managed_schema": "managed_schema.json"}). The same text is checked in as extension/managed_schema.json
// for reviewers; tests/policy fails when the two drift apart.

import type { Plugin } from 'vite';
import { managedStorageSchemaText } from '../shared/policy/schema.ts';

export const MANAGED_SCHEMA_FILE = 'managed_schema.json';

export function managedSchema(): Plugin {
  return {
    name: 'kyso-managed-schema',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MANAGED_SCHEMA_FILE, source: managedStorageSchemaText() });
    },
  };
}
