// The pieces only the single executable runs, tested in plain Node: where the addon cache goes, and the DOMMatrix
// pdf.js gets there.

import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cacheDirs } from '../../native-host/sea/native-addon.ts';
import { DOMMatrix2D } from '../../native-host/sea/dom-geometry.ts';

describe('addon cache folder', () => {
  const fallback = expect.stringContaining(join(tmpdir(), 'kyso-cache'));
  it('follows each platform’s convention, with a private temporary folder last', () => {
    expect(cacheDirs({ HOME: '/home/a' }, 'linux')[0]).toMatch(/[\\/]\.cache[\\/]kyso$/);
    expect(cacheDirs({ XDG_CACHE_HOME: '/xdg' }, 'linux')).toEqual([join('/xdg', 'kyso'), fallback]);
    expect(cacheDirs({ XDG_CACHE_HOME: 'relative' }, 'linux')[0]).not.toContain('relative');
    expect(cacheDirs({}, 'darwin')[0]).toMatch(/Library[\\/]Caches[\\/]KySo$/);
    expect(cacheDirs({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32')[0]).toBe(join('C:\\Users\\a\\AppData\\Local', 'KySo', 'cache'));
    expect(cacheDirs({}, 'linux')).toHaveLength(2);
  });
  it('takes KYSO_CACHE_DIR alone when set', () => {
    expect(cacheDirs({ KYSO_CACHE_DIR: '/x/y' }, 'linux')).toEqual(['/x/y']);
  });
});

describe('DOMMatrix for pdf.js in the executable', () => {
  const arr = (m: DOMMatrix2D) => [m.a, m.b, m.c, m.d, m.e, m.f].map((v) => Math.round(v * 1e9) / 1e9 + 0);
  it('composes like the DOM: translate then scale applies the scale first', () => {
    const m = new DOMMatrix2D().translateSelf(10, 20).scaleSelf(2, 3);
    expect(arr(m)).toEqual([2, 0, 0, 3, 10, 20]);
    expect(m.transformPoint({ x: 1, y: 1 })).toMatchObject({ x: 12, y: 23 });
    expect(arr(new DOMMatrix2D([1, 0, 0, 1, 5, 0]).preMultiplySelf([2, 0, 0, 2, 0, 0]))).toEqual([2, 0, 0, 2, 10, 0]);
  });
  it('inverts', () => {
    const m = new DOMMatrix2D([0.8, 0.6, -0.6, 0.8, 30, -7]);
    expect(arr(m.multiply(m.inverse()))).toEqual([1, 0, 0, 1, 0, 0]);
    expect(new DOMMatrix2D([0, 0, 0, 0, 1, 1]).inverse().a).toBeNaN();
  });
  it('reads 6 and 16 numbers and another matrix', () => {
    const m = new DOMMatrix2D([1, 2, 3, 4, 5, 6]);
    expect(arr(new DOMMatrix2D(m))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(arr(new DOMMatrix2D(Array.from(m.toFloat64Array())))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new DOMMatrix2D().isIdentity).toBe(true);
  });
});
