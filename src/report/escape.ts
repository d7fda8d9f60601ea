/** Escaping for text placed in HTML or SVG. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes `& < > " '` so any text is safe inside an element or a quoted attribute of HTML or XML.
 *
 * @example
 * escapeXml('<script>'); // -> '&lt;script&gt;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
