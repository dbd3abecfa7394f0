import { createHash } from 'node:crypto';
import { parseFeed } from 'feedsmith';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { htmlLinks, htmlToText } from '../ingestion/html-to-text.ts';

type Text = string | { value?: string } | undefined;
const textOf = (t: Text): string => (typeof t === 'string' ? t : (t?.value ?? ''));

/** A feed item normalised, with the id used to remember it was seen. */
export type FeedItem = { id: string; post: NormalisedPostInput };

function isoDate(...candidates: (string | undefined)[]): string {
  for (const c of candidates) {
    if (!c) continue;
    const t = Date.parse(c);
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  return new Date().toISOString();
}

/**
 * Parses RSS 2.0, Atom 1.0, RDF (RSS 1.0) or JSON Feed with feedsmith and normalises each item:
 * the item's guid/id (else its link, else a hash of title and date) is its external id, so a
 * republished feed never yields a duplicate. Throws on malformed XML.
 */
export function parseFeedItems(body: string, feedUrl: string): { title: string; items: FeedItem[] } {
  assertComplete(body);
  const { format, feed } = parseFeed(body) as { format: string; feed: Record<string, unknown> };
  const feedTitle = textOf(feed.title as Text) || new URL(feedUrl).host;
  const feedAuthors = (feed.authors as { name?: string; email?: string }[] | undefined) ?? [];
  const raw =
    ((format === 'atom' ? feed.entries : feed.items) as Record<string, unknown>[] | undefined) ?? [];
  const items: FeedItem[] = [];
  for (const it of raw) {
    const links = (it.links as { href?: string; rel?: string }[] | undefined) ?? [];
    const link =
      (typeof it.link === 'string' ? it.link : undefined) ??
      (typeof it.url === 'string' ? it.url : undefined) ??
      links.find((l) => !l.rel || l.rel === 'alternate')?.href;
    const title = htmlToText(textOf(it.title as Text));
    const html =
      (it.content as { encoded?: string } | undefined)?.encoded ?? textOf(it.content as Text) ?? '';
    const body =
      html ||
      textOf(it.description as Text) ||
      textOf(it.summary as Text) ||
      (it.content_html as string) ||
      (it.content_text as string) ||
      '';
    const published = isoDate(
      it.pubDate as string,
      it.published as string,
      it.date_published as string,
      it.updated as string,
      ((it.dc as { dates?: string[] } | undefined)?.dates ?? [])[0],
    );
    const guid =
      (it.guid as { value?: string } | undefined)?.value ?? (typeof it.id === 'string' ? it.id : undefined);
    const id =
      guid || link || createHash('sha256').update(`${title}\u0000${published}`).digest('hex').slice(0, 32);
    const authors = (it.authors as { name?: string; email?: string }[] | undefined) ?? [];
    const creator = ((it.dc as { creators?: string[] } | undefined)?.creators ?? [])[0];
    const authorName = authors[0]?.name ?? creator ?? feedAuthors[0]?.name ?? feedTitle;
    const text = htmlToText(body);
    items.push({
      id,
      post: {
        channel: 'rss',
        externalId: id.slice(0, 512),
        url: link,
        author: {
          externalId: `${feedUrl}#${authorName}`.slice(0, 256),
          handle: authorName.slice(0, 320) || feedTitle,
          displayName: authorName.slice(0, 512),
        },
        title: title.slice(0, 2000) || undefined,
        text: (text || title).slice(0, 200_000),
        createdAt: published,
        threadKey: `feed-item:${id}`.slice(0, 1024),
        links: [...new Set([...(link ? [link] : []), ...htmlLinks(body)])].slice(0, 200),
        raw: {
          feedUrl,
          feedTitle,
          guid: guid ?? null,
          categories: ((it.categories as { name?: string; term?: string }[] | undefined) ?? [])
            .map((c) => c.name ?? c.term)
            .filter(Boolean),
        },
      },
    });
  }
  return { title: feedTitle, items };
}

/**
 * The XML parser is lenient and reads a truncated document as far as it goes; a feed cut off in
 * transfer must fail instead (and be fetched again), so the root element has to be closed.
 */
function assertComplete(body: string): void {
  const text = body.trim();
  if (text.startsWith('{')) {
    JSON.parse(text);
    return;
  }
  const root = /<([A-Za-z_][\w:.-]*)[\s>]/.exec(
    text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, ''),
  )?.[1];
  if (!root) throw new Error('no XML root element');
  if (!new RegExp(`</${root.replace('.', '\\.')}\\s*>$`).test(text))
    throw new Error(`the document ends before </${root}> (truncated?)`);
}
