// The demo portal's start page: the demo user is signed in automatically and picks one of the portals.

import { document } from '../html.ts';

export function homePage(): string {
  return document(
    'Cổng thử nghiệm KýSố',
    `header{background:#0d47a1;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
main{max-width:820px;margin:28px auto;padding:0 16px}
.card{display:block;border:1px solid #cfd8dc;border-radius:6px;padding:16px 20px;margin:14px 0;text-decoration:none;color:#222;background:#fff}
.card:hover{border-color:#1565c0;background:#f3f8ff}.card b{color:#0d47a1;font-size:16px}
.note{color:#555;font-size:13px}`,
    `<header><h1>Cổng thử nghiệm KýSố</h1><div>Đã đăng nhập: Nguyễn Văn Thành (Lãnh đạo) · Phạm Thị Trúc (Văn thư)</div></header>
<main>
<p class="note">Các trang dưới đây mô phỏng giao diện các hệ thống thật để thử tiện ích KýSố. Mọi tài liệu, chứng thư và mã PIN đều là dữ liệu thử nghiệm.</p>
<a class="card" id="lnkQoffice" href="/qoffice/van-ban-cho-ban-hanh/1"><b>QOffice — Chi tiết văn bản chờ ban hành</b><br>Dự thảo có mã #ChuKyLanhDao, #SoKyHieuVanBan, #DiaDiemNgayBanHanh: lãnh đạo ký duyệt, văn thư ký ban hành.</a>
<a class="card" id="lnkIoffice" href="/ioffice/"><b>VNPT-iOffice — Văn bản đi / VB chờ duyệt</b><br>Danh sách trong khung (frame), tệp tải qua download.jsp.</a>
<a class="card" id="lnkTthc" href="/tthc/ho-so/1"><b>Hệ thống giải quyết TTHC — Chứng thực điện tử</b><br>Chứng thực bản sao điện tử từ bản chính.</a>
<a class="card" id="lnkKhac" href="/khac/tai-lieu"><b>Trang khác — Tài liệu</b><br>Liên kết PDF và PDF nhúng, không có ô tải lên.</a>
</main>`,
  );
}
