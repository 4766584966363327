// The page a browser gets: the whole screen in the version's colour, so that a switch from one
// version to another is visible at a glance.

const escape = (value) =>
  String(value instanceof Date ? value.toISOString() : value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** @param {{version: string, color: string, hex: string, host: string, error?: string, notice?: string, orders?: object[], columns?: string[]}} p */
export function renderPage(p) {
  const notice = p.notice ? `<p class="notice">📣 ${escape(p.notice)}</p>` : '';
  const error = p.error ? `<p class="error">${escape(p.error)}</p>` : '';
  const orders =
    p.orders && p.columns
      ? `<table><tr>${p.columns.map((c) => `<th>${escape(c)}</th>`).join('')}</tr>${p.orders
          .map((o) => `<tr>${p.columns.map((c) => `<td>${escape(o[c] ?? '')}</td>`).join('')}</tr>`)
          .join('')}</table>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hello-app ${escape(p.version)}</title>
<style>
  body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center; justify-content: center;
         background: ${p.hex}; color: #fff; font-family: system-ui, sans-serif; }
  h1 { font-size: 6rem; margin: 0; }
  p { font-size: 1.2rem; margin: .4rem; }
  .notice { background: #fff; color: #111; padding: .6rem 1rem; border-radius: .4rem; }
  .error { background: #111; padding: .6rem 1rem; border-radius: .4rem; }
  table { margin-top: 1rem; border-collapse: collapse; background: rgba(0,0,0,.2); }
  th, td { padding: .3rem .8rem; text-align: left; }
</style>
</head>
<body>
${notice}
<h1>${escape(p.version)}</h1>
<p>${escape(p.color)} · ${escape(p.host)}</p>
${error}${orders}
</body>
</html>
`;
}
