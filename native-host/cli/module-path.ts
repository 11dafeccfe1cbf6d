// Which PKCS#11 modules a command looks at: the one given with --module, else every known module found here.

import { KysoError } from '@kyso/shared/protocol/errors';
import { discoverModules } from '../token/modules.ts';

export function modulePaths(explicit: string | undefined): string[] {
  if (explicit) return [explicit];
  const found = discoverModules().filter((m) => m.loadable).map((m) => m.path);
  if (found.length === 0) throw new KysoError('MODULE_NOT_FOUND', 'No known PKCS#11 module on this computer; give --module PATH.', undefined, { vi: 'Không tìm thấy thư viện PKCS#11 của token nào trên máy. Hãy cài phần mềm của token hoặc chỉ đường dẫn bằng --module.' });
  return found;
}
