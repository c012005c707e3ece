// The local test server's request log (each request as received, printed with the API key
// masked) and its HTTP plumbing: reading bodies, sending whole or truncated answers, waits that
// a closed connection cuts short, and listening with a one-line error for a port in use.

// ---------------------------------------------------------------------------
// Request recording and printing
// ---------------------------------------------------------------------------

export function createRequestLog() {
  let records = [];
  let seq = 0;
  return {
    begin(req, path) {
      const record = {
        seq: ++seq,
        method: req.method,
        path,
        headers: { ...req.headers },
        body: null,
        rawBody: '',
        status: null,
        fault: null,
        outcome: 'pending',
        receivedAt: Date.now(),
      };
      records.push(record);
      return record;
    },
    snapshot: () => structuredClone(records),
    clear() {
      records = [];
      seq = 0;
    },
  };
}

function maskAuthorization(value) {
  if (value === undefined) return '(none)';
  return /^Bearer\s/i.test(value) ? 'Bearer ***' : '***';
}

/** Replaces every occurrence of each secret in `text` by ***. */
function maskSecrets(text, secrets) {
  return secrets.filter((s) => s && s.length > 0).reduce((out, secret) => out.split(secret).join('***'), text);
}

export function bearerToken(header) {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match ? match[1].trim() : undefined;
}

/** A readable, multi-line description of a recorded request; never shows the API key. */
export function formatRecord(record, apiKey) {
  const secrets = [apiKey, bearerToken(record.headers.authorization), record.headers.authorization];
  const status = record.status ?? 'no answer';
  const lines = [`#${record.seq} ${record.method} ${record.path} -> ${status} (${record.outcome})`];
  lines.push(`  authorization: ${maskAuthorization(record.headers.authorization)}`);
  lines.push(`  content-type: ${record.headers['content-type'] ?? '(none)'}`);
  if (record.fault) lines.push(`  fault: ${JSON.stringify(record.fault)}`);
  const body = record.body !== null ? JSON.stringify(record.body, null, 2) : record.rawBody;
  if (body) lines.push(...body.split('\n').map((line) => `  ${line}`));
  return `${maskSecrets(lines.join('\n'), secrets)}\n\n`;
}

// ---------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------

export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function replyText(answer) {
  return answer.text ?? JSON.stringify(answer.body);
}

export function send(res, answer) {
  if (answer.status === 204 || answer.status === 304) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  const bytes = Buffer.from(replyText(answer), 'utf8');
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': bytes.length, ...answer.headers });
  res.end(bytes);
}

/** Sends the status line, headers announcing the full length, half the body, then cuts the connection. */
export function sendTruncated(res, answer) {
  const bytes = Buffer.from(replyText(answer), 'utf8');
  const part = bytes.subarray(0, Math.floor(bytes.length / 2));
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Math.max(bytes.length, part.length + 1),
    ...answer.headers,
  });
  res.flushHeaders();
  res.write(part, () => res.destroy());
}

/**
 * Waits `ms`, resolving true; resolves false early if the client disconnects or the
 * server closes. Each pending wait registers a cancel function in `waits`.
 */
export function waitUnlessClosed(res, ms, waits) {
  return new Promise((resolve) => {
    const finish = (completed) => {
      clearTimeout(timer);
      res.off('close', onClose);
      waits.delete(onClose);
      resolve(completed);
    };
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(true), ms);
    res.on('close', onClose);
    waits.add(onClose);
  });
}

export function pathOf(url) {
  return url.split('?')[0];
}

export function hostForUrl(host) {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Listens on host:port. A port in use rejects with a one-line hint instead of a stack;
 * `portHint` says how the caller picks another port (e.g. `make www WWW_PORT=<n>`).
 */
export function listen(server, host, port, portHint = 'another port') {
  return new Promise((resolve, reject) => {
    const failed = (err) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is in use: stop what uses it, or pick ${portHint}`) : err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address().port);
    });
  });
}
