// A DigestSigner (shared/pades) backed by a token: opens the module, logs in once (the PIN is checked before any
// PDF work), picks the certificate by label or CKA_ID, gathers its chain from the token, signs digests.

import { KysoError } from '@kyso/shared/protocol/errors';
import { ecdsaRawToDer, hashLength, type HashAlg, type SignatureScheme } from '@kyso/shared/pades/algorithms';
import { defaultSchemeFor, type DigestSigner } from '@kyso/shared/pades/signer';
import { buildChain, parseCertificate, type CertInfo } from '@kyso/shared/pki/certificate';
import { discoverModules, type DiscoverOptions } from './modules.ts';
import { normalizeCkaId, Pkcs11Service, type TokenCertificate, type TokenSignScheme } from './pkcs11-service.ts';

export interface OpenTokenSignerOptions {
  /** PKCS#11 module; default: the first discovered module that holds the token. */
  modulePath?: string;
  /** Where to look when modulePath is not given (policy and user paths, injected fs for tests). */
  discover?: DiscoverOptions;
  /** Token label (or serial number). */
  tokenLabel: string;
  /** Certificate: its CKA_LABEL, or its CKA_ID in hex. */
  cert: string;
  /** null: the token's PIN pad (protected authentication path). */
  pin: string | null;
  /** Default: ECDSA for EC keys, RSASSA-PSS for PSS-only RSA keys, PKCS#1 v1.5 for other RSA keys. */
  scheme?: TokenSignScheme;
  /** More certificates to build the chain from (trust anchors, intermediates not on the token). */
  extraCertificates?: readonly Uint8Array[];
}

export interface TokenSigner extends DigestSigner {
  readonly modulePath: string;
  readonly tokenLabel: string;
  readonly certId: string;
  readonly certLabel: string;
  /** The login went through the token's PIN pad. */
  readonly protectedAuthPath: boolean;
  /** Logs out and unloads the module. Never throws. */
  close(): void;
}

/** The certificate named by label (preferring one with its key) or by CKA_ID. */
export function pickCertificate(certs: readonly TokenCertificate[], ref: string): TokenCertificate {
  const byLabel = certs.filter((c) => c.label === ref);
  const withKey = byLabel.find((c) => c.hasPrivateKey);
  if (withKey) return withKey;
  if (byLabel.length > 0) return byLabel[0];
  const id = normalizeCkaId(ref);
  const byId = id ? certs.find((c) => c.id === id) : undefined;
  if (byId) return byId;
  throw new KysoError('CERT_NOT_FOUND', `No certificate labelled or with CKA_ID "${ref}".`, { cert: ref });
}

function defaultScheme(info: CertInfo): TokenSignScheme {
  const scheme = defaultSchemeFor(info);
  if (!scheme) throw new KysoError('MECHANISM_UNSUPPORTED', `KýSố cannot sign with a ${info.keyType.kind === 'other' ? info.keyType.oid : info.keyType.kind} key.`);
  return scheme.kind;
}

/** Loads the module that holds the token: the given one, or the first discovered one that has it. */
async function serviceForToken(opts: OpenTokenSignerOptions): Promise<Pkcs11Service> {
  if (opts.modulePath) return Pkcs11Service.load(opts.modulePath);
  const candidates = discoverModules(opts.discover).filter((m) => m.loadable);
  if (candidates.length === 0) throw new KysoError('MODULE_NOT_FOUND', 'No known PKCS#11 module on this computer.');
  let firstError: KysoError | null = null;
  for (const c of candidates) {
    let service: Pkcs11Service | null = null;
    try {
      service = Pkcs11Service.load(c.path);
      await service.findToken(opts.tokenLabel);
      return service;
    } catch (e) {
      service?.close();
      const err = e instanceof KysoError ? e : new KysoError('TOKEN_ERROR', String(e), undefined, { cause: e });
      // A reader without its token says more than a module that does not know the label.
      if (!firstError || (err.code === 'TOKEN_NOT_PRESENT' && firstError.code !== 'TOKEN_NOT_PRESENT')) firstError = err;
    }
  }
  throw firstError ?? new KysoError('TOKEN_NOT_FOUND', `No token labelled "${opts.tokenLabel}".`);
}

export async function openTokenSigner(opts: OpenTokenSignerOptions): Promise<TokenSigner> {
  const service = await serviceForToken(opts);
  try {
    const login = await service.login(opts.tokenLabel, opts.pin);
    const certs = await service.listCertificates(opts.tokenLabel);
    const cert = pickCertificate(certs, opts.cert);
    if (!cert.hasPrivateKey) throw new KysoError('KEY_NOT_FOUND', `Certificate "${cert.label}" (${cert.id}) has no private key on the token.`, { id: cert.id });
    const info = parseCertificate(cert.der);
    const kind = opts.scheme ?? defaultScheme(info);
    const scheme: SignatureScheme = kind === 'rsa-pss' ? { kind, saltLength: hashLength('SHA-256') } : { kind };

    const pool: CertInfo[] = [];
    for (const der of [...certs.filter((c) => c !== cert).map((c) => c.der), ...(opts.extraCertificates ?? [])]) {
      try {
        pool.push(parseCertificate(der));
      } catch {
        // an unreadable certificate on the token cannot be part of the chain
      }
    }
    const chain = buildChain(info, pool)
      .slice(1)
      .map((c) => c.der);

    // The PIN stays in memory only for keys that want it at every signature.
    const pinForKey = cert.alwaysAuthenticate ? opts.pin : undefined;
    return {
      certificate: cert.der,
      chain,
      scheme,
      modulePath: service.modulePath,
      tokenLabel: opts.tokenLabel,
      certId: cert.id,
      certLabel: cert.label,
      protectedAuthPath: login.protectedAuthPath,
      async signDigest(digest: Uint8Array, hash: HashAlg): Promise<Uint8Array> {
        const raw = await service.signDigest({
          tokenLabel: opts.tokenLabel,
          certId: cert.id,
          pin: pinForKey,
          digest,
          hash,
          scheme: kind,
          saltLength: scheme.kind === 'rsa-pss' ? scheme.saltLength : undefined,
        });
        return kind === 'ecdsa' ? ecdsaRawToDer(raw) : raw;
      },
      close: () => service.close(),
    };
  } catch (e) {
    service.close();
    throw e;
  }
}
