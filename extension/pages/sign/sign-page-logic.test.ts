// The signing page's pure parts: the state machine, the default mode, and the certificate picker's classification
// (over the test PKI's real certificates).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '@kyso/shared/pki/der';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import type { SigningCertificates, TokenCertificate } from '../../shared/messages.ts';
import { classifyCertificates, visibleCertificates } from './certs.ts';
import { isBlocked } from './cert-picker.tsx';
import { defaultMode } from './default-mode.ts';
import { INITIAL, next, retriesText, type FlowEvent, type FlowState } from './sign-flow.ts';

const PKI = join(import.meta.dirname, '..', '..', '..', '.kyso', 'pki');

const pinError: ErrorPayload = { code: 'PIN_INCORRECT', message: 'x', messageVi: 'Mã PIN không đúng.', details: { retries: 'final' } };
const run = (events: FlowEvent[], from: FlowState = INITIAL) => events.reduce(next, from);

describe('sign flow', () => {
  it('goes loading → ready → confirm → signing → done', () => {
    const states = [INITIAL];
    for (const e of [{ type: 'loaded' }, { type: 'ask' }, { type: 'confirmed' }, { type: 'progress', step: 'Đang ký…' }, { type: 'signed' }] as FlowEvent[]) states.push(next(states.at(-1)!, e));
    expect(states.map((s) => s.kind)).toEqual(['loading', 'ready', 'confirm', 'signing', 'signing', 'done']);
    expect(states[4]).toEqual({ kind: 'signing', step: 'Đang ký…' });
  });

  it('nothing signs without the confirmation: confirmed only moves out of confirm', () => {
    expect(run([{ type: 'loaded' }, { type: 'confirmed' }]).kind).toBe('ready');
    expect(run([{ type: 'loaded' }, { type: 'ask' }, { type: 'cancel' }, { type: 'confirmed' }]).kind).toBe('ready');
  });

  it('a wrong PIN is a recoverable error; the user asks again and confirms again', () => {
    const failed = run([{ type: 'loaded' }, { type: 'ask' }, { type: 'confirmed' }, { type: 'failed', error: pinError }]);
    expect(failed).toEqual({ kind: 'error', error: pinError, recoverable: true });
    expect(next(failed, { type: 'confirmed' }).kind).toBe('error');
    expect(run([{ type: 'ask' }, { type: 'confirmed' }, { type: 'signed' }], failed).kind).toBe('done');
  });

  it('a document that does not load is final; cancel while signing is cancelled, its late failure ignored', () => {
    const e: ErrorPayload = { code: 'DOCUMENT_FETCH_FAILED', message: '', messageVi: '' };
    const dead = run([{ type: 'failed', error: e }]);
    expect(dead).toMatchObject({ kind: 'error', recoverable: false });
    expect(next(dead, { type: 'ask' })).toBe(dead);
    const cancelled = run([{ type: 'loaded' }, { type: 'ask' }, { type: 'confirmed' }, { type: 'cancel' }]);
    expect(cancelled).toEqual({ kind: 'cancelled', recoverable: true });
    expect(next(cancelled, { type: 'failed', error: { ...e, code: 'USER_CANCELLED' } })).toBe(cancelled);
    expect(next(cancelled, { type: 'resume' }).kind).toBe('ready');
    expect(run([{ type: 'cancel' }]).kind).toBe('cancelled');
    expect(run([{ type: 'cancel' }, { type: 'resume' }]).kind).toBe('cancelled');
  });

  it('says how many PIN tries are left as far as the token tells', () => {
    expect(retriesText(pinError)).toContain('Còn 1 lần thử');
    expect(retriesText({ ...pinError, details: { retries: 'low' } })).toContain('ít lần thử');
    expect(retriesText({ ...pinError, details: { retries: 'unknown' } })).toContain('không cho biết');
    expect(retriesText({ ...pinError, code: 'PIN_LOCKED' })).toBeUndefined();
  });
});

describe('default mode', () => {
  const job = (mode?: 'copy', pageUrl = 'https://motcua.kontum.gov.vn/hoso/1') => ({ prefill: mode ? { mode } : {}, pageUrl });
  it('takes the adapter’s prefill first, then the portal’s setting, then issue for a signed document, else approval', () => {
    const modes = { 'https://*.kontum.gov.vn/*': 'certify' as const };
    expect(defaultMode(job('copy'), modes, true)).toBe('copy');
    expect(defaultMode(job(), modes, true)).toBe('certify');
    expect(defaultMode(job(undefined, 'https://qlvb.quangnam.gov.vn/'), modes, true)).toBe('issue');
    expect(defaultMode(job(undefined, 'https://qlvb.quangnam.gov.vn/'), modes, false)).toBe('approval');
    expect(defaultMode(undefined, modes, false)).toBe('approval');
  });
});

describe('certificate classification', () => {
  const der = (who: string) => new Uint8Array(readFileSync(join(PKI, `${who}.cert.der`)));
  const chain = [...readFileSync(join(PKI, 'chain.pem'), 'utf8').matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  const entry = (id: string, bytes: Uint8Array, hasPrivateKey = true, token = 'S1'): TokenCertificate => ({
    id,
    label: id,
    certificate: toBase64(bytes),
    hasPrivateKey,
    keyType: 'rsa',
    module: '/m.so',
    token,
    tokenLabel: 'KySo Demo',
  });
  const list: SigningCertificates = {
    tokens: [],
    problems: [],
    certificates: [entry('01', der('leader')), entry('02', der('expired')), entry('03', der('notyet')), entry('04', der('ecdsa')), ...chain.map((c, i) => entry(`ca${i}`, c, false))],
  };

  it('offers the keys, marks expired and not yet valid ones, builds chains from the token’s CA certificates', () => {
    const all = classifyCertificates(list);
    expect(all.map((c) => c.source.id).sort()).toEqual(['01', '02', '03', '04']);
    const byId = Object.fromEntries(all.map((c) => [c.source.id, c]));
    expect(byId['01']).toMatchObject({ usable: true, validity: 'valid', scheme: { kind: 'rsa-pkcs1' } });
    expect(byId['04']).toMatchObject({ usable: true, scheme: { kind: 'ecdsa' } });
    expect(byId['02']).toMatchObject({ usable: false, validity: 'expired' });
    expect(byId['02'].reason).toContain('hết hạn');
    expect(byId['03']).toMatchObject({ usable: false, validity: 'not-yet-valid' });
    expect(all.slice(0, 2).every((c) => c.usable)).toBe(true);
    // The chain reaches the root of the test PKI: every CA certificate on the token that is an issuer above it.
    expect(byId['01'].chain.length).toBe(chain.length);
    expect(byId['01'].holder).not.toBe('');
  });

  it('no chain from another token’s CA certificates; "show all" adds certificates without signing usage', () => {
    const other = { ...list, certificates: [entry('01', der('leader')), ...chain.map((c, i) => entry(`ca${i}`, c, false, 'S2'))] };
    expect(classifyCertificates(other)[0].chain.length).toBe(0);
    // The CA certificates have keyCertSign only: as if they had their key on the token, they are hidden by default.
    const withCaKey = { ...list, certificates: chain.map((c, i) => entry(`ca${i}`, c, true)) };
    const all = classifyCertificates(withCaKey);
    expect(all.every((c) => !c.signingUsage)).toBe(true);
    expect(visibleCertificates(all, false)).toEqual([]);
    expect(visibleCertificates(all, true).length).toBe(chain.length);
  });

  it('a revoked certificate cannot be chosen; an unknown status only warns', () => {
    const [leader] = classifyCertificates({ ...list, certificates: [entry('01', der('leader'))] });
    const base = { validity: 'valid' as const, notBefore: new Date(), notAfter: new Date(), problems: [] };
    expect(isBlocked(leader, undefined)).toBe(false);
    expect(isBlocked(leader, { kind: 'checking' })).toBe(false);
    expect(isBlocked(leader, { kind: 'done', status: { ...base, revocation: 'revoked', verdict: 'CERT_REVOKED' } })).toBe(true);
    expect(isBlocked(leader, { kind: 'done', status: { ...base, revocation: 'unknown', problems: ['OCSP: timeout'], verdict: 'REVOCATION_UNKNOWN' } })).toBe(false);
    const [expired] = classifyCertificates({ ...list, certificates: [entry('02', der('expired'))] });
    expect(isBlocked(expired, undefined)).toBe(true);
  });
});
