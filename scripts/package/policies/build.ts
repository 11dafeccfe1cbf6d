// npm run package:policies [-- --update-url URL] [--out DIR]
// Writes the policy templates (templates.ts) into dist-policies/ (git-ignored), then checks them: XML well-formed
// (xmllint when installed, and our own checker), every policy key in every template, .reg files UTF-16LE with BOM.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isHttpUrl } from '../../../shared/policy/validate.ts';
import { DEFAULT_UPDATE_URL, allTemplates, type TemplateFile } from './templates.ts';
import { checkTemplates } from './check.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

function xmllint(): string | null {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return 'xmllint';
  } catch {
    return null;
  }
}

export function writeTemplates(outDir: string, files: TemplateFile[]): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const f of files) {
    const p = join(outDir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
  writeFileSync(join(outDir, '.gitignore'), '*\n');
}

function main(): void {
  const { values } = parseArgs({
    options: { 'update-url': { type: 'string', default: DEFAULT_UPDATE_URL }, out: { type: 'string', default: join(ROOT, 'dist-policies') } },
  });
  const updateUrl = values['update-url']!;
  if (!isHttpUrl(updateUrl)) {
    console.error(`--update-url must be an http(s) URL: ${updateUrl}`);
    process.exit(2);
  }
  if (!updateUrl.startsWith('https://')) console.warn(`Warning: ${updateUrl} is not https; serve the update manifest over https.`);
  const version = (JSON.parse(readFileSync(join(ROOT, 'extension', 'package.json'), 'utf8')) as { version: string }).version;
  const files = allTemplates({ updateUrl, version });
  const problems = checkTemplates(files);
  const outDir = resolve(values.out!);
  writeTemplates(outDir, files);
  const lint = xmllint();
  if (lint) {
    const xml = files.filter((f) => f.kind === 'admx' || f.kind === 'adml' || f.kind === 'mobileconfig').map((f) => join(outDir, f.path));
    try {
      execFileSync(lint, ['--noout', '--nonet', ...xml], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      problems.push(`xmllint: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
  } else {
    console.warn('xmllint not installed (apt-get install libxml2-utils): XML checked by the built-in checker only.');
  }
  if (problems.length) {
    console.error(`Templates written to ${outDir} but they have problems:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`${files.length} files in ${outDir}${updateUrl === DEFAULT_UPDATE_URL ? ` (update URL is the placeholder ${DEFAULT_UPDATE_URL}; pass --update-url)` : ''}`);
  for (const f of files) console.log(`  ${f.path}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
