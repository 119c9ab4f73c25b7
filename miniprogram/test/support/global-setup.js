// global-setup builds the ParkSafe server from the repository (or takes PARKSAFE_BIN) and the fake
// WeChat of the Go tests as a process (cmd/fakewechat), starts the fake, then the server on a free
// loopback port with SQLite in a fresh temporary folder, the demo park (-demo: a year of enterprises,
// weeks of records) and the Official Account pointed at the fake; waits for /readyz and leaves the
// addresses and the admin password in a state file for the test workers (PARKSAFE_STATE).
const { execFileSync, spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

// The Official Account settings the Go tests use (apitest): the fake accepts any, the callback token
// signs the fake's publish events.
const OA = { WECHAT_OA_APPID: 'wxoa-test', WECHAT_OA_SECRET: 'oa-secret', WECHAT_OA_TOKEN: 'oa-callback-token',
  WECHAT_OA_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

/** startFake starts cmd/fakewechat and resolves with its base URL (the first line it prints). */
function startFake(bin, callback, log) {
  const child = spawn(bin, ['-callback', callback, '-token', OA.WECHAT_OA_TOKEN, '-aes-key', OA.WECHAT_OA_AES_KEY,
    '-appid', OA.WECHAT_OA_APPID], { stdio: ['ignore', 'pipe', log] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('fakewechat printed no address')), 15000);
    child.once('exit', (code) => reject(new Error('fakewechat exited with ' + code)));
    child.stdout.on('data', (b) => {
      out += b;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, url: line.trim() });
      }
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

module.exports = async function globalSetup() {
  const src = path.resolve(root, process.env.PARKSAFE_SRC || '..');
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
  let bin = process.env.PARKSAFE_BIN;
  if (!bin) {
    bin = path.join(root, '.cache', 'parksafe-test');
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: src, stdio: 'inherit' });
  }
  const fakeBin = path.join(root, '.cache', 'fakewechat-test');
  execFileSync('go', ['build', '-o', fakeBin, './cmd/fakewechat'], { cwd: src, stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parksafe-mp-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const adminPassword = 'Adm' + crypto.randomBytes(8).toString('hex') + '9';
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const fake = await startFake(fakeBin, `${origin}/api/v1/wechat/official-account/callback`, log);
  const child = spawn(bin, ['-demo'], {
    cwd: dir,
    env: { ...process.env, HTTP_ADDR: `127.0.0.1:${port}`, PUBLIC_BASE_URL: origin, DATA_DIR: path.join(dir, 'data'),
      DB_DRIVER: 'sqlite', DB_DSN: path.join(dir, 'parksafe.db'), ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: adminPassword,
      JWT_SECRET: crypto.randomBytes(30).toString('hex'), LOG_LEVEL: 'warn', PHOTO_URL_TTL: process.env.PHOTO_URL_TTL || '2h',
      WECHAT_API_BASE: fake.url, ...OA },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('parksafe exited: ' + fs.readFileSync(path.join(dir, 'server.log'), 'utf8'));
    const ok = await new Promise((resolve) => {
      const req = http.get(origin + '/readyz', { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false)); // not listening yet
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('parksafe did not become ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  child.unref(); // the teardown stops it; jest's main process must not wait for it
  fake.child.unref();
  fs.closeSync(log);
  const state = path.join(dir, 'state.json');
  fs.writeFileSync(state, JSON.stringify({ origin, api: origin + '/api/v1', adminPassword, dir, pid: child.pid, wechat: fake.url }));
  process.env.PARKSAFE_STATE = state;
  globalThis.__PARKSAFE__ = { child, fake: fake.child, dir };
};
