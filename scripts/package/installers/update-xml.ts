// The update manifest ("gupdate", protocol 2.0) a self-hosted update URL answers with: where the CRX of which
// version is. Chrome and Edge ask it for the forced install and then every few hours for updates; a higher
// version here makes them fetch the new CRX (which must be signed with the same key).

const attr = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll("'", '&apos;').replaceAll('"', '&quot;');

export interface UpdateXmlInput {
  appId: string;
  /** Absolute URL of the .crx. */
  codebase: string;
  version: string;
}

export function updateXml({ appId, codebase, version }: UpdateXmlInput): string {
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    `  <app appid='${attr(appId)}'>`,
    `    <updatecheck codebase='${attr(codebase)}' version='${attr(version)}' />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
}
