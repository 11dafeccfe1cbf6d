// Q-Office-like "Chi tiết văn bản chờ ban hành" (Quảng Nam's QOffice, seed 000): the draft's files, the issuing
// form with the number, symbol, dates and place, the "Đính kèm file văn bản đi" upload field whose chosen files the
// portal's own script lists, and the portal's buttons. DOM contract: /work/notes/demo-portal.md §1.

import { document, esc } from '../html.ts';

const CSS = `
body{background:#eef2f7}
.topbar{background:#1e5fa8;color:#fff;display:flex;align-items:center;height:52px;padding:0 18px}
.topbar .logo{font-weight:bold;font-size:20px;margin-right:28px;letter-spacing:.5px}
.topbar nav a{color:#fff;text-decoration:none;padding:16px 14px;font-weight:bold;font-size:13px}
.topbar nav a.active,.topbar nav a:hover{background:#174d8a}
.topbar .user{margin-left:auto;font-size:13px}
.wrap{max-width:1100px;margin:16px auto;padding:0 12px}
h1{font-size:20px;color:#1e5fa8;margin:6px 0 14px}
.box{background:#fff;border:1px solid #d6dde6;border-radius:4px;margin-bottom:14px}
.box h2{margin:0;padding:9px 14px;font-size:14px;background:#f5f8fb;border-bottom:1px solid #d6dde6;color:#1e5fa8;display:flex;justify-content:space-between}
.box .in{padding:12px 16px}
.row{display:flex;gap:24px;margin:4px 0}.row>div{flex:1}
.lbl{color:#555}
.file-du-thao a.file-link{margin-right:10px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:10px 24px}
.grid label{display:block;font-weight:bold;font-size:13px;margin-bottom:3px}
.grid label .req{color:#d32f2f}
.grid input,.grid select{width:100%;padding:6px 8px;border:1px solid #b8c4d2;border-radius:3px;font:inherit}
.drop{border:2px dashed #9db3cc;border-radius:4px;padding:14px;text-align:center;color:#4a6685;background:#f8fbff;margin:6px 0}
table.list{width:100%;border-collapse:collapse;margin-top:8px}
table.list th,table.list td{border:1px solid #d6dde6;padding:6px 8px;text-align:left}
table.list th{background:#f0f4f8;font-size:13px}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#fff3e0;color:#e65100}
.status.signed{background:#e8f5e9;color:#2e7d32}
.actions{display:flex;gap:10px;justify-content:flex-end;padding:12px 16px;border-top:1px solid #d6dde6;background:#fafbfc}
.btn{padding:7px 16px;border-radius:3px;border:1px solid #1e5fa8;background:#fff;color:#1e5fa8}
.btn.primary{background:#1e5fa8;color:#fff}
.btn[disabled]{opacity:.45;cursor:not-allowed}
footer{text-align:center;color:#667;font-size:12px;padding:18px}
`;

const SCRIPT = `
// The portal lists the files chosen for "Đính kèm file văn bản đi"; the first one is the main document.
const input = document.getElementById('fileVanBanDi');
const table = document.getElementById('dsFileVanBanDi');
function renderFiles() {
  const body = table.tBodies[0];
  body.innerHTML = '';
  Array.from(input.files || []).forEach(function (f, i) {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = f.name + ' (' + Math.round(f.size / 1024) + ' KB)';
    const main = document.createElement('td');
    main.innerHTML = '<input type="radio" name="vanBanChinh" value="' + i + '"' + (i === 0 ? ' checked' : '') + '>';
    tr.append(name, main);
    body.append(tr);
  });
  table.hidden = body.rows.length === 0;
}
input.addEventListener('change', renderFiles);
input.addEventListener('input', renderFiles);
document.getElementById('btnKySoVaBanHanh').addEventListener('click', function () {
  alert('Chưa cài đặt QOfficeKyso.exe: vui lòng tải chương trình ký số tại TRANG CHỦ → Hỗ trợ.');
});
`;

export interface QofficeState {
  signed: boolean;
  /** Name of the newest uploaded file, when there is one. */
  uploadedName?: string;
}

export function qofficePage(state: QofficeState): string {
  const status = state.signed ? `<span class="status signed" id="trangThaiKySo">Đã ký số</span>` : `<span class="status" id="trangThaiKySo">Chờ ký số</span>`;
  return document(
    'Chi tiết văn bản chờ ban hành - QOffice',
    CSS,
    `<div class="topbar"><span class="logo">QOffice</span>
<nav><a href="/">TRANG CHỦ</a><a class="active" href="#">VĂN BẢN</a><a href="#">HỒ SƠ CÔNG VIỆC</a><a href="#">THỐNG KÊ BÁO CÁO</a><a href="#">HỆ THỐNG</a></nav>
<span class="user">VT. Phạm Thị Trúc ▾</span></div>
<div class="wrap">
<h1>Chi tiết văn bản chờ ban hành</h1>
<div class="box"><h2>THÔNG TIN HỒ SƠ <a href="#">XEM CHI TIẾT HỒ SƠ</a></h2><div class="in">
<div class="row"><div><span class="lbl">Tiêu đề hồ sơ:</span> Hồ sơ công việc của 535/KHVBDen-05A18</div></div>
<div class="row"><div><span class="lbl">Người lập hồ sơ:</span> Phan Thị Mỹ Tâm</div><div><span class="lbl">Hạn xử lý:</span> 23:59 25/11/2026</div></div>
</div></div>
<div class="box"><h2>THÔNG TIN DỰ THẢO <a href="#">MỞ RỘNG ›</a></h2><div class="in">
<div class="row"><div><span class="lbl">Trích yếu:</span> Quyết định ban hành Quy chế ký số văn bản điện tử</div></div>
<div class="file-du-thao">File dự thảo: <a class="file-link" href="/qoffice/files/1/du-thao-quyet-dinh.pdf">du-thao-quyet-dinh.pdf</a> <a class="file-link" href="/qoffice/files/1/kysocopy.docx">kysocopy.docx</a> ${status}</div>
<div class="row"><div><span class="lbl">Người ký:</span> Nguyễn Văn Thành</div><div><span class="lbl">Loại văn bản:</span> Quyết định</div></div>
${state.uploadedName ? `<div class="row"><div><span class="lbl">File văn bản đi đã tải lên:</span> <span id="fileDaTaiLen">${esc(state.uploadedName)}</span></div></div>` : ''}
</div></div>
<form id="frmBanHanh" method="post" action="/qoffice/van-ban-cho-ban-hanh/1/ban-hanh" enctype="multipart/form-data">
<div class="box"><h2>BAN HÀNH</h2><div class="in">
<div class="grid">
<div><label>Số văn bản <span class="req">*</span></label><input name="soVanBan" value="125"></div>
<div><label>Ngày ký <span class="req">*</span></label><input name="ngayKy" value="10:14 11/10/2026"></div>
<div><label>Loại văn bản <span class="req">*</span></label><select name="loaiVanBan"><option selected>Quyết định</option><option>Công văn</option><option>Thông báo</option></select></div>
<div><label>Ký hiệu văn bản <span class="req">*</span></label><select name="kyHieu"><option selected>/QĐ-UBND</option><option>/UBND-VP</option><option>/TB-UBND</option></select></div>
<div><label>Ngày hiệu lực <span class="req">*</span></label><input name="ngayHieuLuc" value="16:27 21/11/2026"></div>
<div><label>Ngày ban hành <span class="req">*</span></label><input name="ngayBanHanh" value="16:27 21/11/2026"></div>
<div><label>Địa điểm ban hành <span class="req">*</span></label><input name="diaDiem" value="Quảng Nam"></div>
</div>
<div style="margin-top:12px"><label for="fileVanBanDi"><b>Đính kèm file văn bản đi <span style="color:#d32f2f">*</span></b></label>
<div class="drop">Nhập hoặc kéo và thả tệp để tải lên tại đây<br><input type="file" name="fileVanBanDi" id="fileVanBanDi" accept=".pdf,.docx,.doc"><br><small>Hỗ trợ loại file: .pdf, .docx, .doc</small></div>
<table class="list" id="dsFileVanBanDi" hidden><thead><tr><th>File</th><th>Văn bản chính *</th></tr></thead><tbody></tbody></table>
</div>
<div style="margin-top:12px"><label><b>Trong cơ quan</b></label> <input name="nguoiNhan" placeholder="Chọn cá nhân nhận trong cơ quan" style="width:60%"></div>
</div>
<div class="actions">
<button type="button" class="btn" onclick="history.back()">&lt; Quay lại</button>
<button type="button" class="btn" id="btnKySoVaBanHanh" disabled title="Cần cài đặt QOfficeKyso">Ký số và ban hành</button>
<button type="submit" class="btn primary" id="btnBanHanh">Ban hành</button>
</div></div>
</form>
</div>
<footer>@2019 - QOffice - Hệ thống Quản lý văn bản điều hành Tỉnh Quảng Nam</footer>`,
    SCRIPT,
  );
}
