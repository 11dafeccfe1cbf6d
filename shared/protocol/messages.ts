// The messages between the extension's own pages and the native host (native messaging: 4-byte little-endian
// length + UTF-8 JSON). Versioned: the host refuses a request whose protocol major it does not speak, and the
// extension tells the user to update the side that is behind (docs/protocol.md has examples).

import type { ErrorPayload } from './errors.ts';

/** Bumped when a message changes shape incompatibly. */
export const PROTOCOL_VERSION = 1;

/** Chrome caps host → browser messages at 1 MB; every reply is kept under this. */
export const MAX_REPLY_BYTES = 1024 * 1024;
/** Browser → host messages may be larger (Chrome allows 64 MB); the host refuses beyond this. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type SchemeName = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

export interface HelloParams {
  protocolVersion: number;
  extensionVersion: string;
}
export interface HelloResult {
  hostVersion: string;
  protocolVersion: number;
  platform: string;
  arch: string;
  /** loadable: false for a module of the wrong bitness (a 32-bit Windows driver beside a 64-bit host); absent when loadable. */
  modules: { path: string; vendor: string; source: 'policy' | 'user' | 'known'; loadable?: false }[];
}

export interface ListTokensParams {
  /** Extra module paths from the options page or policy, tried with the known ones. */
  modules?: string[];
}
export interface TokenInfo {
  module: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  protectedAuthPath: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
}
export interface ListTokensResult {
  tokens: TokenInfo[];
  /** Modules that failed to load or list, with why. */
  problems: { module: string; error: ErrorPayload }[];
}

/** listCertificates: the page size when limit is not given, and the largest limit the host accepts. */
export const DEFAULT_CERTIFICATE_PAGE = 20;
export const MAX_CERTIFICATE_PAGE = 100;

export interface ListCertificatesParams {
  module: string;
  token: string;
  /**
   * Paging keeps every reply under MAX_REPLY_BYTES whatever the token holds. A page may hold fewer than `limit`
   * certificates when the size budget is reached: continue from offset + certificates.length while below total.
   */
  offset?: number;
  limit?: number;
}
export interface CertificateInfo {
  /** CKA_ID, lowercase hex. */
  id: string;
  label: string;
  /** DER, base64. The extension parses it with shared/pki for display and checks. */
  certificate: string;
  hasPrivateKey: boolean;
  keyType: 'rsa' | 'ec' | 'other';
  keyBits?: number;
}
export interface ListCertificatesResult {
  certificates: CertificateInfo[];
  /** Certificates the token holds in all, this page and the others (CA certificates included, for the chain). */
  total: number;
}

export interface SignParams {
  module: string;
  token: string;
  certId: string;
  /** Typed on the extension's own signing page; null when the token has a PIN pad. Never logged, dropped after use. */
  pin: string | null;
  /** The hash to sign, base64 (for PAdES: the hash of the DER signed attributes). */
  digest: string;
  hash: HashName;
  scheme: SchemeName;
}
export interface SignResult {
  /** RSA: the signature; ECDSA: DER ECDSA-Sig-Value. Base64. */
  signature: string;
}

export interface LogoutParams {
  token: string;
}
export interface CancelParams {
  /** The id of the request to abandon. */
  requestId: string;
}

export interface CommandMap {
  hello: { params: HelloParams; result: HelloResult };
  listTokens: { params: ListTokensParams; result: ListTokensResult };
  listCertificates: { params: ListCertificatesParams; result: ListCertificatesResult };
  sign: { params: SignParams; result: SignResult };
  logout: { params: LogoutParams; result: Record<string, never> };
  cancel: { params: CancelParams; result: { cancelled: boolean } };
}

export type Command = keyof CommandMap;
export const COMMANDS: readonly Command[] = ['hello', 'listTokens', 'listCertificates', 'sign', 'logout', 'cancel'];

export type Request<C extends Command = Command> = { [K in C]: { id: string; command: K; params: CommandMap[K]['params'] } }[C];

export type Reply<C extends Command = Command> =
  | { id: string; ok: true; result: CommandMap[C]['result'] }
  | { id: string; ok: false; error: ErrorPayload };
