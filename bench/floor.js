// The framework floor: a minimal Express 5 app answering the same route with a fixed body, no state.
import express from 'express';

const i = process.argv.indexOf('--port');
const port = Number(process.argv[i + 1]);
const app = express();
app.disable('x-powered-by');
app.disable('etag');
const body = JSON.stringify({ error_code: '0', error_msg: 'OK' });
app.get('/_emulator/health', (_req, res) => res.type('application/json').send('{"status":"ok"}'));
app.all('/{*any}', (_req, res) => res.status(200).type('application/json').send(body));
app.all('/', (_req, res) => res.status(200).type('application/json').send(body));
const server = app.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
