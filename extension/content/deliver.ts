// deliverSigned: the signed file back into the portal. An input the adapter found (marked data-kyso-upload=<token>
// when the job opened) gets the file as if the user had chosen it (DataTransfer, then input and change events so
// the portal's own script lists it); an upload URL gets a multipart POST with the portal's cookies.

import { KysoError } from '@kyso/shared/protocol/errors';
import type { ContentMessageMap, UploadTarget } from '../shared/jobs.ts';
import { fromBase64 } from '@kyso/shared/pki/base64';
import type { FetchLike } from './find-pdfs.ts';
import { textsOf } from '../shared/i18n-core.ts';
import { CONTENT_TEXTS } from './texts.ts';

const t = textsOf(CONTENT_TEXTS);

export type DeliverResult = ContentMessageMap['deliverSigned']['result'];

/** The one piece that needs a browser's DataTransfer; tests pass their own. */
export type MakeFileList = (file: File) => FileList;

export const dataTransferFiles: MakeFileList = (file) => {
  const dt = new DataTransfer();
  dt.items.add(file);
  return dt.files;
};

export function setInputFile(input: HTMLInputElement, file: File, makeFiles: MakeFileList = dataTransferFiles): void {
  input.files = makeFiles(file);
  // Frameworks listen to input, plain portal scripts to change; both bubble like the user's own choice.
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

export interface DeliverDeps {
  doc: Document;
  fetchFn?: FetchLike;
  makeFiles?: MakeFileList;
}

export async function deliverSigned(params: { name: string; data: string; target: UploadTarget }, deps: DeliverDeps): Promise<DeliverResult> {
  const { target, name } = params;
  if (target.kind === 'none') return { how: 'none', detail: t('noTarget') };
  const bytes = fromBase64(params.data);
  // A fresh ArrayBuffer copy: File wants BufferSource backed by an ArrayBuffer, not a view of a larger buffer.
  const blobPart = bytes.slice().buffer as ArrayBuffer;
  if (target.kind === 'input') {
    const el = deps.doc.querySelector(`[data-kyso-upload="${CSS.escape(target.token)}"]`);
    if (!el || el.tagName !== 'INPUT' || (el as HTMLInputElement).type !== 'file') {
      throw new KysoError('UPLOAD_FAILED', 'The upload field of the job is no longer on the page.');
    }
    const input = el as HTMLInputElement;
    const file = new File([blobPart], name, { type: 'application/pdf', lastModified: Date.now() });
    try {
      setInputFile(input, file, deps.makeFiles);
    } catch (e) {
      throw new KysoError('UPLOAD_FAILED', `Setting the file input failed: ${(e as Error).message}.`);
    }
    if (input.files?.length !== 1 || input.files[0].name !== name) throw new KysoError('UPLOAD_FAILED', 'The file input did not take the file.');
    const where = target.label ? t('fieldNamed', { label: target.label }) : t('field');
    return { how: 'input', detail: t('putInto', { name, where }) };
  }
  const fetchFn = deps.fetchFn ?? ((i, init) => fetch(i, init));
  let url: URL;
  try {
    url = new URL(target.url, deps.doc.baseURI);
  } catch {
    throw new KysoError('UPLOAD_FAILED', `Bad upload URL ${target.url}.`);
  }
  // Same origin as the frame: the adapter names the portal's own endpoint, never a third party.
  const here = new URL(deps.doc.baseURI);
  if (url.origin !== here.origin) throw new KysoError('UPLOAD_FAILED', `Upload URL ${url.href} is not on the portal's origin ${here.origin}.`);
  const form = new FormData();
  for (const [k, v] of Object.entries(target.extra ?? {})) form.append(k, v);
  form.append(target.field, new Blob([blobPart], { type: 'application/pdf' }), name);
  let res: Response;
  try {
    res = await fetchFn(url.href, { method: 'POST', body: form, credentials: 'include' });
  } catch (e) {
    throw new KysoError('UPLOAD_FAILED', `POST ${url.href}: ${(e as Error).message}.`);
  }
  if (!res.ok) throw new KysoError('UPLOAD_FAILED', `POST ${url.href} answered HTTP ${res.status}.`);
  return { how: 'url', detail: t('posted', { name }) };
}
