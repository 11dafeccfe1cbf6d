// VNPT-iOffice-like "Văn bản đi / Duyệt văn bản đi / VB chờ duyệt" (Sốp Cộp's guide, seed 002): a shell with the
// left menu and the list in an iframe; the list's rows arrive by script from a JSON endpoint after load and with
// "Trang sau", each with a download.jsp link that names no file type. DOM contract: /work/notes/demo-portal.md §2.

import { document } from '../html.ts';

const SHELL_CSS = `
body{background:#e9edf1;height:100vh;display:flex;flex-direction:column}
.banner{background:linear-gradient(#0b5aa6,#074a8a);color:#fff;height:56px;display:flex;align-items:center;padding:0 18px}
.banner .logo{font-size:20px;font-weight:bold}.banner .logo span{color:#ffca28}
.banner .user{margin-left:auto;font-size:13px}
.body{flex:1;display:flex;min-height:0}
.menu{width:230px;background:#23313f;color:#cfd8dc;overflow:auto}
.menu h3{margin:0;padding:12px 14px;font-size:13px;color:#fff;background:#1a2531;border-bottom:1px solid #34495e}
.menu a{display:flex;justify-content:space-between;color:#cfd8dc;text-decoration:none;padding:8px 14px 8px 24px;font-size:13px}
.menu a.active,.menu a:hover{background:#0b5aa6;color:#fff}
.menu .badge{background:#e53935;color:#fff;border-radius:9px;padding:0 7px;font-size:11px}
.main{flex:1;display:flex;flex-direction:column;min-width:0}
.crumb{padding:8px 14px;background:#fff;border-bottom:1px solid #d0d7de;font-size:13px;color:#555}
iframe{flex:1;border:0;background:#fff;width:100%}
`;

export function iofficeShell(): string {
  return document(
    'VNPT-iOffice - Hệ thống quản lý văn bản và điều hành',
    SHELL_CSS,
    `<div class="banner"><span class="logo">VNPT-<span>iOffice</span> 4.0</span><span class="user">Trần Văn Đại - Chánh Văn phòng ▾</span></div>
<div class="body">
<div class="menu">
<h3>VĂN BẢN ĐẾN</h3>
<a href="#"><span>Chưa xử lý</span><span class="badge">5</span></a><a href="#">Đang xử lý</a><a href="#">Đã xử lý</a><a href="#"><span>Chờ duyệt</span><span class="badge">24</span></a>
<h3>VĂN BẢN ĐI</h3>
<a class="active" href="/ioffice/vb-cho-duyet.jsp" target="mainFrame"><span>Chờ duyệt</span><span class="badge">3</span></a><a href="#">Chờ xử lý</a><a href="#">Ủy quyền duyệt</a><a href="#"><span>Đã phát hành</span><span class="badge">368</span></a>
</div>
<div class="main">
<div class="crumb">Văn bản đi / Duyệt văn bản đi / VB chờ duyệt</div>
<iframe id="mainFrame" name="mainFrame" src="/ioffice/vb-cho-duyet.jsp" title="VB chờ duyệt"></iframe>
</div>
</div>`,
  );
}

const FRAME_CSS = `
body{padding:10px 14px;background:#fff}
.tabs{display:flex;border-bottom:2px solid #0b5aa6;margin-bottom:10px}
.tabs a{padding:7px 14px;text-decoration:none;color:#0b5aa6;font-size:13px}
.tabs a.active{background:#0b5aa6;color:#fff;border-radius:3px 3px 0 0}
table{width:100%;border-collapse:collapse;font-size:13px}
th{background:#dfe9f3;color:#23313f;text-align:left}
th,td{border:1px solid #c9d4df;padding:6px 7px;vertical-align:top}
tr:nth-child(even) td{background:#f7fafc}
.star{color:#9e9e9e}.star.khan{color:#fb8c00}.star.thuong-khan{color:#e53935}
.signed{color:#2e7d32;font-weight:bold}
.act a{margin-right:6px;font-size:12px}
.foot{display:flex;justify-content:space-between;align-items:center;margin-top:10px;font-size:13px;color:#555}
.loading{color:#777;font-style:italic;padding:10px}
button{padding:5px 12px;border:1px solid #0b5aa6;background:#fff;color:#0b5aa6;border-radius:3px}
button[disabled]{opacity:.5}
`;

// The list is built by the page's script after load, like iOffice's DataTables: the content script must find
// links that appear later (the adapter's MutationObserver), and "Trang sau" adds more.
const FRAME_SCRIPT = `
const tbody = document.querySelector('#tblVbChoDuyet tbody');
const info = document.getElementById('ketQua');
const next = document.getElementById('btnTrangSau');
let loaded = 0;
let page = 0;
function cell(tr, html) { const td = document.createElement('td'); td.innerHTML = html; tr.append(td); return td; }
function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
async function loadPage(n) {
  next.disabled = true;
  const r = await fetch('/ioffice/api/vb-cho-duyet?page=' + n, { credentials: 'same-origin' });
  if (!r.ok) { info.textContent = 'Phiên đăng nhập đã hết hạn'; return; }
  const data = await r.json();
  document.querySelector('.loading')?.remove();
  for (const row of data.rows) {
    loaded++;
    const tr = document.createElement('tr');
    tr.dataset.fileId = row.fileId;
    cell(tr, String(loaded));
    cell(tr, '<span class="star ' + row.doKhanClass + '" title="' + esc(row.doKhan) + '">★</span>');
    cell(tr, row.signed ? '<span class="signed">Đã ký số</span>' : '');
    cell(tr, esc(row.soKyHieu));
    cell(tr, esc(row.trichYeu));
    cell(tr, 'UBND Huyện Sốp Cộp');
    cell(tr, esc(row.ngayNhan));
    cell(tr, '<a class="lnk-tai-file" href="/ioffice/download.jsp?fileId=' + encodeURIComponent(row.fileId) + '">' + esc(row.label) + '</a>'
      + '<div class="act"><a href="#" class="lnk-xem">Xem</a><a href="#" class="lnk-ky-so">Ký số</a><a href="#" class="lnk-kiem-tra">Kiểm tra VB đã ký</a></div>');
    tbody.append(tr);
  }
  page = n;
  info.textContent = 'Tìm thấy ' + data.total + ' kết quả trên ' + data.pages + ' trang';
  next.disabled = page >= data.pages;
}
document.addEventListener('click', function (e) {
  const a = e.target.closest('.lnk-ky-so, .lnk-xem, .lnk-kiem-tra');
  if (!a) return;
  e.preventDefault();
  alert(a.classList.contains('lnk-xem') ? 'Trình xem văn bản đang tải…' : 'Chưa cài đặt VNPT-CA Plugin: vui lòng cài đặt driver hỗ trợ của VNPT (Phụ lục II).');
});
next.addEventListener('click', function () { loadPage(page + 1); });
setTimeout(function () { loadPage(1); }, 300);
`;

export function iofficeFrame(): string {
  return document(
    'VB chờ duyệt',
    FRAME_CSS,
    `<div class="tabs"><a class="active" href="#">VB chờ duyệt</a><a href="#">VB chờ chuyên viên xử lý</a><a href="#">VB chờ văn thư phát hành</a><a href="#">VB đã phát hành</a></div>
<table id="tblVbChoDuyet"><thead><tr><th>STT</th><th>Độ khẩn</th><th>Chờ ký số</th><th>Số ký hiệu</th><th>Trích yếu</th><th>Cơ quan ban hành</th><th>Ngày nhận</th><th>Tệp đính kèm</th></tr></thead>
<tbody></tbody></table>
<div class="loading">Đang tải dữ liệu…</div>
<div class="foot"><span id="ketQua"></span><button type="button" id="btnTrangSau" disabled>Trang sau ›</button></div>
<div style="margin-top:8px;font-size:12px;color:#666">Cấp độ: <span class="star">★</span> Bình thường <span class="star khan">★</span> Khẩn <span class="star thuong-khan">★</span> Thượng khẩn</div>`,
    FRAME_SCRIPT,
  );
}
