#!/usr/bin/env bash
# The main job on a fresh machine (`npm start`): install what is missing, build the host and the extension, make
# the demo token and test PKI, then run the browser demo (scripts/demo/run.ts): the demo portal on 127.0.0.1,
# Debian's Chromium with the extension and the host registered for its own profile, the leader's, the clerk's, the
# iOffice and the certified-copy flows walked through, screenshots and signed PDFs in out/demo/<time>/, pdfsig's
# verdict on each. The browser is shown when a display exists ($DISPLAY or $WAYLAND_DISPLAY) and stays open until
# you close it; without one it runs headless and the exit code says whether every flow succeeded.
# The command-line demo without a browser: bash scripts/demo/cli-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PUPPETEER_SKIP_DOWNLOAD=1 npm_config_nodedir=/usr

bash scripts/install-system-deps.sh
# npm ci when nothing is installed yet, or when package-lock.json changed since the last install (a pull).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
bash scripts/testenv/make-all.sh
exec npx tsx scripts/demo/run.ts
