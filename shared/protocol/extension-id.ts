// The extension's fixed identity. The manifest's "key" (public key, base64 DER SubjectPublicKeyInfo) makes Chrome
// and Edge give the extension this ID on every machine, so the host manifest can allow exactly this origin.
// Derived from extension/keys/dev-extension-key.pem (a development key; see extension/keys/README.md).

export const EXTENSION_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoXKy13m37WD9R7lIsNow5SE6WFhNwTrQzGYQ2bZXmj7Gduek0OYSrxZinbIQi8v88U4wUD4Yvmkbu72gmJN+AuB5AceyQVM3ZuAomYn2tYAqqnLD9e2SQnHuqch74IABwfMDwnziEmvkFYGca+kDtKJiBuELGXnyHWNNQcvRC8VLLulEIlsc36QUdIoj3fjzj0AbnmaToBiZBqoBf/byqYMc9LGdkGWbWPSHMWHIPNWIdZ/OJlavPCHDxrkN05yAhKHVyXLfBk+3DXbeYKW3x/eCJx8uB1fZjQrwCnVJITSOLZgF3NkaVtPiukFle+ygoil136wy6vxKMPFjeBfDdwIDAQAB';

/** sha256 of the public key, first 32 hex digits written with the letters a–p. */
export const EXTENSION_ID = 'kkikmailolohkgijeoakdjhpnacmlfgi';

export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

/** The native messaging host's name (lowercase, dots and underscores only). */
export const HOST_NAME = 'vn.kyso.host';
