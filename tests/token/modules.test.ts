// PKCS#11 module discovery per OS, with the file system injected.

import { describe, expect, it } from 'vitest';
import { discoverModules, knownModuleCandidates, vendorHint } from '../../native-host/token/modules.ts';

function fakeFs(files: string[]) {
  const set = new Set(files.map((f) => f.toLowerCase()));
  return {
    exists: (p: string) => set.has(p.toLowerCase()),
    realpath: (p: string) => p,
    listDir: (dir: string) =>
      files
        .filter((f) => f.toLowerCase().startsWith(dir.toLowerCase() + '\\'))
        .map((f) => f.slice(dir.length + 1))
        .filter((n) => !n.includes('\\')),
  };
}

describe('Windows', () => {
  const files = [
    'C:\\Windows\\System32\\eTPKCS11.dll',
    'C:\\Windows\\System32\\vnptca_p11_v8.dll',
    'C:\\Windows\\System32\\Vina-CA_v5.dll',
    'C:\\Windows\\System32\\Vina-CA_v5_s.dll', // the CSP companion, not a PKCS#11 module
    'C:\\Windows\\System32\\kernel32.dll',
    'C:\\Windows\\SysWOW64\\viettel-ca_v4.dll',
    'C:\\Windows\\SysWOW64\\eTPKCS11.dll',
    'D:\\Drivers\\BkavCAv2S.dll',
  ];

  it('finds System32 modules for a 64-bit host and marks 32-bit-only SysWOW64 ones unloadable', () => {
    const found = discoverModules({ platform: 'win32', arch: 'x64', env: { SystemRoot: 'C:\\Windows' }, ...fakeFs(files) });
    expect(found).toEqual([
      { path: 'C:\\Windows\\System32\\eTPKCS11.dll', vendor: 'SafeNet eToken', source: 'known', loadable: true },
      { path: 'C:\\Windows\\System32\\vnptca_p11_v8.dll', vendor: 'VNPT-CA', source: 'known', loadable: true },
      { path: 'C:\\Windows\\System32\\Vina-CA_v5.dll', vendor: 'Vina-CA', source: 'known', loadable: true },
      { path: 'C:\\Windows\\SysWOW64\\eTPKCS11.dll', vendor: 'SafeNet eToken', source: 'known', loadable: false },
      { path: 'C:\\Windows\\SysWOW64\\viettel-ca_v4.dll', vendor: 'Viettel-CA', source: 'known', loadable: false },
    ]);
  });

  it('a 32-bit host may load SysWOW64 modules', () => {
    const found = discoverModules({ platform: 'win32', arch: 'ia32', env: { SystemRoot: 'C:\\Windows' }, ...fakeFs(files) });
    expect(found.find((m) => m.path.endsWith('viettel-ca_v4.dll'))?.loadable).toBe(true);
  });

  it('policy paths come first, then user paths, each once (case-insensitively), only when present', () => {
    const found = discoverModules({
      platform: 'win32',
      arch: 'x64',
      env: { SystemRoot: 'C:\\Windows' },
      policyPaths: ['D:\\Drivers\\BkavCAv2S.dll', 'D:\\Drivers\\missing.dll'],
      userPaths: ['c:\\windows\\system32\\ETPKCS11.DLL'],
      ...fakeFs(files),
    });
    expect(found.slice(0, 2)).toEqual([
      { path: 'D:\\Drivers\\BkavCAv2S.dll', vendor: 'BKAV-CA', source: 'policy', loadable: true },
      { path: 'c:\\windows\\system32\\ETPKCS11.DLL', vendor: 'SafeNet eToken', source: 'user', loadable: true },
    ]);
    expect(found.filter((m) => m.path.toLowerCase().endsWith('system32\\etpkcs11.dll'))).toHaveLength(1);
  });

  it('knows every family named in the domain notes, and honours SystemRoot', () => {
    const names = knownModuleCandidates({ platform: 'win32', arch: 'x64', env: { SystemRoot: 'E:\\WINNT' } })
      .filter((c) => c.path.startsWith('E:\\WINNT\\System32\\'))
      .map((c) => c.path.slice('E:\\WINNT\\System32\\'.length));
    for (const n of [
      'eTPKCS11.dll',
      'bit4xpki.dll',
      'eps2003csp11.dll',
      'eps2003csp11v2.dll',
      'ShuttleCsp11_3003.dll',
      'ngp11v211.dll',
      'vnptca_p11_v6.dll',
      'vnptca_p11_v10.dll',
      'vnpt-ca_csp11.dll',
      'viettel-ca.dll',
      'viettel-ca_v1.dll',
      'viettel-ca_v6.dll',
      'fpt-ca.dll',
      'fptca_v3.dll',
      'fptca_v6.dll',
      'BkavCA.dll',
      'BkavCAv2S.dll',
      'st3csp11.dll',
      'CA2_csp11.dll',
      'nca_v4.dll',
      'nca_v9.dll',
      'newca_v4.dll',
      'Safe-ca_v1.dll',
      'efy-ca_v1.dll',
      'fca_v1.dll',
      'misaca_csp11_v2.dll',
      'IDPrimePKCS1164.dll',
      'gclib.dll',
      'WDPKCS.dll',
    ]) {
      expect(names).toContain(n);
    }
    // Patterns are expanded only by listing the folder.
    expect(names.some((n) => n.includes('*'))).toBe(false);
  });
});

describe('Linux', () => {
  it('finds vendor drivers, OpenSC in the Debian and Fedora places, and SoftHSM marked as a test module', () => {
    const files = [
      '/usr/lib/libbit4xpki.so',
      '/usr/lib/fptca_v4.so',
      '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
      '/usr/lib64/pkcs11/opensc-pkcs11.so',
      '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
    ];
    const found = discoverModules({ platform: 'linux', ...fakeFs(files) });
    expect(found.map((m) => [m.path, m.vendor, m.test ?? false])).toEqual([
      ['/usr/lib/libbit4xpki.so', 'Bit4id', false],
      ['/usr/lib/fptca_v4.so', 'FPT-CA', false],
      ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', 'OpenSC', false],
      ['/usr/lib64/pkcs11/opensc-pkcs11.so', 'OpenSC', false],
      ['/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', 'SoftHSM (test)', true],
    ]);
  });

  it('includes both SoftHSM places and libcastle', () => {
    const paths = knownModuleCandidates({ platform: 'linux' }).map((c) => c.path);
    expect(paths).toEqual(expect.arrayContaining(['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/libcastle.so', '/usr/lib/libeTPkcs11.so']));
  });

  it('lists a library reachable through a symbolic link once, under the first name found', () => {
    const files = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'];
    const links: Record<string, string> = { '/usr/lib/softhsm/libsofthsm2.so': '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so' };
    const found = discoverModules({ platform: 'linux', ...fakeFs(files), realpath: (p) => links[p] ?? p, policyPaths: ['/usr/lib/softhsm/libsofthsm2.so'] });
    expect(found.map((m) => [m.path, m.source])).toEqual([
      ['/usr/lib/softhsm/libsofthsm2.so', 'policy'],
      ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', 'known'],
    ]);
  });

  it('on this machine finds the installed SoftHSM once, however many links lead to it', () => {
    const soft = discoverModules().filter((m) => m.path.endsWith('libsofthsm2.so'));
    expect(soft).toHaveLength(1);
  });

  it('on this machine finds the installed SoftHSM', () => {
    expect(discoverModules().some((m) => m.path.endsWith('libsofthsm2.so'))).toBe(true);
  });
});

describe('macOS', () => {
  it('finds dylibs and OpenSC from the installer or Homebrew', () => {
    const files = ['/usr/local/lib/libeTPkcs11.dylib', '/Library/OpenSC/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so', '/usr/lib/libbit4xpki.so'];
    const found = discoverModules({ platform: 'darwin', ...fakeFs(files) });
    expect(found.map((m) => [m.path, m.vendor])).toEqual([
      ['/usr/local/lib/libeTPkcs11.dylib', 'SafeNet eToken'],
      ['/Library/OpenSC/lib/opensc-pkcs11.so', 'OpenSC'],
      ['/opt/homebrew/lib/opensc-pkcs11.so', 'OpenSC'],
    ]);
  });
});

describe('vendorHint', () => {
  it('names the vendor from the file name, whatever the folder', () => {
    expect(vendorHint('/opt/vnpt/vnptca_p11_v10.dll')).toBe('VNPT-CA');
    expect(vendorHint('C:\\x\\VINA-CA_v2.dll')).toBe('Vina-CA');
    expect(vendorHint('/usr/local/lib/libbit4xpki.dylib')).toBe('Bit4id');
    expect(vendorHint('/tmp/unknown.so')).toBe('');
  });
});
