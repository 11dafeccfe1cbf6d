// Which PDF the toolbar button and the context menu hand to the verification page.

import { describe, expect, it } from 'vitest';
import { menuTarget, pdfUrlOfTab, urlLooksLikePdf, verifyPagePath } from './verify-entry.ts';

const ORIGIN = 'chrome-extension://kkikmailolohkgijeoakdjhpnacmlfgi/';

describe('toolbar button', () => {
  it('a tab whose URL ends in .pdf, or whose title is a PDF file name, shows a PDF', () => {
    expect(urlLooksLikePdf('https://x/files/C%C3%B4ng%20v%C4%83n.PDF?download=1#page=2')).toBe(true);
    expect(urlLooksLikePdf('https://x/files/view?id=1')).toBe(false);
    expect(pdfUrlOfTab({ url: 'https://x/a.pdf', title: 'a.pdf' }, ORIGIN)).toBe('https://x/a.pdf');
    expect(pdfUrlOfTab({ url: 'https://x/download?id=9', title: 'Quyết định 12.pdf' }, ORIGIN)).toBe('https://x/download?id=9');
    expect(pdfUrlOfTab({ url: 'file:///home/u/cv.pdf', title: 'cv.pdf' }, ORIGIN)).toBe('file:///home/u/cv.pdf');
    expect(pdfUrlOfTab({ url: 'https://x/inbox', title: 'Hộp thư' }, ORIGIN)).toBeUndefined();
    expect(pdfUrlOfTab({ url: 'chrome://settings', title: 'a.pdf' }, ORIGIN)).toBeUndefined();
  });

  it('one of our pages showing a PDF by ?url= passes that URL on; our other pages do not', () => {
    expect(pdfUrlOfTab({ url: `${ORIGIN}pages/verify/index.html?url=${encodeURIComponent('https://x/a.pdf')}` }, ORIGIN)).toBe('https://x/a.pdf');
    expect(pdfUrlOfTab({ url: `${ORIGIN}pages/options/index.html` }, ORIGIN)).toBeUndefined();
    expect(pdfUrlOfTab({ url: `${ORIGIN}pages/verify/index.html?url=javascript%3Aalert(1)` }, ORIGIN)).toBeUndefined();
  });

  it('the page path carries the URL encoded, or nothing (file chooser)', () => {
    expect(verifyPagePath('https://x/a b.pdf?id=1&t=2')).toBe('pages/verify/index.html?url=https%3A%2F%2Fx%2Fa%20b.pdf%3Fid%3D1%26t%3D2');
    expect(verifyPagePath(undefined)).toBe('pages/verify/index.html');
  });
});

describe('context menu', () => {
  const tab = { id: 3, url: 'https://portal/van-ban/12', title: 'Văn bản đến' };
  it('a link: its target, whatever it looks like', () => {
    expect(menuTarget({ menuItemId: 'm', linkUrl: 'https://portal/dl?id=4', pageUrl: tab.url }, tab, ORIGIN, false)).toBe('https://portal/dl?id=4');
    expect(menuTarget({ menuItemId: 'm', linkUrl: 'javascript:void(0)', pageUrl: tab.url }, tab, ORIGIN, false)).toBeUndefined();
  });
  it('a frame: its document', () => {
    expect(menuTarget({ menuItemId: 'm', frameUrl: 'https://portal/viewer?id=4', pageUrl: tab.url }, tab, ORIGIN, false)).toBe('https://portal/viewer?id=4');
  });
  it('the page: only when it shows a PDF (URL, title or MIME type)', () => {
    expect(menuTarget({ menuItemId: 'm', pageUrl: tab.url }, tab, ORIGIN, false)).toBeUndefined();
    expect(menuTarget({ menuItemId: 'm', pageUrl: tab.url }, tab, ORIGIN, true)).toBe(tab.url);
    const pdfTab = { id: 4, url: 'https://x/a.pdf' };
    expect(menuTarget({ menuItemId: 'm', pageUrl: pdfTab.url }, pdfTab, ORIGIN, false)).toBe('https://x/a.pdf');
  });
});
