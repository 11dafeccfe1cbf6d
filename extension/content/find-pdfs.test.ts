// @vitest-environment happy-dom
// Which links and embeds are PDFs, which need the server asked, and which are left alone (never requested).

import { describe, expect, it } from 'vitest';
import { candidateFor, classifyUrl, documentName, findPdfCandidates } from './find-pdfs.ts';

const u = (s: string) => new URL(s, 'https://qlvb.example.gov.vn/vb/1');

describe('classifyUrl', () => {
  it('.pdf paths (any case, encoded names), PDF types and query values naming a .pdf are PDFs', () => {
    expect(classifyUrl(u('/files/Du%20thao.PDF'))).toBe('pdf');
    expect(classifyUrl(u('/files/1'), { type: 'application/pdf' })).toBe('pdf');
    expect(classifyUrl(u('/GetFile.ashx?name=to-trinh.pdf&id=3'))).toBe('pdf');
    expect(classifyUrl(u('/files/7'), { text: 'Tờ trình.pdf' })).toBe('pdf');
    expect(classifyUrl(u('/x?id=1'), { download: 'bao-cao.pdf' })).toBe('pdf');
  });

  it('download endpoints without a name are probed', () => {
    expect(classifyUrl(u('/ioffice/download.jsp?fileId=101'))).toBe('probe');
    expect(classifyUrl(u('/TaiFile.aspx?id=9'))).toBe('probe');
    expect(classifyUrl(u('/api/dinh-kem/55'))).toBe('probe');
    expect(classifyUrl(u('/vbdh/getFile?fileId=3'))).toBe('probe');
  });

  it('other files, ordinary pages and state-changing links are never requested', () => {
    expect(classifyUrl(u('/files/du-thao.docx'))).toBeUndefined();
    expect(classifyUrl(u('/download.jsp?id=1'), { text: 'bang-tinh.xlsx' })).toBeUndefined();
    expect(classifyUrl(u('/van-ban/chi-tiet?id=1'))).toBeUndefined();
    expect(classifyUrl(u('/ioffice/vb-cho-duyet.jsp'))).toBeUndefined();
    expect(classifyUrl(u('/file/xoa?fileId=3'))).toBeUndefined();
    expect(classifyUrl(u('/attachment/delete.jsp?fileId=3'))).toBeUndefined();
    expect(classifyUrl(u('/dang-xuat?download=1'))).toBeUndefined();
    // A district ("huyện") is not "hủy" (cancel).
    expect(classifyUrl(u('/ubnd-huyen/download?fileId=3'))).toBe('probe');
    expect(classifyUrl(new URL('ftp://x.example/a.pdf'))).toBeUndefined();
  });
});

describe('findPdfCandidates', () => {
  it('links, embeds, objects and PDF iframes in document order, absolute URLs, names the page shows', () => {
    document.body.innerHTML = `
      <a id="a1" href="/f/bao-cao.pdf">Báo cáo.pdf</a>
      <a id="a2" href="download.jsp?fileId=7"> Tờ trình
         số 7 </a>
      <a id="a3" href="/f/x.docx">x.docx</a>
      <embed src="/f/phu-luc.pdf">
      <iframe src="/f/xem.pdf"></iframe>
      <span class="kyso-actions"><a href="/f/bao-cao.pdf">inside our own buttons</a></span>`;
    const found = findPdfCandidates(document).map((c) => ({ url: c.url, name: c.name, evidence: c.evidence, tag: c.element.tagName }));
    const base = new URL(document.URL);
    expect(found).toEqual([
      { url: new URL('/f/bao-cao.pdf', base).href, name: 'Báo cáo.pdf', evidence: 'pdf', tag: 'A' },
      { url: new URL('download.jsp?fileId=7', base).href, name: 'Tờ trình số 7', evidence: 'probe', tag: 'A' },
      { url: new URL('/f/phu-luc.pdf', base).href, name: undefined, evidence: 'pdf', tag: 'EMBED' },
      { url: new URL('/f/xem.pdf', base).href, name: undefined, evidence: 'pdf', tag: 'IFRAME' },
    ]);
  });

  it('in-page anchors and javascript: links are not documents', () => {
    document.body.innerHTML = `<a href="#top">#</a><a href="javascript:void(0)">x</a><a href="mailto:a@b.vn">m</a>`;
    expect(findPdfCandidates(document)).toEqual([]);
    expect(candidateFor(document.body)).toBeUndefined();
  });
});

describe('documentName', () => {
  const el = document.createElement('a');
  it('the page\'s file name, else the server\'s, else the link text + .pdf, else the URL\'s .pdf name', () => {
    expect(documentName({ url: 'https://p/f/a.pdf', name: 'Tờ trình.pdf', element: el, evidence: 'pdf' }, { pdf: true, fileName: 'x.pdf' })).toBe('Tờ trình.pdf');
    expect(documentName({ url: 'https://p/download.jsp?fileId=1', name: 'Du thao', element: el, evidence: 'probe' }, { pdf: true, fileName: 'Dự thảo.pdf' })).toBe('Dự thảo.pdf');
    expect(documentName({ url: 'https://p/download.jsp?fileId=1', name: 'Du thao', element: el, evidence: 'probe' }, { pdf: true })).toBe('Du thao.pdf');
    expect(documentName({ url: 'https://p/f/phu-luc%201.pdf', element: el, evidence: 'pdf' })).toBe('phu-luc 1.pdf');
    expect(documentName({ url: 'https://p/download.jsp?fileId=1', element: el, evidence: 'probe' })).toBe('van-ban.pdf');
  });
});
