// Portals add documents after load: DataTables pages, rows fetched by script, single-page navigation. One scan per
// burst of changes (debounced), ignoring the changes our own buttons make.

export function observeChanges(root: Node, onChange: () => void, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ours = (n: Node) => n instanceof Element && (n.classList.contains('kyso-actions') || n.classList.contains('kyso-tip') || !!n.closest('.kyso-actions'));
  const mo = new MutationObserver((records) => {
    const relevant = records.some((r) =>
      r.type === 'attributes' ? !ours(r.target) : [...r.addedNodes, ...r.removedNodes].some((n) => !ours(n) && n.nodeType === 1),
    );
    if (!relevant) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, delayMs);
  });
  mo.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['href', 'src', 'data'] });
  return () => {
    mo.disconnect();
    if (timer) clearTimeout(timer);
  };
}
