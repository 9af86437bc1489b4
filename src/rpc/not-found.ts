/**
 * What Odoo answers for a path no route serves: werkzeug's 404 page (text/html). The sidecar
 * serves only the routes it implements; everything else ends here, as in Odoo, rather than in
 * express's own "Cannot GET" page.
 */
import { ServerResponse } from 'node:http';
import { RequestHandler } from 'express';

const PAGE = `<!doctype html>
<html lang=en>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
`;

export function sendNotFoundPage(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(PAGE) });
  res.end(PAGE);
}

/** The last express handler: any request nothing else answered. */
export const notFoundPage: RequestHandler = (_req, res) => sendNotFoundPage(res);
