// config holds the one setting that differs between a desk and a phone: the API origin.
// DevTools (with "不校验合法域名" / urlCheck false) can use the local server started with `go run .`;
// a phone needs HTTPS and the origin registered as request and uploadFile 合法域名 in the
// mini-program's admin console, and the server's PUBLIC_BASE_URL set to the same origin.
module.exports = {
  /** Base of every API call, ending in /api/v1. */
  apiBase: 'http://127.0.0.1:8080/api/v1',
  /** Longest edge, in pixels, that photos are scaled to on the phone before upload. */
  photoMaxEdge: 1920,
  /** JPEG quality (0–100) used when compressing photos on the phone. */
  photoQuality: 70,
  /**
   * The park's offset from UTC in minutes, for times taken on the phone (the outbox's "保存于", today's
   * date in forms); the server's timestamps carry the park's offset themselves. It matches the server's
   * TIMEZONE (GET /me answers it as park.time_zone), Asia/Shanghai: +08:00 all year.
   */
  parkUtcOffset: 8 * 60,
};
