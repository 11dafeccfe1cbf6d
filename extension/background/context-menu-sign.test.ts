// "Ký số tệp PDF này": the click goes to the frame's content script (jobForLink); only when that frame has no
// script does the background open a generic job itself, and only for an allowlisted frame.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouterContext } from './router.ts';
import type { NativeHost } from './services/native-host.ts';
import { PolicyService } from './services/policy.ts';
import { JobStore } from './services/jobs.ts';

const sent: { tabId: number; message: unknown; frameId?: number }[] = [];
let answer: () => Promise<unknown>;
vi.mock('webextension-polyfill', () => ({
  default: {
    tabs: {
      sendMessage: async (tabId: number, message: unknown, o?: { frameId?: number }) => {
        sent.push({ tabId, message, frameId: o?.frameId });
        return answer();
      },
    },
  },
}));

const { signLinkClicked } = await import('./context-menu-sign.ts');

const ID = 'kkikmailolohkgijeoakdjhpnacmlfgi';
let opened: string[];
let jobs: JobStore;
function ctx(): RouterContext {
  return {
    host: {} as NativeHost,
    policy: new PolicyService({ managed: { get: async () => ({}) }, sync: { get: async () => ({}) }, local: { get: async () => ({}) } }),
    extensionId: ID,
    extensionOrigin: `chrome-extension://${ID}/`,
    extensionVersion: '0.1.0',
    jobs,
    openPage: async (path) => {
      opened.push(path);
    },
  };
}

beforeEach(() => {
  sent.length = 0;
  opened = [];
  jobs = new JobStore(null);
});

const info = { linkUrl: 'http://127.0.0.1:5180/khac/files/bao-cao.pdf', frameId: 4, frameUrl: 'http://127.0.0.1:5180/khac/khung.html', pageUrl: 'http://127.0.0.1:5180/khac/tai-lieu' };

describe('signLinkClicked', () => {
  it('asks the content script of that frame; it opens the job, the background opens nothing', async () => {
    answer = async () => ({ ok: true, result: { jobId: 'j1' } });
    await signLinkClicked(ctx(), info, 7);
    expect(sent).toEqual([{ tabId: 7, frameId: 4, message: { kysoContent: 1, type: 'jobForLink', params: { url: info.linkUrl, action: 'sign' } } }]);
    expect(opened).toEqual([]);
  });

  it('a refusal from the content script (not a PDF) opens nothing', async () => {
    answer = async () => ({ ok: false, error: { code: 'NOT_A_PDF', message: 'x', messageVi: 'x' } });
    await signLinkClicked(ctx(), info, 7);
    expect(opened).toEqual([]);
  });

  it('no content script in the frame: a generic job for the link, recorded with tab, frame and frame URL', async () => {
    answer = async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    };
    await signLinkClicked(ctx(), info, 7);
    expect(opened).toHaveLength(1);
    const id = decodeURIComponent(opened[0].replace('pages/sign/index.html?job=', ''));
    expect(await jobs.get(id)).toMatchObject({
      action: 'sign',
      portal: 'generic',
      document: { url: info.linkUrl, name: 'bao-cao.pdf' },
      upload: { kind: 'none' },
      tabId: 7,
      frameId: 4,
      pageUrl: info.frameUrl,
    });
  });

  it('…but not for a frame outside the allowlist', async () => {
    answer = async () => {
      throw new Error('Receiving end does not exist.');
    };
    await expect(signLinkClicked(ctx(), { ...info, frameUrl: 'https://ads.example.com/frame' }, 7)).rejects.toMatchObject({ code: 'CALLER_FORBIDDEN' });
    expect(opened).toEqual([]);
  });
});
