// Prints "<pages>" (or "ERR <message>") for each file argument, as pdf.js (pdfjs-dist legacy build) sees it,
// after loading the last page. Used by the writer tests as one more independent reader.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync } from 'node:fs';
for (const f of process.argv.slice(2)) {
  try {
    const doc = await getDocument({ data: new Uint8Array(readFileSync(f)), verbosity: 0, isEvalSupported: false }).promise;
    await doc.getPage(doc.numPages);
    console.log(String(doc.numPages));
    await doc.destroy();
  } catch (e) {
    console.log('ERR ' + (e instanceof Error ? e.message : String(e)));
  }
}
