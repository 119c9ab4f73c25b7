// richtext adapts the server's sanitized bulletin HTML (content_html) for <rich-text>: photos as wide
// as the screen, tables with borders, readable spacing. rich-text takes inline styles only.

/** @type {Record<string, string>} */
const STYLES = {
  img: 'max-width:100%;height:auto;display:block;margin:8px 0;border-radius:4px',
  table: 'border-collapse:collapse;width:100%;margin:8px 0;font-size:13px',
  th: 'border:1px solid #ddd;padding:4px 6px;background:#f5f5f5',
  td: 'border:1px solid #ddd;padding:4px 6px',
  p: 'margin:8px 0;line-height:1.7',
  h1: 'font-size:19px;margin:12px 0 8px',
  h2: 'font-size:17px;margin:12px 0 8px',
  h3: 'font-size:16px;margin:10px 0 6px',
  blockquote: 'margin:8px 0;padding:4px 10px;border-left:3px solid #ddd;color:#666',
};

/** forRichText returns html with the styles above on its tags (kept before any style a tag has). @param {string} html */
function forRichText(html) {
  return (html || '').replace(/<(img|table|th|td|p|h1|h2|h3|blockquote)(\s[^>]*)?(\/?)>/gi, (m, tag, attrs, slash) => {
    const style = STYLES[tag.toLowerCase()];
    attrs = attrs || '';
    if (/\sstyle\s*=\s*"/i.test(attrs)) attrs = attrs.replace(/\sstyle\s*=\s*"/i, ` style="${style};`);
    else attrs += ` style="${style}"`;
    return `<${tag}${attrs}${slash}>`;
  });
}

module.exports = { forRichText };
