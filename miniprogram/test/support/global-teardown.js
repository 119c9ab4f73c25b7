// global-teardown stops the server and the fake WeChat and removes the temporary folder
// (KEEP_PARKSAFE_DATA=1 keeps it).
const fs = require('fs');

module.exports = async function globalTeardown() {
  const s = globalThis.__PARKSAFE__;
  if (!s) return;
  for (const child of [s.child, s.fake]) {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  }
  if (process.env.KEEP_PARKSAFE_DATA === '1') console.log('parksafe data kept in ' + s.dir);
  else fs.rmSync(s.dir, { recursive: true, force: true });
};
