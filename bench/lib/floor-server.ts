/**
 * The floor for bench/orm: a bare node:http server that answers each request with the rows
 * of one SQL query through a pg pool, as JSON. No framework, no ORM, no access checks: what
 * the hardware and PostgreSQL give for the same rows.
 *
 *   DATABASE_URL=… PORT=… POOL=16 node -r esbuild-register bench/lib/floor-server.ts
 * POST /<query name> with a JSON array of parameters.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { FLOOR_QUERIES } from './floor-queries';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 16) });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const query = FLOOR_QUERIES[(req.url ?? '/').slice(1)];
    if (!query) {
      res.writeHead(404).end();
      return;
    }
    try {
      const { rows } = await pool.query({ name: req.url, text: query, values: JSON.parse(Buffer.concat(chunks).toString() || '[]') });
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: rows });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
