// App starts the outbox (sends what was saved offline when the network returns) and sends the user
// to the sign-in page whenever the session ends.
const api = require('./utils/api');
const outbox = require('./utils/outbox');
const session = require('./utils/session');

App({
  onLaunch() {
    api.setSignedOutHandler(() => wx.reLaunch({ url: '/pages/login/index' }));
    outbox.start();
  },
  onShow() {
    if (session.get()) outbox.flush();
  },
});
