// Options page (a stub until the settings land: extra PKCS#11 modules, allowlisted portals).

import { render } from 'preact';

function Options() {
  return (
    <main>
      <h1>Tùy chọn KýSố</h1>
      <p class="muted">Các thiết lập (thư viện PKCS#11 bổ sung, danh sách cổng thông tin được phép) sẽ có ở bản sau.</p>
      <p>
        <a href="../diagnostics/index.html">Kiểm tra kết nối với phần mềm KýSố trên máy</a>
      </p>
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
