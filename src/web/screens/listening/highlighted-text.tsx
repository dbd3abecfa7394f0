import { splitHighlights } from '../../lib/highlight.ts';

/** Text with the matched spans marked. */
export function HighlightedText({ text, spans }: { text: string; spans: [number, number][] }) {
  return (
    <>
      {splitHighlights(text, spans).map((s, i) =>
        s.hit ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reorder
          <mark key={i} className="hit">
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}
