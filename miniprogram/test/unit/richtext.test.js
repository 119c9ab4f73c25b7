// Bulletin HTML made fit for <rich-text>.
const { forRichText } = require('../../src/pages/bulletins/richtext');

test('photos fit the screen and cells keep their alignment', () => {
  const out = forRichText('<p>各企业：</p><p><img src="http://x/files/photos/1/orig?sig=a" alt="现场"></p>' +
    '<table><tr><th style="text-align:center">企业</th></tr><tr><td>甲</td></tr></table>');
  expect(out).toMatch(/<img src="http:\/\/x\/files\/photos\/1\/orig\?sig=a" alt="现场" style="max-width:100%[^"]*">/);
  expect(out).toMatch(/<th style="border:1px solid #ddd[^"]*;text-align:center">/);
  expect(out).toContain('<table style="border-collapse:collapse');
  expect(forRichText('')).toBe('');
  expect(forRichText(undefined)).toBe('');
});
