// Subcommand dispatch; one file per subcommand.

import { KysoError } from '@kyso/shared/protocol/errors';
import { exitCodeFor, printError } from './report.ts';
import { signCommand } from './sign.ts';
import { tokensCommand } from './tokens.ts';
import { certsCommand } from './certs.ts';
import { installHostCommand } from './install-host.ts';
import { uninstallHostCommand } from './uninstall-host.ts';
import { verifyCommand } from './verify.ts';
import { extendCommand } from './extend.ts';

export const HELP = `KýSố – ký số văn bản PDF bằng USB token

Cách dùng:
  kyso sign IN.pdf -o OUT.pdf --token LABEL --cert LABEL|ID --mode MODE [tùy chọn]
  kyso tokens [--module PATH] [--json]
  kyso certs --token LABEL [--module PATH] [--json]
  kyso verify FILE.pdf [--trust PEM]... [--offline] [--json]
  kyso extend FILE.pdf -o OUT.pdf --level B-LT|B-LTA [--tsa URL] [--net-timeout S] [--json]
  kyso install-host [--user | --system] [--browser chrome,edge,chromium] [--dry-run] [--json]
  kyso uninstall-host [--user | --system] [--browser chrome,edge,chromium] [--dry-run] [--json]

MODE: approval (ký duyệt) | issue (ký ban hành) | appendix (ký phụ lục) | copy (ký sao) | certify (chứng thực bản sao)

Tùy chọn của sign:
  --module PATH            thư viện PKCS#11 của token (mặc định: tự tìm)
  --image PNG              ảnh chữ ký (ký duyệt, chứng thực)
  --seal PNG               ảnh con dấu (ký ban hành, chứng thực)
  --marker TEXT            ký hiệu vị trí, ví dụ #ChuKyLanhDao
  --page N --rect X,Y,W,H  vị trí tự chọn: trang N (từ 1), hình chữ nhật tính bằng point, gốc ở góc trên bên trái trang
  --doc-number TEXT        số, ký hiệu văn bản
  --place TEXT             địa danh, ví dụ "Quảng Nam"
  --date YYYY-MM-DD        ngày ban hành (mặc định: hôm nay)
  --copy-form SY|SL|TrS    hình thức sao
  --level B-B|B-T|B-LT|B-LTA  mức chữ ký PAdES (mặc định B-B; từ B-T cần --tsa)
  --tsa URL                máy chủ cấp dấu thời gian (RFC 3161)
  --net-timeout S          thời gian chờ mỗi lần gọi mạng (giây)
  --cert-number TEXT       số chứng thực
  --book TEXT              quyển số chứng thực
  --json                   in kết quả dạng JSON

Tùy chọn của verify (kiểm tra mọi chữ ký trong tệp):
  --trust PEM              thêm chứng thư gốc tin cậy (lặp lại được); các gốc của Việt Nam đã có sẵn
  --offline                không hỏi OCSP/CRL qua mạng (khi đó tình trạng thu hồi có thể không xác định được)
  Mã thoát: 0 mọi chữ ký hợp lệ, 1 có chữ ký không hợp lệ hoặc không có chữ ký, 2 không đọc được tệp

Tùy chọn của extend (bổ sung dữ liệu kiểm tra dài hạn cho tệp đã ký, mọi chữ ký trước đó vẫn hợp lệ; không cần token):
  --level B-LT|B-LTA       B-LT: thêm chứng thư, OCSP/CRL của mọi chữ ký; B-LTA: thêm cả dấu thời gian lưu trữ
  --tsa URL                máy chủ cấp dấu thời gian; bắt buộc với B-LTA, và với B-LT khi có chữ ký chưa có dấu thời gian
  --net-timeout S          thời gian chờ mỗi lần gọi mạng (giây)
  Tệp không có chữ ký nào: lỗi PDF_NOT_SIGNED (mã thoát 1)

Tùy chọn của install-host, uninstall-host (đăng ký KýSố với trình duyệt để tiện ích gọi được):
  --user | --system        cho người dùng hiện tại (mặc định) | cho mọi người dùng (cần quyền quản trị/sudo)
  --browser LIST           chrome, edge, chromium, cách nhau bằng dấu phẩy (mặc định: cả ba)
  --dir DIR                thư mục riêng của KýSố (tệp chạy kèm; Windows: cả tệp khai báo và tệp .reg)
  --reg-dir DIR            Windows: nơi ghi tệp .reg để cài và để gỡ (mặc định: thư mục riêng của KýSố)
  --dry-run                chỉ in những gì sẽ ghi hoặc xóa, không thay đổi gì

Mã PIN lấy từ biến môi trường KYSO_PIN hoặc được hỏi khi chạy; không bao giờ truyền PIN trên dòng lệnh.
Kết thúc với mã 0 khi tệp OUT đã được ghi trọn vẹn; nếu lỗi, không có tệp OUT nào được tạo.
`;

export async function runCli(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  const json = rest.includes('--json');
  try {
    switch (cmd) {
      case 'sign':
        return await signCommand(rest);
      case 'tokens':
        return await tokensCommand(rest);
      case 'certs':
        return await certsCommand(rest);
      case 'verify':
        return await verifyCommand(rest);
      case 'extend':
        return await extendCommand(rest);
      case 'install-host':
        return await installHostCommand(rest);
      case 'uninstall-host':
        return await uninstallHostCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new KysoError('INVALID_ARGUMENT', `Unknown command ${cmd}.`, undefined, { vi: `Lệnh không hợp lệ: ${cmd}. Xem kyso --help.` });
    }
  } catch (e) {
    return exitCodeFor(printError(e, json));
  }
}
