// The text of an OpenAI message `content`: a string, or an array of content parts whose text parts
// count (`[{type:'text', text}]`; image and other parts carry no text). Anything else is no text: a
// hostile `null` or number part is skipped, never a crash.

/** `separator` joins the parts: '' for an answer split into pieces, '\n' for prompt turns. */
export function contentText(content: unknown, separator = ''): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const p of content) {
    if (typeof p === 'string') parts.push(p);
    else if (
      typeof p === 'object' &&
      p !== null &&
      typeof (p as Record<string, unknown>)['text'] === 'string'
    )
      parts.push((p as Record<string, unknown>)['text'] as string);
  }
  return parts.join(separator);
}
