import { useEffect, useRef } from 'react';

export type HotkeyMap = Record<string, (e: KeyboardEvent) => void>;

/** True when the key press belongs to a text field (typing must never trigger a shortcut). */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

/**
 * The key name a shortcut map uses: printable keys as typed (`j`, `/`, `?`), named keys in lower
 * case (`enter`, `escape`, `arrowdown`).
 */
export function keyOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): string | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  return e.key.length === 1 ? e.key : e.key.toLowerCase();
}

/**
 * Single-key shortcuts for a screen, ignored while typing in a field or when a modal dialog is
 * open (Escape excepted, which fields may pass on).
 */
export function useHotkeys(map: HotkeyMap, enabled = true) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const key = keyOf(e);
      if (!key || e.defaultPrevented) return;
      if (key !== 'escape' && isTypingTarget(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const fn = ref.current[key];
      if (fn) {
        e.preventDefault();
        fn(e);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
