// The extension's manifest (MV3), turned into dist/manifest.json by @crxjs/vite-plugin.
//
// Permissions, and why each is here:
//   nativeMessaging  used now: the background talks to the kyso host (background/services/native-host.ts).
//   storage          the user's own settings (storage.sync, storage.local) and IT's policy (storage.managed, whose
//                    schema managed_schema.json is generated from shared/policy/schema.ts).
//   contextMenus     "Ký số tệp PDF này" on PDF links, "Kiểm tra chữ ký số" on a tab showing a PDF.
//   downloads        saving the signed file when the portal has no upload field to put it back into.
//   scripting        registering the portal adapters (content/) for the allowlisted portals only: the content
//                    scripts are not declared here but registered at run time for the patterns of the settings
//                    (policy `portals`, the user's list, the demo portal), and unregistered when they change.
//   activeTab        the toolbar button checks the signatures of the PDF the current tab shows.
// Host permissions: http(s) everywhere, because IT names the portals by policy after installation and a
// force-installed extension cannot ask the user for more. They are used only for what the allowlist names
// (content scripts) and for the URLs of a job (the document, certificate AIA/CRL/OCSP and the TSA of the settings).

import { defineManifest } from '@crxjs/vite-plugin';
// Relative, not @kyso/shared: vite loads its config with Node, which does not run the workspace's .ts exports.
import { EXTENSION_PUBLIC_KEY } from '../shared/protocol/extension-id.ts';
import pkg from './package.json' with { type: 'json' };

export default defineManifest({
  manifest_version: 3,
  name: '__MSG_extName__',
  description: '__MSG_extDescription__',
  version: pkg.version,
  default_locale: 'vi',
  // Fixes the extension ID (EXTENSION_ID) so the host manifest can allow exactly this origin.
  key: EXTENSION_PUBLIC_KEY,
  permissions: ['nativeMessaging', 'storage', 'contextMenus', 'downloads', 'scripting', 'activeTab'],
  host_permissions: ['http://*/*', 'https://*/*'],
  action: {
    default_title: '__MSG_actionTitle__',
  },
  background: {
    service_worker: 'background/index.ts',
    type: 'module',
  },
  // Group policy for the extension (Chrome/Edge "3rdparty" extension policy) arrives in chrome.storage.managed.
  storage: {
    managed_schema: 'managed_schema.json',
  },
  options_ui: {
    page: 'pages/options/index.html',
    open_in_tab: true,
  },
  content_security_policy: {
    extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
  },
});
