// What pdf.js expects from a browser, for the single executable. From node_modules, pdf.js takes DOMMatrix,
// ImageData and Path2D from the optional @napi-rs/canvas addon; the executable has no canvas (it only reads page
// text), but pdf.js's display layer builds a DOMMatrix when it loads. scripts/package/build-host.mjs imports this
// file at the top of pdf.mjs and stops pdf.js from looking for @napi-rs/canvas next to the executable.

import { DOMMatrix2D, ImageDataRecord, NoPath2D } from './dom-geometry.ts';

const g = globalThis as Record<string, unknown>;
g.DOMMatrix ??= DOMMatrix2D;
g.ImageData ??= ImageDataRecord;
g.Path2D ??= NoPath2D;
