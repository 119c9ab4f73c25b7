// Statistics: overview cards (found, closed, rectification rate, open, overdue), the 12-week trend and
// the categories as charts, the enterprise ranking, the Friday hygiene and Monday leader-inspection
// records of the last weeks; and the 隐患台账 ledger as an .xlsx file. An enterprise gets its own line
// only (the server scopes every figure).
const api = require('../../utils/api');
const session = require('../../utils/session');

const BLUE = '#0052d9';
const GREEN = '#2ba471';
const RED = '#d54941';
const ORANGE = '#e37318';

/** pct shows a rate (0–1, or null) as a percentage. */
function pct(r) {
  return r === null || r === undefined ? '—' : (Math.round(r * 1000) / 10).toFixed(1) + '%';
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { role: '', cards: [], trend: { labels: [], series: [] }, category: { labels: [], series: [] }, ranking: [],
    rankingChart: { labels: [], series: [] }, hygiene: [], hygieneChart: { labels: [], series: [] }, leader: [],
    leaderChart: { labels: [], series: [] }, loaded: false, error: '', busy: false },
  methods: {
    onLoad() {
      this.setData({ role: session.role() });
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        const [o, trend, ranking, hygiene, leader] = await Promise.all([api.get('/stats/overview'), api.get('/stats/trend', { weeks: 12 }),
          api.get('/stats/enterprises'), api.get('/stats/hygiene', { weeks: 4 }), api.get('/stats/leader-inspections', { weeks: 4 })]);
        const top = ranking.items.slice(0, 10);
        const hyg = hygiene.items.filter((x) => x.checks > 0).sort((a, b) => b.failed_areas - a.failed_areas).slice(0, 10);
        this.setData({
          loaded: true, error: '',
          cards: [
            { key: 'found', label: '发现隐患', value: o.found },
            { key: 'closed', label: '已销号', value: o.closed },
            { key: 'rate', label: '整改率', value: pct(o.rectification_rate) },
            { key: 'open', label: '未销号', value: o.open },
            { key: 'overdue', label: '逾期', value: o.overdue, alert: o.overdue > 0 },
          ],
          trend: { labels: trend.items.map((w) => w.week.slice(5)), series: [
            { name: '发现', values: trend.items.map((w) => w.found), color: BLUE },
            { name: '销号', values: trend.items.map((w) => w.closed), color: GREEN }] },
          category: { labels: o.by_category.map((c) => c.label), series: [{ name: '隐患数', values: o.by_category.map((c) => c.count), color: BLUE }] },
          ranking: ranking.items.map((r) => ({ ...r, rate: pct(r.rectification_rate) })),
          rankingChart: { labels: top.map((r) => r.enterprise_name), series: [
            { name: '逾期', values: top.map((r) => r.overdue), color: RED },
            { name: '未逾期未销号', values: top.map((r) => r.open - r.overdue), color: ORANGE },
            { name: '已销号', values: top.map((r) => r.closed), color: GREEN }] },
          hygiene: hygiene.items, hygieneWeeks: `${hygiene.from_week} – ${hygiene.to_week}`,
          hygieneChart: { labels: hyg.map((x) => x.enterprise_name), series: [
            { name: '不合格项', values: hyg.map((x) => x.failed_areas), color: RED },
            { name: '检查次数', values: hyg.map((x) => x.checks), color: BLUE }] },
          leader: leader.items, leaderWeeks: `${leader.from_week} – ${leader.to_week}`,
          leaderChart: { labels: leader.items.map((x) => x.enterprise_name), series: [
            { name: '按时', values: leader.items.map((x) => x.done), color: GREEN },
            { name: '非周一', values: leader.items.map((x) => x.late), color: ORANGE },
            { name: '缺报', values: leader.items.map((x) => x.missed), color: RED }] },
        });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    async onLedger() {
      this.setData({ busy: true, error: '' });
      try {
        const filePath = await api.download('/hazards/export');
        await new Promise((resolve, reject) => wx.openDocument({ filePath, fileType: 'xlsx', showMenu: true, success: resolve, fail: reject }));
        this.setData({ busy: false });
      } catch (e) {
        this.setData({ busy: false, error: api.messageOf(e, '台账无法打开') });
      }
    },
  },
}));
