// chart draws a small bar, line or horizontal-bar chart on a canvas of type 2d (no chart library:
// the few kinds the statistics need cost a few kilobytes this way). The figures come in as
// properties and the legend is text, so that what is drawn can be read and checked without a canvas.
const { layout, paint } = require('./layout');

Component(/** @type {any} */ ({
  properties: {
    type: { type: String, value: 'bar' },
    labels: { type: Array, value: [] },
    series: { type: Array, value: [] },
    height: { type: Number, value: 200 },
  },
  observers: {
    'type, labels, series, height'() {
      this.draw();
    },
  },
  lifetimes: {
    ready() {
      this._ready = true;
      this.draw();
    },
  },
  methods: {
    /** draw paints the chart once the canvas node is there; without one (an old base library) it does nothing. */
    draw() {
      if (!this._ready || typeof this.createSelectorQuery !== 'function') return;
      let q;
      try {
        q = this.createSelectorQuery().select('#canvas').fields({ node: true, size: true });
      } catch (e) {
        return;
      }
      q.exec((res) => {
        const c = res && res[0];
        if (!c || !c.node || !c.width) return;
        const dpr = (wx.getWindowInfo ? wx.getWindowInfo().pixelRatio : 2) || 2;
        c.node.width = c.width * dpr;
        c.node.height = c.height * dpr;
        const ctx = c.node.getContext('2d');
        if (!ctx) return;
        ctx.scale(dpr, dpr);
        ctx.clearRect(0, 0, c.width, c.height);
        paint(ctx, layout(this.data.type, this.data.labels, this.data.series, c.width, c.height));
      });
    },
  },
}));
