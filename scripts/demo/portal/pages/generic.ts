// A plain page for the generic adapter (demo-portal.md §4): a PDF link, an embedded PDF and a link that appears
// a second after load. No upload field: the signed file is downloaded.

import { document } from '../html.ts';

export function genericPage(): string {
  return document(
    'Tài liệu',
    'main{max-width:900px;margin:20px auto;padding:0 16px}embed{width:100%;height:420px;border:1px solid #ccc}li{margin:6px 0}',
    `<main><h1>Tài liệu</h1>
<ul id="dsTaiLieu"><li><a href="/khac/files/bao-cao.pdf">Báo cáo.pdf</a></li></ul>
<h2>Phụ lục</h2>
<embed type="application/pdf" src="/khac/files/phu-luc.pdf">
</main>`,
    `setTimeout(function () {
  const li = document.createElement('li');
  li.innerHTML = '<a href="/khac/files/them.pdf">Tài liệu bổ sung.pdf</a>';
  document.getElementById('dsTaiLieu').append(li);
}, 1000);`,
  );
}
