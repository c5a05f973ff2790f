/**
 * "?" opens the assistant, as in GitHub or Gmail. It never fires while the user is typing
 * (inputs, text areas, selects, contenteditable, ARIA text boxes) nor inside menus and
 * dialogs, and it leaves Ctrl/Cmd shortcuts (a page's own search keys) alone: the complaint
 * about assistant widgets is that their shortcut hijacks keys the page needs.
 */
export const OPEN_SHORTCUT_KEY = '?';

const TYPING_SELECTOR = [
  'input',
  'textarea',
  'select',
  '[contenteditable]:not([contenteditable="false"])',
  '[role="textbox"]',
  '[role="searchbox"]',
  '[role="combobox"]',
].join(', ');

/** Focus is where keys type text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) {
    return false;
  }
  return (target as HTMLElement).isContentEditable === true || target.closest(TYPING_SELECTOR) !== null;
}

/** The key event is the assistant's "open" shortcut, and nothing else wants it. */
export function isOpenShortcut(event: KeyboardEvent): boolean {
  if (event.key !== OPEN_SHORTCUT_KEY || event.ctrlKey || event.metaKey || event.altKey) {
    return false;
  }
  if (event.defaultPrevented || event.isComposing || event.repeat) {
    return false;
  }
  const target = event.target;
  if (isTypingTarget(target)) {
    return false;
  }
  // Menus, dialogs and other overlays keep their keys.
  return !(target instanceof Element && target.closest('.cdk-overlay-container') !== null);
}
