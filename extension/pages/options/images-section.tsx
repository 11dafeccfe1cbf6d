// "Ảnh chữ ký và con dấu": the user's own signature and seal PNGs, kept in storage.local (extension/shared/images.ts)
// and used by the signing page. Each picker checks the file (image-check.ts), previews it on a checkerboard so
// transparency shows, and saves at once; a refused file leaves the saved image as it was.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import { asKysoError } from '@kyso/shared/protocol/errors';
import { RECOMMENDED_SIZE, loadImage, saveImage, type ImageKind } from '../../shared/images.ts';
import { ErrorView } from '../common/error-view.tsx';
import { checkImage, checkImageSize, type ImageReport } from './image-check.ts';
import { useLanguage, useTexts } from '../../shared/i18n.ts';
import { OPTIONS_TEXTS } from './texts.ts';

const KINDS: ImageKind[] = ['signatureImage', 'sealImage'];

type Shown = { kind: 'loading' } | { kind: 'none' } | { kind: 'image'; url: string; report: ImageReport };
type Notice = { kind: 'idle' } | { kind: 'busy' } | { kind: 'saved' } | { kind: 'removed' } | { kind: 'error'; error: ErrorPayload };

export function ImagesSection() {
  const t = useTexts(OPTIONS_TEXTS);
  return (
    <section class="setting images" data-testid="images">
      <h2>{t('images')}</h2>
      <p class="description">
        {t('imagesIntro')}
      </p>
      <div class="image-pickers">
        {KINDS.map((k) => (
          <ImagePicker key={k} kind={k} />
        ))}
      </div>
    </section>
  );
}

function toUrl(png: Uint8Array): string {
  return URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
}

function ImagePicker({ kind }: { kind: ImageKind }) {
  const lang = useLanguage();
  const t = useTexts(OPTIONS_TEXTS);
  const title = t(`image_${kind}`);
  const [shown, setShown] = useState<Shown>({ kind: 'loading' });
  const warnings = shown.kind === 'image' ? (lang === 'en' ? shown.report.warningsEn : shown.report.warningsVi) : [];
  const [notice, setNotice] = useState<Notice>({ kind: 'idle' });
  const rec = RECOMMENDED_SIZE[kind];
  const inputId = `pick-${kind}`;

  // The preview's object URL, released when replaced and when the page goes.
  const url = useRef<string | null>(null);
  const setUrl = (next: string | null) => {
    if (url.current) URL.revokeObjectURL(url.current);
    url.current = next;
  };

  const show = (png: Uint8Array | undefined) => {
    // A stored image that no longer passes (saved by an older version) is shown as missing; the signing page
    // refuses it the same way.
    const c = png ? checkImage(png, rec) : undefined;
    if (!png || !c?.ok) {
      setUrl(null);
      setShown({ kind: 'none' });
      return;
    }
    setUrl(toUrl(png));
    setShown({ kind: 'image', url: url.current!, report: c.report });
  };

  useEffect(() => {
    loadImage(kind).then(show, (e) => {
      setShown({ kind: 'none' });
      setNotice({ kind: 'error', error: asKysoError(e).toPayload() });
    });
    return () => setUrl(null);
  }, [kind]);

  const onPick = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // the same file may be picked again after a removal
    if (!file) return;
    setNotice({ kind: 'busy' });
    const early = checkImageSize(file.size);
    if (early && !early.ok) return setNotice({ kind: 'error', error: early.error });
    try {
      const png = new Uint8Array(await file.arrayBuffer());
      const c = checkImage(png, rec);
      if (!c.ok) return setNotice({ kind: 'error', error: c.error });
      await saveImage(kind, png);
      show(png);
      setNotice({ kind: 'saved' });
    } catch (err) {
      setNotice({ kind: 'error', error: asKysoError(err).toPayload() });
    }
  };

  const onRemove = async () => {
    try {
      await saveImage(kind, null);
      show(undefined);
      setNotice({ kind: 'removed' });
    } catch (err) {
      setNotice({ kind: 'error', error: asKysoError(err).toPayload() });
    }
  };

  return (
    <div class="image-picker" data-testid={`image-${kind}`} data-state={shown.kind}>
      <h3>
        <label for={inputId}>{title}</label>
      </h3>
      <p class="muted">
        {t(`use_${kind}`)} {t('recommended', { w: rec.width, h: rec.height })}
      </p>
      <div class="checkerboard" data-testid="preview-box">
        {shown.kind === 'image' ? (
          <img src={shown.url} alt={t('imageAlt', { title })} data-testid="preview" />
        ) : (
          <span class="muted">{shown.kind === 'loading' ? t('readingImage') : t('noImage')}</span>
        )}
      </div>
      {shown.kind === 'image' && (
        <>
          <p data-testid="image-size">{lang === 'en' ? shown.report.sizeEn : shown.report.sizeVi}</p>
          {warnings.length > 0 && (
            <ul class="status warning image-warnings" data-testid="image-warnings">
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </>
      )}
      <p class="image-actions">
        <input id={inputId} type="file" accept="image/png,.png" data-testid="file" onChange={(e) => void onPick(e)} />
        {shown.kind === 'image' && (
          <button type="button" data-testid="remove" onClick={() => void onRemove()}>
            {t('removeImage')}
          </button>
        )}
      </p>
      {notice.kind === 'busy' && <p class="muted">{t('checkingImage')}</p>}
      {notice.kind === 'saved' && (
        <p class="saved" role="status" data-testid="image-saved">
          {t('imageSaved', { title: lang === 'vi' ? title.toLowerCase() : title })}
        </p>
      )}
      {notice.kind === 'removed' && (
        <p class="saved" role="status" data-testid="image-removed">
          {t('imageRemoved', { title: lang === 'vi' ? title.toLowerCase() : title })}
        </p>
      )}
      {notice.kind === 'error' && <ErrorView error={notice.error} title={t('imageFailed')} />}
    </div>
  );
}
