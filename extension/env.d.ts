// Ambient types for the extension's code: chrome.* (the root tsconfig only lists node's types) and vite's.
/// <reference types="chrome" />
/// <reference types="vite/client" />
/// <reference types="@crxjs/vite-plugin/client" />
