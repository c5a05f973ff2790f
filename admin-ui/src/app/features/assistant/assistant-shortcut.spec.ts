import { isOpenShortcut, isTypingTarget } from './assistant-shortcut';

function keydownOn(target: Element, init: KeyboardEventInit = {}): KeyboardEvent {
  let received: KeyboardEvent | null = null;
  target.addEventListener('keydown', (event) => (received = event as KeyboardEvent), { once: true });
  target.dispatchEvent(new KeyboardEvent('keydown', { key: '?', shiftKey: true, bubbles: true, ...init }));
  return received!;
}

describe('the "?" shortcut guard', () => {
  let host: HTMLElement;

  beforeEach(() => {
    host = document.createElement('div');
    host.innerHTML = `
      <h1 tabindex="-1">Page</h1>
      <input type="text" />
      <input type="search" />
      <textarea></textarea>
      <select><option>a</option></select>
      <div contenteditable="true"><p>rich text</p></div>
      <div role="textbox" tabindex="0"></div>
      <div class="cdk-overlay-container"><button>menu item</button></div>
    `;
    document.body.appendChild(host);
  });

  afterEach(() => host.remove());

  it('opens from the page itself', () => {
    expect(isOpenShortcut(keydownOn(document.body))).toBe(true);
    expect(isOpenShortcut(keydownOn(host.querySelector('h1')!))).toBe(true);
  });

  it.each(['input[type=text]', 'input[type=search]', 'textarea', 'select', 'div[contenteditable] p', '[role=textbox]'])(
    'does not open while typing in %s',
    (selector) => {
      const field = host.querySelector(selector)!;
      expect(isTypingTarget(field)).toBe(true);
      expect(isOpenShortcut(keydownOn(field))).toBe(false);
    },
  );

  it('leaves menus and dialogs their keys', () => {
    expect(isOpenShortcut(keydownOn(host.querySelector('.cdk-overlay-container button')!))).toBe(false);
  });

  it('ignores other keys, and "?" with Ctrl, Cmd or Alt', () => {
    expect(isOpenShortcut(keydownOn(document.body, { key: '/', shiftKey: false }))).toBe(false);
    expect(isOpenShortcut(keydownOn(document.body, { ctrlKey: true }))).toBe(false);
    expect(isOpenShortcut(keydownOn(document.body, { metaKey: true }))).toBe(false);
    expect(isOpenShortcut(keydownOn(document.body, { altKey: true }))).toBe(false);
    expect(isOpenShortcut(keydownOn(document.body, { repeat: true }))).toBe(false);
  });
});
