// A tiny static file server for the built site, on 127.0.0.1 and a free
// port the OS picks. It serves only files inside the site folder, answers
// 404 with the site's own 404.html (as a real host would), and remembers
// every path it was asked for so the tests can report what was fetched.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

async function fileAt(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const full = resolve(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    const info = await stat(full);
    if (!info.isFile()) return null;
  } catch {
    return null;
  }
  return full;
}

/**
 * Starts the server. Resolves to { origin, close(), log } where log is the
 * list of { method, path, status } it has answered.
 */
export async function serveSite(siteDir) {
  const root = resolve(siteDir);
  const log = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let status = 200;
    let body;
    let type;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      status = 405;
      body = Buffer.from('method not allowed\n');
      type = TYPES['.txt'];
    } else {
      const file = await fileAt(root, url.pathname);
      if (file) {
        body = await readFile(file);
        type = TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
      } else {
        status = 404;
        const notFound = await fileAt(root, '/404.html');
        body = notFound ? await readFile(notFound) : Buffer.from('not found\n');
        type = notFound ? TYPES['.html'] : TYPES['.txt'];
      }
    }
    log.push({ method: req.method, path: url.pathname, status });
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
