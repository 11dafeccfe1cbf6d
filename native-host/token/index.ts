// The token side of the host: PKCS#11 module discovery, the service, error mapping, a DigestSigner. See README.md.
export * from './modules.ts';
export * from './errors.ts';
export * from './pkcs11-service.ts';
export * from './token-signer.ts';
export { digestInfo, ecdsaRawToDer, ecdsaDerToRaw } from '@kyso/shared/pades/algorithms';
