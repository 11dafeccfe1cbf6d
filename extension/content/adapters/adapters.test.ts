// @vitest-environment happy-dom
// The adapters on HTML shaped like the families' pages (the demo portal's DOM contract, notes/demo-portal.md, which
// follows the portals' user guides): which adapter a page gets, which documents it finds, where the signed file
// goes, what it prefills, and the labels-by-text fallbacks for deployments whose ids differ.

import { afterEach, describe, expect, it } from 'vitest';
import { chooseAdapter } from './index.ts';
import { genericAdapter } from './generic.ts';
import { iofficeAdapter } from './ioffice.ts';
import { qofficeAdapter } from './qoffice.ts';
import { tthcAdapter } from './tthc.ts';

const ORIGIN = 'http://127.0.0.1:5180';

function load(path: string, body: string, title = ''): Document {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${ORIGIN}${path}`);
  document.title = title;
  document.body.innerHTML = body;
  return document;
}

afterEach(() => {
  document.body.innerHTML = '';
});

const QOFFICE = `
<div class="menu">TRANG CHỦ | VĂN BẢN | HỒ SƠ CÔNG VIỆC | THỐNG KÊ BÁO CÁO | HỆ THỐNG</div>
<h2>Chi tiết văn bản chờ ban hành</h2>
<h3>THÔNG TIN DỰ THẢO</h3>
<div class="file-du-thao">File dự thảo: <a class="file-link" href="/qoffice/files/1/du-thao-quyet-dinh.pdf">du-thao-quyet-dinh.pdf</a>
 <a class="file-link" href="/qoffice/files/1/kysocopy.docx">kysocopy.docx</a></div>
<form id="frmBanHanh" method="post" action="/qoffice/van-ban-cho-ban-hanh/1/ban-hanh" enctype="multipart/form-data">
 <label>Số văn bản *</label><input name="soVanBan" value="125">
 <label>Ký hiệu văn bản *</label><select name="kyHieu"><option>/QĐ-UBND</option><option>/CV-UBND</option></select>
 <label>Ngày ký</label><input name="ngayKy" value="10:14 11/10/2026">
 <label>Ngày ban hành *</label><input name="ngayBanHanh" value="16:27 21/11/2026">
 <label>Địa điểm ban hành *</label><input name="diaDiem" value="Quảng Nam">
 <div class="form-group"><label for="fileVanBanDi">Đính kèm file văn bản đi *</label><input type="file" name="fileVanBanDi" id="fileVanBanDi" accept=".pdf,.docx,.doc"></div>
 <table id="dsFileVanBanDi"><tr><th>File</th><th>Văn bản chính</th></tr></table>
 <button type="button">&lt; Quay lại</button><button type="button" disabled>Ký số và ban hành</button><button type="submit">Ban hành</button>
</form>
<footer>@2019 - QOffice - Hệ thống Quản lý văn bản điều hành Tỉnh Quảng Nam</footer>`;

const IOFFICE_FRAME = `
<div class="tabs">VB chờ duyệt | VB chờ chuyên viên xử lý | VB chờ văn thư phát hành | VB đã phát hành</div>
<table id="tblVbChoDuyet"><thead><tr><th>STT</th><th>Độ khẩn</th><th>Chờ ký số</th><th>Số ký hiệu</th><th>Trích yếu</th><th>Cơ quan ban hành</th><th>Ngày nhận</th><th>Tệp đính kèm</th></tr></thead>
<tbody>
 <tr data-file-id="101"><td>1</td><td>★</td><td></td><td></td><td>Dư thảo Thông báo KL</td><td>UBND Huyện Sốp Cộp</td><td>10/07/2026 13:18</td>
  <td><a class="lnk-tai-file" href="/ioffice/download.jsp?fileId=101">Du thao thong bao ket luan</a>
   <a href="/ioffice/xem.jsp?fileId=101">Xem</a> | <a href="#" onclick="return false">Ký số</a> | <a href="/ioffice/kiem-tra.jsp?fileId=101">Kiểm tra VB đã ký</a></td></tr>
 <tr data-file-id="102"><td>2</td><td>★</td><td></td><td></td><td>V/v đôn đốc áp dụng chữ ký số</td><td>UBND Huyện Sốp Cộp</td><td>05/06/2026 15:07</td>
  <td><a class="lnk-tai-file" href="/ioffice/download.jsp?fileId=102">Van ban don doc</a></td></tr>
</tbody></table>
<button id="btnTrangSau">Trang sau</button>`;

const TTHC = `
<header>HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TỈNH KON TUM</header>
<div class="tabs">Thông tin chung | Thành phần hồ sơ</div>
<table id="tblThanhPhanHoSo"><tr><th>Tên giấy tờ</th><th>Tệp đính kèm</th><th></th></tr>
 <tr><td>Giấy khai sinh (bản chính)</td><td><a href="/tthc/files/1/giay-khai-sinh.pdf">giay-khai-sinh.pdf</a></td><td><button class="btn-chung-thuc">Chứng thực điện tử</button></td></tr></table>
<div id="popupChungThuc" style="display:none">
 <label>Quyển sổ</label><select name="quyenSo"><option selected>01/2026-SCT/BS</option></select>
 <label>Số chứng thực</label><input name="soChungThuc" value="125">
 <div><label>Tệp kết quả</label><input type="file" name="fileKetQua"></div>
 <button>Đóng dấu</button><button>Áp dụng</button>
</div>`;

const GENERIC = `
<p><a href="/khac/files/bao-cao.pdf">Báo cáo.pdf</a></p>
<embed type="application/pdf" src="/khac/files/phu-luc.pdf" width="400" height="300">
<object data="/khac/files/to-trinh.pdf" type="application/pdf"></object>
<iframe src="/khac/viewer.html"></iframe>
<p><a href="/khac/trang-khac">Trang khác</a> <a href="#muc-1">Mục 1</a> <a href="javascript:void 0">JS</a></p>`;

const names = (doc: Document, a = chooseAdapter(new URL(doc.URL), doc)) => a.find(doc).map((c) => `${c.evidence} ${new URL(c.url).pathname}${new URL(c.url).search}`);

describe('chooseAdapter', () => {
  it('by URL: /qoffice/, /ioffice/, /tthc/; anything else generic', () => {
    expect(chooseAdapter(new URL(`${ORIGIN}/qoffice/van-ban-cho-ban-hanh/1`), load('/qoffice/van-ban-cho-ban-hanh/1', '')).family).toBe('qoffice');
    expect(chooseAdapter(new URL(`${ORIGIN}/ioffice/vb-cho-duyet.jsp`), load('/ioffice/vb-cho-duyet.jsp', '')).family).toBe('ioffice');
    expect(chooseAdapter(new URL(`${ORIGIN}/tthc/ho-so/1`), load('/tthc/ho-so/1', '')).family).toBe('tthc');
    expect(chooseAdapter(new URL(`${ORIGIN}/khac/tai-lieu`), load('/khac/tai-lieu', GENERIC)).family).toBe('generic');
  });

  it('by page markers when the deployment\'s URLs say nothing', () => {
    expect(chooseAdapter(new URL(`${ORIGIN}/vbdh/chi-tiet?id=1`), load('/vbdh/chi-tiet?id=1', QOFFICE)).family).toBe('qoffice');
    expect(chooseAdapter(new URL(`${ORIGIN}/qlvb/main.jsp`), load('/qlvb/main.jsp', IOFFICE_FRAME)).family).toBe('ioffice');
    expect(chooseAdapter(new URL(`${ORIGIN}/dvc/xu-ly`), load('/dvc/xu-ly', TTHC)).family).toBe('tthc');
    expect(chooseAdapter(new URL(`${ORIGIN}/x`), load('/x', '<footer>VNPT-iOffice 4.0</footer>')).family).toBe('ioffice');
  });
});

describe('Q-Office-like', () => {
  it('finds the draft PDF, not the .docx', () => {
    const doc = load('/qoffice/van-ban-cho-ban-hanh/1', QOFFICE);
    expect(names(doc)).toEqual(['pdf /qoffice/files/1/du-thao-quyet-dinh.pdf']);
    expect(qofficeAdapter.find(doc)[0].name).toBe('du-thao-quyet-dinh.pdf');
  });

  it('uploads into "Đính kèm file văn bản đi"; the leader approves a draft "Chờ ký số", number, place and date read all the same', () => {
    const doc = load('/qoffice/van-ban-cho-ban-hanh/1', QOFFICE);
    (doc.querySelector('select[name=kyHieu]') as HTMLSelectElement).selectedIndex = 0;
    const c = qofficeAdapter.find(doc)[0];
    const up = qofficeAdapter.upload(doc, c);
    expect(up.kind).toBe('input');
    expect(up.kind === 'input' && up.input.id).toBe('fileVanBanDi');
    expect(up.kind === 'input' && up.label).toBe('Đính kèm file văn bản đi');
    expect(qofficeAdapter.prefill(doc, c)).toEqual({ mode: 'approval', docNumber: '125/QĐ-UBND', place: 'Quảng Nam', date: { year: 2026, month: 11, day: 21 } });
    // The user's edits count: the form is read when the job opens.
    (doc.querySelector('input[name=soVanBan]') as HTMLInputElement).value = '126';
    (doc.querySelector('select[name=kyHieu]') as HTMLSelectElement).selectedIndex = 1;
    expect(qofficeAdapter.prefill(doc, c).docNumber).toBe('126/CV-UBND');
  });

  it('the clerk issues once the draft is "Đã ký số" (the leader signed)', () => {
    const doc = load('/qoffice/van-ban-cho-ban-hanh/1', QOFFICE.replace('kysocopy.docx</a>', 'kysocopy.docx</a> <span class="status signed" id="trangThaiKySo">Đã ký số</span>'));
    expect(qofficeAdapter.prefill(doc, qofficeAdapter.find(doc)[0])).toMatchObject({ mode: 'issue', docNumber: '125/QĐ-UBND' });
    const waiting = load('/qoffice/van-ban-cho-ban-hanh/1', QOFFICE.replace('kysocopy.docx</a>', 'kysocopy.docx</a> <span class="status" id="trangThaiKySo">Chờ ký số</span>'));
    expect(qofficeAdapter.prefill(waiting, qofficeAdapter.find(waiting)[0]).mode).toBe('approval');
  });

  it('without the issuing form the leader approves; a field found by its label when ids differ', () => {
    const doc = load('/qoffice/hscv/7', `<div class="file-du-thao"><a href="/f/du-thao.pdf">du-thao.pdf</a></div>
      <div class="form-group"><span>Đính kèm file dự thảo *</span><input type="file" id="xyz"></div>`);
    const c = qofficeAdapter.find(doc)[0];
    expect(qofficeAdapter.prefill(doc, c)).toEqual({ mode: 'approval' });
    const up = qofficeAdapter.upload(doc, c);
    expect(up.kind === 'input' && up.input.id).toBe('xyz');
    expect(up.kind === 'input' && up.label).toBe('Đính kèm file dự thảo');
  });
});

describe('VNPT-iOffice-like', () => {
  it('every attachment of the list is a candidate to probe (no .pdf in the URL); the portal\'s own action links are not', () => {
    const doc = load('/ioffice/vb-cho-duyet.jsp', IOFFICE_FRAME);
    expect(names(doc)).toEqual(['probe /ioffice/download.jsp?fileId=101', 'probe /ioffice/download.jsp?fileId=102']);
    expect(iofficeAdapter.find(doc)[0].name).toBe('Du thao thong bao ket luan');
  });

  it('uploads by POST to upload.jsp?fileId=<row id> beside the download endpoint; 30-character names; approval', () => {
    const doc = load('/ioffice/vb-cho-duyet.jsp', IOFFICE_FRAME);
    const [c1, c2] = iofficeAdapter.find(doc);
    expect(iofficeAdapter.upload(doc, c1)).toEqual({ kind: 'url', url: `${ORIGIN}/ioffice/upload.jsp?fileId=101`, field: 'file' });
    expect(iofficeAdapter.upload(doc, c2)).toEqual({ kind: 'url', url: `${ORIGIN}/ioffice/upload.jsp?fileId=102`, field: 'file' });
    expect(iofficeAdapter.fileNameRule).toEqual({ maxLength: 30 });
    expect(iofficeAdapter.prefill(doc, c1)).toEqual({ mode: 'approval' });
  });

  it('the shell (menu + frame) has no documents of its own', () => {
    const doc = load('/ioffice/', `<div>VĂN BẢN ĐẾN / VĂN BẢN ĐI</div><iframe id="mainFrame" name="mainFrame" src="/ioffice/vb-cho-duyet.jsp"></iframe>`);
    expect(chooseAdapter(new URL(doc.URL), doc).family).toBe('ioffice');
    expect(iofficeAdapter.find(doc)).toEqual([]);
  });
});

describe('one-stop TTHC-like', () => {
  it('finds the paper, uploads into "Tệp kết quả" (hidden popup), prefills certify with number and book', () => {
    const doc = load('/tthc/ho-so/1', TTHC);
    expect(names(doc)).toEqual(['pdf /tthc/files/1/giay-khai-sinh.pdf']);
    const c = tthcAdapter.find(doc)[0];
    const up = tthcAdapter.upload(doc, c);
    expect(up.kind === 'input' && up.input.name).toBe('fileKetQua');
    expect(up.kind === 'input' && up.label).toBe('Tệp kết quả');
    expect(tthcAdapter.prefill(doc, c)).toEqual({ mode: 'certify', certNumber: '125', book: '01/2026-SCT/BS' });
  });
});

describe('generic', () => {
  it('links, embeds and objects showing PDFs; not ordinary pages, anchors or scripts', () => {
    const doc = load('/khac/tai-lieu', GENERIC);
    expect(names(doc, genericAdapter)).toEqual(['pdf /khac/files/bao-cao.pdf', 'pdf /khac/files/phu-luc.pdf', 'pdf /khac/files/to-trinh.pdf']);
  });

  it('a file input in the same form or row is the upload target; one elsewhere on the page is not', () => {
    const doc = load('/khac/x', `<form><a href="/f/a.pdf">a.pdf</a><input type="file" accept=".pdf" name="up"></form>
      <p><a href="/f/b.pdf">b.pdf</a></p><form><input type="file" name="other"></form>
      <table><tr><td><a href="/f/c.pdf">c.pdf</a></td><td><input type="file" accept="image/*" name="img"></td></tr></table>`);
    const [a, b, c] = genericAdapter.find(doc);
    const up = genericAdapter.upload(doc, a);
    expect(up.kind === 'input' && up.input.name).toBe('up');
    expect(genericAdapter.upload(doc, b)).toEqual({ kind: 'none' });
    // An input that takes only images is not for a PDF.
    expect(genericAdapter.upload(doc, c)).toEqual({ kind: 'none' });
    expect(genericAdapter.fileNameRule).toBeUndefined();
  });
});
