// Subcommand dispatch; one file per subcommand.

import { KysoError } from '@kyso/shared/protocol/errors';
import { exitCodeFor, printError } from './report.ts';
import { signCommand } from './sign.ts';
import { tokensCommand } from './tokens.ts';
import { certsCommand } from './certs.ts';

export const HELP = `KýSố – ký số văn bản PDF bằng USB token

Cách dùng:
  kyso sign IN.pdf -o OUT.pdf --token LABEL --cert LABEL|ID --mode MODE [tùy chọn]
  kyso tokens [--module PATH] [--json]
  kyso certs --token LABEL [--module PATH] [--json]

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
  --cert-number TEXT       số chứng thực
  --book TEXT              quyển số chứng thực
  --json                   in kết quả dạng JSON

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
