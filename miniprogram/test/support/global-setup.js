// global-setup builds the ParkSafe server from the repository (or takes PARKSAFE_BIN), starts it on a
// free loopback port with SQLite in a fresh temporary folder, waits for /readyz and leaves the address
// and the admin password in a state file for the test workers (PARKSAFE_STATE).
const { execFileSync, spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

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
  let bin = process.env.PARKSAFE_BIN;
  if (!bin) {
    const src = path.resolve(root, process.env.PARKSAFE_SRC || '..');
    bin = path.join(root, '.cache', 'parksafe-test');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: src, stdio: 'inherit' });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parksafe-mp-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const adminPassword = 'Adm' + crypto.randomBytes(8).toString('hex') + '9';
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const child = spawn(bin, [], {
    cwd: dir,
    env: { ...process.env, HTTP_ADDR: `127.0.0.1:${port}`, PUBLIC_BASE_URL: origin, DATA_DIR: path.join(dir, 'data'),
      DB_DRIVER: 'sqlite', DB_DSN: path.join(dir, 'parksafe.db'), ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: adminPassword,
      JWT_SECRET: crypto.randomBytes(30).toString('hex'), LOG_LEVEL: 'warn', PHOTO_URL_TTL: process.env.PHOTO_URL_TTL || '2h' },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 30000;
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
  fs.closeSync(log);
  const state = path.join(dir, 'state.json');
  fs.writeFileSync(state, JSON.stringify({ origin, api: origin + '/api/v1', adminPassword, dir, pid: child.pid }));
  process.env.PARKSAFE_STATE = state;
  globalThis.__PARKSAFE__ = { child, dir };
};
