// HTML helpers for the demo portal's pages: escaping and the document shell.

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function document(title: string, css: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 Arial,"Liberation Sans",Helvetica,sans-serif;color:#222}
a{color:#1565c0}
button{font:inherit;cursor:pointer}
${css}
</style>
</head>
<body>
${body}
${script ? `<script>\n${script}\n</script>` : ''}
</body>
</html>
`;
}

export function messagePage(title: string, text: string, back?: { href: string; label: string }): string {
  return document(
    title,
    '.msg{max-width:560px;margin:80px auto;padding:24px 28px;border:1px solid #cfd8dc;border-radius:6px;background:#fafafa}',
    `<div class="msg"><h2>${esc(title)}</h2><p>${esc(text)}</p>${back ? `<p><a href="${esc(back.href)}">${esc(back.label)}</a></p>` : ''}</div>`,
  );
}
