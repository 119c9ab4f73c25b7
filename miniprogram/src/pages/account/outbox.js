// The outbox as the user sees it: what waits to be sent and when it is tried next, what the server
// refused and why, what stopped being sent by itself; send now, retry or discard (only the user discards).
const outbox = require('../../utils/outbox');
const format = require('../../utils/format');

const STATE = { pending: '等待网络', sending: '发送中', failed: '未通过', stalled: '已暂停' };

/** label names an item's state; a pending one that failed waits for its next try rather than the network. */
function label(x) {
  return x.state === 'pending' && x.failures ? '等待重试' : STATE[x.state] || x.state;
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { items: [], busy: false },
  methods: {
    onLoad() {
      this._off = outbox.onChange((items) => this.show(items));
    },
    onUnload() {
      if (this._off) this._off();
    },
    onShow() {
      this.show(outbox.list());
    },
    show(items) {
      this.setData({ items: items.map((x) => ({ ...x, stateLabel: label(x), time: format.dateTime(x.createdAt),
        next: x.state === 'pending' && x.nextAt ? format.dateTime(x.nextAt) : '' })) });
    },
    async onSendAll() {
      this.setData({ busy: true });
      await outbox.flush({ manual: true });
      this.setData({ busy: false });
      const left = outbox.count();
      wx.showToast({ title: left ? `还有 ${left} 条未发送` : '已全部发送', icon: left ? 'none' : 'success' });
    },
    onRetry(e) {
      return outbox.retry(e.currentTarget.dataset.id);
    },
    onDiscard(e) {
      const id = e.currentTarget.dataset.id;
      wx.showModal({ title: '放弃这条记录？', content: '放弃后无法恢复。', success: (r) => r.confirm && outbox.discard(id) });
    },
  },
}));
