// PAdES signatures: CMS SignedData with an external signer, attributes, sizes. See README.md.
export * from './algorithms.ts';
export * from './attributes.ts';
export * from './signed-data.ts';
export * from './signer.ts';
