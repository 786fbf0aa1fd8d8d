// `clemency serve` for the browser checks: its store and output folder in `work`, on a port the
// system picks. Shared by the browser checks.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

// Starts the server; returns its process and a promise of the port it listens on. `onOutput`
// gets everything it writes (stdout and stderr), for reports when something goes wrong.
export function startServe(binary, source, work, onOutput = () => {}) {
  const child = spawn(binary, ['serve', '--source', source, '--db', join(work, 'clemency.db'),
    '--out', join(work, 'public'), '--port', '0'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = new Promise((resolvePort, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error('no "Serving on" line within 60 s')), 60_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      onOutput(chunk);
      const m = /Serving on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    child.stderr.on('data', onOutput);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal ?? `code ${code}`}) before it was listening`));
    });
  });
  return { child, port };
}
