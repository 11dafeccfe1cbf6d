// @vitest-environment happy-dom
// A portal frame end to end inside the DOM library: scanning decorates each PDF once (also after rows are
// re-rendered and when rows arrive later), a click sends openJob with what the adapter reads at that moment and
// marks the upload field, a refusal shows the Vietnamese reason; the message handlers answer only the extension;
// the signed file goes into the marked input with input and change events.

import { afterEach, describe, expect, it } from 'vitest';
import { KysoError } from '@kyso/shared/protocol/errors';
import type { ContentReply, JobRequest } from '../shared/jobs.ts';
import { toBase64 } from '@kyso/shared/pki/base64';
import { deliverSigned, setInputFile, type MakeFileList } from './deliver.ts';
import type { ProbeResult } from './find-pdfs.ts';
import { fromOwnExtension, handleContentMessage } from './messages.ts';
import { observeChanges } from './observe.ts';
import { PortalPage, type OpenJobReply } from './portal-page.ts';

const ORIGIN = 'http://127.0.0.1:5180';
const EXT = { extensionId: 'kkikmailolohkgijeoakdjhpnacmlfgi', extensionOrigin: 'chrome-extension://kkikmailolohkgijeoakdjhpnacmlfgi/' };

function load(path: string, body: string): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${ORIGIN}${path}`);
  document.body.innerHTML = body;
}

/** A probe that answers from a table and records what it was asked. */
function tableProbe(pdfs: Record<string, ProbeResult>) {
  const asked: string[] = [];
  return {
    asked,
    check: async (url: string) => {
      asked.push(url);
      return pdfs[url] ?? { pdf: false };
    },
  };
}

function page(probe = tableProbe({}), reply: OpenJobReply = { ok: true, result: { jobId: 'j1' } }) {
  const sent: JobRequest[] = [];
  const p = new PortalPage({
    doc: document,
    probe,
    openJob: async (r) => {
      sent.push(r);
      return reply;
    },
  });
  return { p, sent, probe };
}

const pairs = () => [...document.querySelectorAll<HTMLElement>('span.kyso-actions')].map((s) => s.dataset.kysoUrl);
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  document.body.innerHTML = '';
});

const IOFFICE_ROWS = (ids: number[]) =>
  ids.map((id) => `<tr data-file-id="${id}"><td>${id}</td><td><a class="lnk-tai-file" href="/ioffice/download.jsp?fileId=${id}">Van ban ${id}</a></td></tr>`).join('');

describe('PortalPage.scan', () => {
  it('one pair per PDF beside its link; probed endpoints only when the server says PDF', async () => {
    load('/ioffice/vb-cho-duyet.jsp', `<table id="tblVbChoDuyet"><tbody>${IOFFICE_ROWS([101, 102])}</tbody></table>`);
    const probe = tableProbe({ [`${ORIGIN}/ioffice/download.jsp?fileId=101`]: { pdf: true, fileName: 'Du thao thong bao ket luan.pdf' } });
    const { p } = page(probe);
    await p.scan();
    expect(pairs()).toEqual([`${ORIGIN}/ioffice/download.jsp?fileId=101`]);
    const a = document.querySelector('a[href$="101"]')!;
    expect(a.nextElementSibling?.className).toBe('kyso-actions');
    const buttons = [...a.nextElementSibling!.querySelectorAll('button')].map((b) => [b.className, b.textContent, b.type, b.dataset.kysoUrl]);
    expect(buttons).toEqual([
      ['kyso-sign', 'Ký số', 'button', `${ORIGIN}/ioffice/download.jsp?fileId=101`],
      ['kyso-verify', 'Kiểm tra', 'button', `${ORIGIN}/ioffice/download.jsp?fileId=101`],
    ]);
  });

  it('scanning again adds nothing; a re-rendered row gets its pair back; rows added later get theirs', async () => {
    load('/ioffice/vb-cho-duyet.jsp', `<table id="tblVbChoDuyet"><tbody>${IOFFICE_ROWS([101])}</tbody></table>`);
    const all = Object.fromEntries([101, 102, 103].map((id) => [`${ORIGIN}/ioffice/download.jsp?fileId=${id}`, { pdf: true }]));
    const { p } = page(tableProbe(all));
    await p.scan();
    await p.scan();
    expect(pairs()).toHaveLength(1);
    // DataTables redraw: the tbody is replaced, then page 2 is appended.
    document.querySelector('tbody')!.innerHTML = IOFFICE_ROWS([101]);
    await p.scan();
    expect(pairs()).toEqual([`${ORIGIN}/ioffice/download.jsp?fileId=101`]);
    document.querySelector('tbody')!.insertAdjacentHTML('beforeend', IOFFICE_ROWS([102, 103]));
    await p.scan();
    expect(pairs()).toEqual([101, 102, 103].map((id) => `${ORIGIN}/ioffice/download.jsp?fileId=${id}`));
  });

  it('a link the page points elsewhere (single-page portals reuse elements) gets the pair of its new document', async () => {
    load('/khac/x', '<a id="l" href="/f/a.pdf">Tài liệu</a>');
    const { p } = page();
    await p.scan();
    document.getElementById('l')!.setAttribute('href', '/f/b.pdf');
    await p.scan();
    expect(pairs()).toEqual([`${ORIGIN}/f/b.pdf`]);
    document.getElementById('l')!.setAttribute('href', '/trang-chu');
    await p.scan();
    expect(pairs()).toEqual([]);
  });

  it('the same document linked twice gets one pair; an embed gets its pair above it', async () => {
    load('/khac/tai-lieu', `<p><a href="/f/a.pdf">a.pdf</a> <a href="/f/a.pdf">Tải về</a></p><embed type="application/pdf" src="/f/b.pdf">`);
    const { p } = page();
    await p.scan();
    expect(pairs()).toEqual([`${ORIGIN}/f/a.pdf`, `${ORIGIN}/f/b.pdf`]);
    expect(document.querySelector('embed')!.previousElementSibling?.className).toBe('kyso-actions');
  });
});

describe('clicks → openJob', () => {
  const QOFFICE = `<div class="file-du-thao"><a class="file-link" href="/qoffice/files/1/du-thao-quyet-dinh.pdf">du-thao-quyet-dinh.pdf</a></div>
    <form id="frmBanHanh"><input name="soVanBan" value="125"><select name="kyHieu"><option selected>/QĐ-UBND</option></select>
    <input name="ngayBanHanh" value="16:27 21/11/2026"><input name="diaDiem" value="Quảng Nam">
    <input type="file" name="fileVanBanDi" id="fileVanBanDi"></form>`;

  it('"Ký số" sends the adapter\'s job with a token on the upload field; "Kiểm tra" needs no upload or prefill', async () => {
    load('/qoffice/van-ban-cho-ban-hanh/1', QOFFICE);
    const { p, sent } = page();
    await p.scan();
    (document.querySelector('input[name=soVanBan]') as HTMLInputElement).value = '127';
    (document.querySelector('button.kyso-sign') as HTMLButtonElement).click();
    await tick();
    const token = document.querySelector('#fileVanBanDi')!.getAttribute('data-kyso-upload');
    expect(token).toMatch(/^[0-9a-f]{24}$/);
    expect(sent[0]).toEqual({
      action: 'sign',
      portal: 'qoffice',
      document: { url: `${ORIGIN}/qoffice/files/1/du-thao-quyet-dinh.pdf`, name: 'du-thao-quyet-dinh.pdf' },
      upload: { kind: 'input', token, label: 'Đính kèm file văn bản đi' },
      prefill: { mode: 'approval', docNumber: '127/QĐ-UBND', place: 'Quảng Nam', date: { year: 2026, month: 11, day: 21 } },
    });
    (document.querySelector('button.kyso-verify') as HTMLButtonElement).click();
    await tick();
    expect(sent[1]).toMatchObject({ action: 'verify', portal: 'qoffice', upload: { kind: 'none' }, prefill: {} });
  });

  it('the iOffice job carries the upload URL and the 30-character rule', async () => {
    load('/ioffice/vb-cho-duyet.jsp', `<table id="tblVbChoDuyet"><tbody>${IOFFICE_ROWS([101])}</tbody></table>`);
    const { p, sent } = page(tableProbe({ [`${ORIGIN}/ioffice/download.jsp?fileId=101`]: { pdf: true, fileName: 'Du thao thong bao ket luan.pdf' } }));
    await p.scan();
    (document.querySelector('button.kyso-sign') as HTMLButtonElement).click();
    await tick();
    expect(sent[0]).toMatchObject({
      portal: 'ioffice',
      document: { name: 'Du thao thong bao ket luan.pdf' }, // the server's name before the link's text
      upload: { kind: 'url', url: `${ORIGIN}/ioffice/upload.jsp?fileId=101`, field: 'file' },
      fileNameRule: { maxLength: 30 },
    });
  });

  it('a refusal shows its Vietnamese reason under the button', async () => {
    load('/khac/x', '<a href="/f/a.pdf">a.pdf</a>');
    const { p } = page(undefined, { ok: false, error: new KysoError('CALLER_FORBIDDEN').toPayload() });
    await p.scan();
    (document.querySelector('button.kyso-sign') as HTMLButtonElement).click();
    await tick();
    expect(document.querySelector('.kyso-tip')?.textContent).toBe(new KysoError('CALLER_FORBIDDEN').messageVi);
  });

  it('jobForLink (context menu) opens the job for a known link, probes an unknown one, refuses a non-PDF', async () => {
    load('/khac/x', '<a href="/f/a.pdf">a.pdf</a> <a href="/tai-file?id=5">Tờ trình</a> <a href="/tai-file?id=6">Ảnh</a>');
    const probe = tableProbe({ [`${ORIGIN}/tai-file?id=5`]: { pdf: true, fileName: 'To trinh.pdf' } });
    const { p, sent } = page(probe);
    expect(await p.jobForLink(`${ORIGIN}/f/a.pdf`, 'sign')).toEqual({ ok: true, result: { jobId: 'j1' } });
    expect(sent[0].document).toEqual({ url: `${ORIGIN}/f/a.pdf`, name: 'a.pdf' });
    expect(probe.asked).toEqual([]);
    await p.jobForLink(`${ORIGIN}/tai-file?id=5`, 'sign');
    expect(sent[1].document).toEqual({ url: `${ORIGIN}/tai-file?id=5`, name: 'To trinh.pdf' });
    const refused = await p.jobForLink(`${ORIGIN}/tai-file?id=6`, 'sign');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('NOT_A_PDF');
    expect(sent).toHaveLength(2);
  });
});

describe('content messages', () => {
  it('only the extension\'s own pages (or its worker) are answered', async () => {
    expect(fromOwnExtension({ id: EXT.extensionId, url: `${EXT.extensionOrigin}pages/sign/index.html?job=1` }, EXT)).toBe(true);
    expect(fromOwnExtension({ id: EXT.extensionId, origin: EXT.extensionOrigin.slice(0, -1) }, EXT)).toBe(true);
    expect(fromOwnExtension({ id: EXT.extensionId, url: 'http://127.0.0.1:5180/qoffice/1' }, EXT)).toBe(false);
    expect(fromOwnExtension({ id: 'otherextensionidotherextensionid', url: 'chrome-extension://otherextensionidotherextensionid/x' }, EXT)).toBe(false);
    expect(fromOwnExtension({ id: EXT.extensionId, origin: 'http://127.0.0.1:5180', tab: {} }, EXT)).toBe(false);

    load('/khac/x', '');
    const { p } = page();
    const ctx = { ...EXT, doc: document, page: p };
    const refused = (await handleContentMessage({ kysoContent: 1, type: 'fetchDocument', params: { jobId: '1', url: `${ORIGIN}/a.pdf` } }, { id: EXT.extensionId, url: `${ORIGIN}/` }, ctx)) as ContentReply;
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('CALLER_FORBIDDEN');
    expect(handleContentMessage({ kyso: 1, type: 'openJob', params: {} }, { id: EXT.extensionId }, ctx)).toBeUndefined();
  });

  it('deliverSigned into the marked input: a PDF File, input and change events that bubble', async () => {
    load('/qoffice/1', '<form id="f"><input type="file" id="up" data-kyso-upload="tok1"></form>');
    const events: string[] = [];
    document.getElementById('f')!.addEventListener('input', () => events.push('input'));
    document.getElementById('f')!.addEventListener('change', () => events.push('change'));
    const { p } = page();
    const data = toBase64(new TextEncoder().encode('%PDF-1.7 signed'));
    const reply = (await handleContentMessage(
      { kysoContent: 1, type: 'deliverSigned', params: { jobId: '1', name: 'du-thao.signed.pdf', data, target: { kind: 'input', token: 'tok1', label: 'Đính kèm file văn bản đi' } } },
      { id: EXT.extensionId, url: `${EXT.extensionOrigin}pages/sign/index.html` },
      { ...EXT, doc: document, page: p },
    )) as ContentReply<'deliverSigned'>;
    expect(reply).toEqual({ ok: true, result: { how: 'input', detail: expect.stringContaining('ô "Đính kèm file văn bản đi"') } });
    const f = (document.getElementById('up') as HTMLInputElement).files![0];
    expect([f.name, f.type, new TextDecoder().decode(new Uint8Array(await f.arrayBuffer()))]).toEqual(['du-thao.signed.pdf', 'application/pdf', '%PDF-1.7 signed']);
    expect(events).toEqual(['input', 'change']);
  });

  it('the input is gone, or the DOM cannot take files: UPLOAD_FAILED (the page then downloads)', async () => {
    load('/qoffice/1', '<input type="file" id="up" data-kyso-upload="tok1">');
    const data = toBase64(new TextEncoder().encode('%PDF-'));
    await expect(deliverSigned({ name: 'a.pdf', data, target: { kind: 'input', token: 'other' } }, { doc: document })).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });
    const noDataTransfer: MakeFileList = () => {
      throw new TypeError('DataTransfer is not defined');
    };
    await expect(deliverSigned({ name: 'a.pdf', data, target: { kind: 'input', token: 'tok1' } }, { doc: document, makeFiles: noDataTransfer })).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });
    // setInputFile with a FileList maker of the test's own (no DataTransfer needed).
    const input = document.getElementById('up') as HTMLInputElement;
    const dt = new DataTransfer();
    setInputFile(input, new File(['x'], 'b.pdf', { type: 'application/pdf' }), (file) => {
      dt.items.add(file);
      return dt.files;
    });
    expect(input.files?.[0]?.name).toBe('b.pdf');
  });
});

describe('observeChanges', () => {
  it('one call per burst of page changes; our own buttons do not trigger it', async () => {
    load('/khac/x', '<div id="list"></div>');
    let calls = 0;
    const stop = observeChanges(document, () => calls++, 30);
    const list = document.getElementById('list')!;
    for (let i = 0; i < 5; i++) list.insertAdjacentHTML('beforeend', `<a href="/f/${i}.pdf">${i}</a>`);
    await tick(80);
    expect(calls).toBe(1);
    const span = document.createElement('span');
    span.className = 'kyso-actions';
    list.append(span);
    await tick(80);
    expect(calls).toBe(1);
    stop();
  });
});
