// Kon Tum-like one-stop portal (seed 004): "Xử lý hồ sơ" with the "Thành phần hồ sơ" tab, the scanned original and
// the "Chứng thực điện tử" popup (book, certification number, result file). DOM contract: demo-portal.md §3.

import { document } from '../html.ts';

const CSS = `
body{background:#f4f1ea}
.head{background:#a31515;color:#fff;padding:10px 20px;display:flex;align-items:center;gap:14px;border-bottom:4px solid #f2c200}
.head .emblem{width:44px;height:44px;border-radius:50%;background:#f2c200;color:#a31515;display:flex;align-items:center;justify-content:center;font-weight:bold;font-size:22px}
.head h1{margin:0;font-size:16px;letter-spacing:.3px}
.head .sub{font-size:12px;opacity:.9}
.nav{background:#7e0f0f;padding:0 20px}.nav a{color:#fff;text-decoration:none;display:inline-block;padding:9px 12px;font-size:13px}
.wrap{max-width:1060px;margin:16px auto;background:#fff;border:1px solid #ddd;padding:14px 18px}
h2{font-size:17px;color:#a31515;margin:4px 0 12px}
.tabs{display:flex;border-bottom:1px solid #ccc;margin-bottom:12px}
.tabs a{padding:7px 16px;text-decoration:none;color:#444;border:1px solid transparent;border-bottom:0}
.tabs a.active{border-color:#ccc;background:#fff;color:#a31515;font-weight:bold;margin-bottom:-1px}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{border:1px solid #d9d2c5;padding:7px}
th{background:#f6efe2;text-align:left}
.btn-chung-thuc,.btn{background:#a31515;color:#fff;border:0;border-radius:3px;padding:6px 12px}
.btn.light{background:#fff;color:#a31515;border:1px solid #a31515}
.signed{color:#2e7d32;font-weight:bold}
#popupChungThuc{position:fixed;inset:0;background:rgba(0,0,0,.35);display:flex;align-items:flex-start;justify-content:center;padding-top:80px}
#popupChungThuc[hidden]{display:none}
.dlg{background:#fff;width:520px;border-radius:4px;box-shadow:0 6px 24px rgba(0,0,0,.3)}
.dlg h3{margin:0;padding:10px 14px;background:#a31515;color:#fff;font-size:15px}
.dlg .in{padding:14px}
.dlg label{display:block;font-weight:bold;font-size:13px;margin:8px 0 3px}
.dlg input[type=text],.dlg input:not([type]),.dlg select{width:100%;padding:6px;border:1px solid #bbb;border-radius:3px;font:inherit}
.dlg .actions{display:flex;gap:8px;justify-content:flex-end;padding:10px 14px;border-top:1px solid #eee}
`;

const SCRIPT = `
const popup = document.getElementById('popupChungThuc');
document.querySelectorAll('.btn-chung-thuc').forEach(function (b) {
  b.addEventListener('click', function () { popup.hidden = false; });
});
document.getElementById('btnDong').addEventListener('click', function () { popup.hidden = true; });
document.getElementById('btnDongDau').addEventListener('click', function () {
  alert('Chưa cài đặt phần mềm ký số của Ban Cơ yếu Chính phủ.');
});
`;

export function tthcPage(state: { signed: boolean }): string {
  return document(
    'Xử lý hồ sơ - Hệ thống thông tin giải quyết TTHC tỉnh Kon Tum',
    CSS,
    `<div class="head"><div class="emblem">★</div><div><h1>HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TỈNH KON TUM</h1><div class="sub">Bộ phận Tiếp nhận và Trả kết quả · UBND xã Ngọc Bay</div></div></div>
<div class="nav"><a href="/">Trang chủ</a><a href="#">Tiếp nhận hồ sơ</a><a href="#">Xử lý hồ sơ</a><a href="#">Trả kết quả</a><a href="#">Tài khoản</a></div>
<div class="wrap">
<h2>Xử lý hồ sơ — Chứng thực bản sao điện tử từ bản chính (000.00.26.H34-261121-0001)</h2>
<div class="tabs"><a href="#">Thông tin chung</a><a class="active" href="#">Thành phần hồ sơ</a></div>
<table id="tblThanhPhanHoSo"><thead><tr><th>STT</th><th>Tên giấy tờ</th><th>Tệp đính kèm</th><th>Trạng thái</th><th>Thao tác</th></tr></thead>
<tbody><tr data-ho-so="1"><td>1</td><td>Giấy khai sinh (bản chính)</td><td><a href="/tthc/files/1/giay-khai-sinh.pdf">giay-khai-sinh.pdf</a></td>
<td id="trangThai1">${state.signed ? '<span class="signed">Đã ký số</span>' : 'Chờ chứng thực'}</td>
<td><button type="button" class="btn-chung-thuc">Chứng thực điện tử</button></td></tr></tbody></table>
</div>
<div id="popupChungThuc" hidden><div class="dlg">
<form id="frmKetQua" method="post" action="/tthc/ho-so/1/ket-qua" enctype="multipart/form-data">
<h3>Chứng thực điện tử</h3>
<div class="in">
<label>Loại chứng thực</label><select name="loaiChungThuc"><option selected>Chứng thực bản sao từ bản chính</option></select>
<label>Quyển sổ</label><select name="quyenSo"><option selected>01/2026-SCT/BS</option></select>
<label>Số chứng thực</label><input name="soChungThuc" value="125">
<label>Tệp kết quả</label><input type="file" name="fileKetQua" accept=".pdf">
</div>
<div class="actions"><button type="button" class="btn light" id="btnDong">Đóng</button><button type="button" class="btn light" id="btnDongDau">Đóng dấu</button><button type="submit" class="btn" id="btnApDung">Áp dụng</button></div>
</form></div></div>`,
    SCRIPT,
  );
}
