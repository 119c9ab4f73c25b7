// Layout the page tests can see through the WXSS that simulate applies (rpx kept as px, so the screen is
// 750 wide): the tiles of home and statistics fill the width in equal columns, and the outbox's count
// on home stays on one line beside its long description.
const h = require('../support/harness');

const SCREEN = 750;
const px = (v) => parseFloat(v) || 0;

/**
 * rowWidth is the width a full row of a tile grid takes up: all of the container for a grid of equal
 * fraction columns (with a gap between them), else the items' widths and margins added up.
 */
function rowWidth(container, perRow) {
  const c = getComputedStyle(container.dom);
  const padding = px(c.paddingLeft) + px(c.paddingRight);
  if (c.display === 'grid') {
    expect(c.gridTemplateColumns.replace(/\s+/g, '')).toBe(`repeat(${perRow},1fr)`);
    expect(px(c.columnGap || c.gap)).toBeGreaterThan(0);
    expect(c.width).toBe(''); // as wide as the page
    return SCREEN - px(c.marginLeft) - px(c.marginRight);
  }
  const item = getComputedStyle(container.dom.firstElementChild);
  return padding + perRow * (px(item.width) + px(item.marginLeft) + px(item.marginRight));
}

test('home’s tiles fill the row in three equal columns, and the outbox count does not wrap', async () => {
  const ent = await h.enterprise('版面化工');
  await h.signIn(h.phone('layout-enterprise'), await h.account('enterprise', ent.id));
  const page = await h.openPage('pages/home/index');
  await h.waitFor(() => page.data.tiles.length === 3 && page.data.tiles.every((t) => t.count !== null), 'tiles');
  expect(rowWidth(page.querySelector('.tiles'), 3)).toBe(SCREEN);
  // The count is the page's own view, not the cell's note text: a <text> keeps WeChat's white-space: pre-wrap
  // whatever its parent says, and the note shrank beside the long description until it wrapped.
  const count = page.querySelector('#outbox-count');
  expect(h.textOf(count)).toBe('0 条');
  expect(getComputedStyle(count.dom).whiteSpace).toBe('nowrap');
  expect(count.dom.querySelector('wx-text')).toBeNull();
});

test('the statistics cards fill the row in three equal columns', async () => {
  await h.signIn(h.phone('layout-admin'), { username: 'admin', password: h.state.adminPassword });
  const page = await h.openPage('pages/stats/index');
  await h.waitFor(() => page.data.loaded, 'stats');
  expect(rowWidth(page.querySelector('.cards'), 3)).toBe(SCREEN);
});
