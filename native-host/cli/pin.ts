// The PIN comes from KYSO_PIN or is typed at a terminal prompt without echo; never from the command line.

import { KysoError } from '@kyso/shared/protocol/errors';

export async function readPin(prompt = 'Mã PIN của token: '): Promise<string> {
  const env = process.env.KYSO_PIN;
  if (env !== undefined && env !== '') return env;
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new KysoError('PIN_REQUIRED', 'Set KYSO_PIN or run at a terminal.', undefined, { vi: 'Cần mã PIN: đặt biến môi trường KYSO_PIN hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập PIN.' });
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let pin = '';
    const done = (err?: KysoError) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(pin);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new KysoError('USER_CANCELLED'));
        if (ch === '\u007f' || ch === '\b') pin = pin.slice(0, -1);
        else pin += ch;
      }
    };
    stdin.on('data', onData);
  });
}
