// Where the quoted history of a reply starts: attribution lines ("On … wrote:" and its
// translations), Outlook's separator and header block, forwarded-message markers.
const HISTORY_MARKERS: RegExp[] = [
  /^On\s.{1,200}\swrote:\s*$/i,
  /^Am\s.{1,200}\sschrieb\s.{0,100}:\s*$/i,
  /^Le\s.{1,200}\sa\sécrit\s?:\s*$/i,
  /^El\s.{1,200}\sescribió:\s*$/i,
  /^Il\s.{1,200}\sha\sscritto:\s*$/i,
  /^Op\s.{1,200}\sschreef\s.{0,100}:\s*$/i,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}\s*$/i,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];

// Signature starts: the RFC 3676 "-- " delimiter and the sign-offs mobile clients append.
const SIGNATURE_MARKERS: RegExp[] = [
  /^-- ?$/,
  /^Sent from my \w+/i,
  /^Get Outlook for /i,
  /^Von meinem \w+ gesendet/i,
  /^Envoyé de mon /i,
];

/**
 * The new part of an e-mail body for the case view: quoted history (`>` lines, "On … wrote:"
 * and what follows, Outlook's header block) and the signature removed. The original text is
 * kept by the caller; when nothing would be left (a reply written inline between quotes), the
 * full text is returned rather than an empty message.
 */
export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // An "On … wrote:" line may be wrapped over two lines by the sender's client.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
    const outlookHeader =
      /^(From|Von|De):\s/.test(line) &&
      lines.slice(i + 1, i + 5).some((l) => /^(Sent|Date|Gesendet|Envoyé|To|An|À):\s/.test(l.trim()));
    if (HISTORY_MARKERS.some((re) => re.test(line) || re.test(joined)) || outlookHeader) {
      end = i;
      break;
    }
    if (SIGNATURE_MARKERS.some((re) => re.test(lines[i]!.trimEnd()))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  const out = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return out || text.trim();
}
