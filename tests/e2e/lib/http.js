'use strict';
// Minimal HTTP client without keep-alive: pooled idle sockets (global fetch keeps them ~4 s) would
// keep the test process alive after teardown.
const http = require('node:http');

// body: an object (sent as JSON) or a Buffer (sent as is, with headers['content-type'] or application/octet-stream).
function request(url, { method = 'GET', body, headers = {}, timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const raw = Buffer.isBuffer(body);
    const payload = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
    const contentHeaders = !payload ? {}
      : raw ? { 'content-type': headers['content-type'] || 'application/octet-stream', 'content-length': payload.length }
        : { 'content-type': 'application/json', 'content-length': payload.length };
    const req = http.request(url, {
      method,
      agent: false,
      headers: { ...headers, ...contentHeaders },
      timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ok: res.statusCode >= 200 && res.statusCode < 300, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

module.exports = { request };
