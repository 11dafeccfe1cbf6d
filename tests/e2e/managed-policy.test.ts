// The policy folder's snapshot and exact restore (managed-policy.ts), on a temporary tree: what the browser tests
// rely on to leave /etc/chromium/policies as they found it.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restore, sameSnapshot, snapshot } from './managed-policy.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('policy folder snapshot and restore', () => {
  it('puts back changed, removed and added files, modes, and removes added folders', () => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-policy-root-'));
    const root = join(dir, 'policies');
    mkdirSync(join(root, 'managed'), { recursive: true });
    mkdirSync(join(root, 'recommended'));
    writeFileSync(join(root, 'managed', 'corp.json'), '{"HomepageLocation": "https://intranet/"}');
    writeFileSync(join(root, 'managed', 'kyso-test.json'), 'an older file of the same name');
    chmodSync(join(root, 'managed', 'corp.json'), 0o640);
    const before = snapshot(root);

    writeFileSync(join(root, 'managed', 'kyso-test.json'), '{"3rdparty": {}}');
    writeFileSync(join(root, 'managed', 'corp.json'), 'changed');
    chmodSync(join(root, 'managed', 'corp.json'), 0o644);
    rmSync(join(root, 'recommended'), { recursive: true });
    mkdirSync(join(root, 'extra', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'extra', 'deeper', 'x.json'), '{}');
    expect(sameSnapshot(before, snapshot(root))).toBe(false);

    restore(root, before);
    expect(sameSnapshot(before, snapshot(root))).toBe(true);
  });

  it('a folder that did not exist is removed again', () => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-policy-root-'));
    const root = join(dir, 'policies');
    const before = snapshot(root);
    expect(before.size).toBe(0);
    mkdirSync(join(root, 'managed'), { recursive: true });
    writeFileSync(join(root, 'managed', 'kyso-test.json'), '{}');
    restore(root, before);
    expect(snapshot(root).size).toBe(0);
  });
});
