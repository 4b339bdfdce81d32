// The first process of a pod run by kubelet.ts, started by `unshare` as PID 1 of new PID, network, mount and
// UTS namespaces (so the kernel ends every process of the pod when it ends). It brings up the loopback, sets
// the host name, makes the pod a root of its own (an overlay of the host's, so that nothing on the host
// changes), mounts the pod's volumes at their paths there, forwards TCP between the pod's loopback and the
// host through Unix sockets (sockets are files, which both network namespaces see), and runs the
// containers, restarting one that exits as the kubelet would. Plain JavaScript: it runs with node alone.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const events = fs.openSync(path.join(spec.dir, 'pod.log'), 'a');
const say = (line) => fs.writeSync(events, `${new Date().toISOString()} ${line}\n`);

function run(command, args) {
  const r = spawnSync(command, args, { stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.error?.message ?? r.stderr.toString().trim()}`);
}

const inside = process.argv[3] === 'inside';
if (!inside) {
  // Stage one, on the host's root: the network, the host name, and a root of the pod's own, an overlay of the
  // host's (so that any path can be made) with the host's other mounts bound into it; then stage two in it.
  run('ip', ['link', 'set', 'lo', 'up']);
  fs.writeFileSync('/proc/sys/kernel/hostname', spec.hostname);
  const scratch = path.join(spec.dir, 'root');
  fs.mkdirSync(scratch, { recursive: true });
  run('mount', ['-n', '-t', 'tmpfs', '-o', 'mode=0755,size=2g', 'omnia-pod-root', scratch]);
  const root = path.join(scratch, 'merged');
  for (const d of ['merged', 'upper', 'work']) fs.mkdirSync(path.join(scratch, d));
  run('mount', ['-n', '-t', 'overlay', 'omnia-pod-root', '-o', `lowerdir=/,upperdir=${scratch}/upper,workdir=${scratch}/work`, root]);
  const points = [...new Set(fs.readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').map((l) => l.split(' ')[4]))]
    .filter((p) => p !== '/' && !p.includes('\\') && p !== scratch && !p.startsWith(`${scratch}/`))
    .sort((a, b) => a.split('/').length - b.split('/').length);
  const bound = [];
  for (const p of points) {
    if (bound.some((b) => p.startsWith(`${b}/`)) || !fs.existsSync(p) || !fs.statSync(p).isDirectory()) continue;
    fs.mkdirSync(path.join(root, p), { recursive: true });
    run('mount', ['-n', '--rbind', p, path.join(root, p)]);
    bound.push(p);
  }
  // The pod's own folder is the host's (the test reads the logs and serves the sockets there): bound, not
  // overlaid, and without the root's tmpfs below it.
  fs.mkdirSync(path.join(root, spec.dir), { recursive: true });
  run('mount', ['-n', '--bind', spec.dir, path.join(root, spec.dir)]);
  const second = spawn('chroot', [root, process.execPath, __filename, process.argv[2], 'inside'], { stdio: 'inherit' });
  second.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return;
}

// Stage two, in the pod's root. Relative socket paths from here keep working when a mount hides the
// folder's absolute path.
process.chdir(spec.dir);
/** The mount point holding `file` (the longest mount point that is a prefix of its real path). */
function mountOf(file) {
  const real = fs.realpathSync(file);
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').map((l) => l.split(' ')[4])
    .filter((p) => p === '/' || real === p || real.startsWith(`${p}/`)).sort((a, b) => b.length - a.length)[0];
}
// Folders whose changes stay in the pod: its root, and overlays made here (on a tmpfs of the pod: an
// overlay's upper folder may not itself be on an overlay) over folders of the host's other mounts.
const scratch = path.join(spec.dir, 'overlays');
fs.mkdirSync(scratch, { recursive: true });
run('mount', ['-n', '-t', 'tmpfs', '-o', 'mode=0755,size=64m', 'omnia-pod-overlays', scratch]);
const writable = new Set(['/']);
function makeWritable(existing) {
  const real = fs.realpathSync(existing);
  if (writable.has(mountOf(real))) return;
  const id = String(writable.size);
  for (const d of ['upper', 'work']) fs.mkdirSync(path.join(scratch, id, d), { recursive: true });
  run('mount', ['-n', '-t', 'overlay', 'omnia-pod', '-o', `lowerdir=${real},upperdir=${path.join(scratch, id, 'upper')},workdir=${path.join(scratch, id, 'work')}`, real]);
  writable.add(real);
}
// First every mount point (an overlay hides what is mounted below it), then the binds, shallowest first.
for (const m of spec.mounts) {
  m.isFile = fs.statSync(m.source).isFile();
  const folder = m.isFile ? path.dirname(m.target) : m.target;
  if (!fs.existsSync(folder)) {
    let existing = folder;
    while (!fs.existsSync(existing)) existing = path.dirname(existing);
    makeWritable(existing);
    fs.mkdirSync(folder, { recursive: true });
  }
  if (m.isFile && !fs.existsSync(m.target)) {
    makeWritable(folder);
    fs.writeFileSync(m.target, '');
  }
}
for (const m of [...spec.mounts].sort((a, b) => a.target.split('/').length - b.target.split('/').length)) {
  run('mount', ['-n', '--bind', m.source, m.target]);
  if (m.readOnly) run('mount', ['-n', '-o', 'remount,bind,ro', m.target]);
  say(`mounted ${m.name} at ${m.target}${m.readOnly ? ' (read-only)' : ''}`);
}

function pipe(a, b) {
  a.pipe(b);
  b.pipe(a);
  const end = () => { a.destroy(); b.destroy(); };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}
// Out of the pod: a loopback address of the pod to a socket the test serves on the host.
for (const f of spec.outbound) {
  net.createServer((c) => pipe(c, net.connect(f.socket))).listen(f.port, f.address);
}
// Into the pod: a socket the test connects to, to a port of the pod's loopback.
for (const f of spec.inbound) {
  net.createServer((c) => pipe(c, net.connect(f.port, '127.0.0.1'))).listen(f.socket);
}

const children = new Map();
function start(c, restarts) {
  const out = fs.openSync(path.join(spec.dir, `${c.name}.log`), 'a');
  if (restarts > 0) fs.writeSync(out, `--- pod: restart ${restarts} of ${c.name} ---\n`);
  const child = spawn(c.command[0], c.command.slice(1), { env: c.env, cwd: c.workingDir ?? '/', stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.set(c.name, child);
  child.on('error', (e) => say(`${c.name}: could not start ${c.command[0]}: ${e.message}`));
  child.on('exit', (code, signal) => {
    say(`${c.name}: exited (${code ?? signal}), restart ${restarts + 1} in ${Math.min(10, 1 + restarts)} s`);
    setTimeout(() => start(c, restarts + 1), Math.min(10, 1 + restarts) * 1000);
  });
}
for (const c of spec.containers) start(c, 0);
// The test asks for a crash with a file `crash-<container>` (it cannot signal into the PID namespace).
setInterval(() => {
  for (const [name, child] of children) {
    if (!fs.existsSync(`crash-${name}`)) continue;
    fs.rmSync(`crash-${name}`);
    say(`${name}: killed (SIGKILL) as the test asked`);
    child.kill('SIGKILL');
  }
}, 100);
say(`started ${spec.containers.map((c) => c.name).join(', ')}`);
fs.writeFileSync(path.join(spec.dir, 'started'), '');
