// sign: log in with the PIN (null: the token's PIN pad), sign the digest with the key of certId, log out. One
// C_Login per request and never a second try: a wrong PIN is PIN_INCORRECT with details.retries ('unknown', 'low'
// or 'final'). ECDSA signatures come back DER-encoded (ECDSA-Sig-Value), RSA ones as the raw block.

import { ecdsaRawToDer, hashLength } from '@kyso/shared/pades/algorithms';
import type { HashName, SchemeName } from '@kyso/shared/protocol/messages';
import { Pkcs11Service } from '../../token/pkcs11-service.ts';
import { tokenQueueKey, type CommandSpec } from '../command.ts';
import { bad, base64, modulePath, object, oneOf, string, tokenLabel } from '../validate.ts';

const HASHES: readonly HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const SCHEMES: readonly SchemeName[] = ['rsa-pkcs1', 'rsa-pss', 'ecdsa'];

// PINs go to C as a byte string, a NUL would cut them short.
const CONTROL = /[\u0000-\u001f\u007f]/;

export const sign: CommandSpec<'sign'> = {
  command: 'sign',
  timeout: 'sign',
  parse(params) {
    const o = object(params, 'params', ['module', 'token', 'certId', 'pin', 'digest', 'hash', 'scheme']);
    const hash = oneOf(o.hash, 'params.hash', HASHES);
    const digest = base64(o.digest, 'params.digest', 128);
    if (digest.length !== hashLength(hash)) throw bad('params.digest', `must be ${hashLength(hash)} bytes for ${hash}, got ${digest.length}.`);
    let pin: string | null = null;
    if (o.pin !== null) {
      pin = string(o.pin, 'params.pin', { max: 64 });
      if (CONTROL.test(pin)) throw bad('params.pin', 'must not contain control characters.');
    }
    return {
      module: modulePath(o.module, 'params.module'),
      token: tokenLabel(o.token, 'params.token'),
      certId: string(o.certId, 'params.certId', { max: 256, pattern: /^(?:[0-9a-fA-F]{2})+$/, patternText: 'hex (the CKA_ID from listCertificates)' }).toLowerCase(),
      pin,
      digest: Buffer.from(digest).toString('base64'),
      hash,
      scheme: oneOf(o.scheme, 'params.scheme', SCHEMES),
    };
  },
  queueKey: (p) => tokenQueueKey(p.module, p.token),
  async run(p) {
    const pin = p.pin;
    // From here on the request object no longer holds the PIN; the local goes out of scope with this call.
    p.pin = null;
    const raw = await Pkcs11Service.use(p.module, (s) =>
      // signDigest opens a session, logs in once with the PIN (or the PIN pad), signs, logs out and closes it.
      s.signDigest({ tokenLabel: p.token, certId: p.certId, pin, digest: new Uint8Array(Buffer.from(p.digest, 'base64')), hash: p.hash, scheme: p.scheme }),
    );
    const signature = p.scheme === 'ecdsa' ? ecdsaRawToDer(raw) : raw;
    return { signature: Buffer.from(signature).toString('base64') };
  },
  forget(p) {
    p.pin = null;
  },
};
