import { escapeHtml } from '../campaigns/templates/html-text';

/** Server-rendered, no script: works in any browser, light and dark, phone width, keyboard and screen reader. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>
  :root { color-scheme: light dark; --bg: #f6f7f9; --card: #ffffff; --fg: #1b1c1f; --muted: #5b5e66; --accent: #3b5bdb; --accent-fg: #ffffff; --border: #d9dce1; }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #111214; --card: #1c1d21; --fg: #e8e9ec; --muted: #a9acb4; --accent: #91a7ff; --accent-fg: #0b1437; --border: #33353b; }
  }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 16px;
         background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { width: 100%; max-width: 440px; background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 28px 24px; }
  h1 { font-size: 1.375rem; line-height: 1.3; margin: 0 0 12px; }
  p { margin: 0 0 16px; color: var(--muted); }
  strong { color: var(--fg); }
  label { display: flex; gap: 10px; align-items: flex-start; margin: 0 0 20px; cursor: pointer; }
  input[type=checkbox] { width: 20px; height: 20px; margin: 2px 0 0; accent-color: var(--accent); flex: none; }
  button { width: 100%; min-height: 44px; border: 0; border-radius: 8px; background: var(--accent); color: var(--accent-fg);
           font: inherit; font-weight: 600; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function unsubscribeFormPage(options: {
  action: string;
  address: string;
  organizationName: string | null;
}): string {
  const from = options.organizationName ? ` from ${escapeHtml(options.organizationName)}` : '';
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1>
<p>Stop campaign emails${from} to <strong>${escapeHtml(options.address)}</strong>?</p>
<form method="post" action="${escapeHtml(options.action)}">
  <input type="hidden" name="List-Unsubscribe" value="One-Click">
  <label><input type="checkbox" name="whatsapp" value="1"><span>Also stop WhatsApp messages</span></label>
  <button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function unsubscribedPage(options: {
  address: string;
  whatsapp: boolean;
  organizationName: string | null;
}): string {
  const from = options.organizationName ? ` from ${escapeHtml(options.organizationName)}` : '';
  return page(
    'Unsubscribed',
    `<h1 role="status">You are unsubscribed</h1>
<p><strong>${escapeHtml(options.address)}</strong> will not get campaign emails${from} any more${
      options.whatsapp ? ', and we will not send you WhatsApp messages either' : ''
    }.</p>
<p>You can close this page.</p>`,
  );
}

export function invalidLinkPage(): string {
  return page(
    'Link not valid',
    `<h1>This link is not valid</h1>
<p>It may have been cut off or changed. Open the unsubscribe link from the original email again, or reply to the email and ask to be removed.</p>`,
  );
}
