// The end-to-end proof for the release target: the Omnia manager, built from its Go module at the pinned
// tag, runs against a kube-apiserver of its own with a token of the ServiceAccount our install creates,
// on the synthesized install and example app, and we read back what it did. No kubelet: Deployments stay
// at 0 ready replicas, so agents stay Pending, which is what the operator reports for them.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { OMNIA_GROUP, OMNIA_RELEASE } from '../../lib/api';
import { ControlPlaneInfo, kubectl, ok, startControlPlane, stopControlPlane } from './control-plane';
import {
  buildOperator, controllerStarts, controlPlaneBinDir, createToken, findManager, httpGet, mountsToken,
  OperatorProcess, rbacDenials, readLog, startOperator, stopOperator, StopWaiting, tailLog, waitFor, whoami,
} from './operator';
import { controlPlane, resultsDir } from './results';
import { ModelStandIn, randomLoopbackAddress } from './stand-ins';

const root = path.join(__dirname, '..', '..');
const tag = OMNIA_RELEASE;
const shared = controlPlane();
// The release examples: the install and its apps, the enterprise edition (the manager with --enterprise), and
// the features app (one namespace per feature of the release, in typed props).
// OMNIA_RELEASE_DIST points at another folder of manifests instead (to try an install by hand).
const distDirs = process.env.OMNIA_RELEASE_DIST
  ? [process.env.OMNIA_RELEASE_DIST]
  : [`omnia-${tag}`, `omnia-${tag}-enterprise`, `omnia-${tag}-features`].map((d) => path.join(root, 'dist', d));

describe.each(distDirs.map((d) => [path.relative(root, d), d]))('%s', (_label, distDir: string) => operatorSuite(distDir));

/** The whole check of one folder: a control plane of its own, the manager on it, and what it did. */
function operatorSuite(distDir: string): void {

  // Read at collection time so that each agent of the example gets its own tests.
  if (!fs.existsSync(distDir)) {
    throw new Error(`${path.relative(root, distDir)} is missing: run \`npx cdk8s synth\` first (it writes the ${tag} install there)`);
  }
  const files = fs.readdirSync(distDir).filter((f) => f.endsWith('.yaml')).sort();
  const objects: any[] = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(distDir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o);
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const others = objects.filter((o) => o.kind !== 'CustomResourceDefinition');
  const isOmnia = (o: any) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${OMNIA_GROUP}/`);
  const agents = others.filter((o) => isOmnia(o) && o.kind === 'AgentRuntime');
  const { deployment: managerDeployment } = findManager(others);
  const operatorNs: string = managerDeployment.metadata.namespace;
  const operatorSa: string = managerDeployment.spec.template.spec.serviceAccountName ?? 'default';
  const expectedUser = `system:serviceaccount:${operatorNs}:${operatorSa}`;
  const key = (o: any) => `${o.metadata.namespace}/${o.metadata.name}`;
  const find = (kind: string, namespace: string, name: string) =>
    others.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace);

  let info: ControlPlaneInfo;
  let op: OperatorProcess | undefined;
  // A model server for each host the Providers' base URLs name (the operator probes them), on a loopback
  // address of its own that the manager's /etc/hosts gives that name.
  const modelServers: ModelStandIn[] = [];
  const hosts: Record<string, string> = {};
  let identity = '';
  let ready = false;
  let startSeconds = 0;
  let controllers = 0;
  const reconciled = new Set<string>();
  const enterprise = managerDeployment.spec.template.spec.containers.some((c: any) => (c.args ?? []).includes('--enterprise'));
  // Every Omnia object of the folder; those of kinds whose controller the manager started must get a status.
  const omniaObjects = others.filter(isOmnia);
  const reconciledObjects = new Set<string>();
  let unserved: any[] = [];
  const kindsOf = (list: any[]) => [...new Set(list.map((o) => o.kind as string))].sort();
  const objectKey = (o: any) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  const suiteStart = Date.now();

  const getJson = async (args: string[]) => JSON.parse(ok(await kubectl(info, [...args, '-o', 'json'])));
  const context = () => (op ? `\n--- manager log (tail) ---\n${tailLog(op)}` : '');
  const alive = () => {
    if (op && (op.child.exitCode !== null || op.child.signalCode !== null)) {
      throw new StopWaiting(`the manager exited (${op.child.exitCode ?? op.child.signalCode})${context()}`);
    }
  };

  beforeAll(async () => {
    if (process.env.OMNIA_OPERATOR_BUILD_ERROR) throw new Error(process.env.OMNIA_OPERATOR_BUILD_ERROR);
    expect(omniaObjects.length).toBeGreaterThan(0);
    // A control plane of its own: the release's CRDs share names with the documented ones other files apply.
    info = await startControlPlane(controlPlaneBinDir(shared));
    const baseUrls = new Set(omniaObjects.filter((o) => o.kind === 'Provider' && o.spec?.baseURL).map((o) => new URL(o.spec.baseURL)));
    // Plain http only: the stand-in has no certificate.
    for (const url of baseUrls) {
      if (hosts[url.hostname] || url.protocol !== 'http:' || /^[\d.]+$/.test(url.hostname)) continue;
      hosts[url.hostname] = randomLoopbackAddress();
      modelServers.push(await ModelStandIn.start(hosts[url.hostname], Number(url.port || 80)));
    }
  }, 120_000);

  afterAll(async () => {
    await stopOperator(op, { keepDir: true });
    const log = op ? readLog(op) : '';
    if (op) {
      // Kept for a look after a failure; overwritten by the next run.
      const keep = path.join(root, '.cache', 'operator', 'last-run.log');
      fs.mkdirSync(path.dirname(keep), { recursive: true });
      fs.writeFileSync(keep, log);
    }
    if (info) stopControlPlane(info);
    await Promise.all(modelServers.map((m) => m.close()));
    const denials = rbacDenials(log).length;
    const edition = `operator ${tag}${enterprise ? ' --enterprise' : ''}`;
    const objectsLine = `${reconciled.size} agents and ${reconciledObjects.size} of ${omniaObjects.length} Omnia objects (${kindsOf(omniaObjects).length} kinds) reconciled`
      + (unserved.length ? `, ${unserved.length} admitted with no controller in the manager (${kindsOf(unserved).join(', ')})` : '');
    const line = ready
      ? `${edition}: ready as ${identity}, ${objectsLine}, ${denials} RBAC denials`
      : `${edition}: not ready${op ? '' : ' (never started)'}, ${objectsLine}, ${denials} RBAC denials`;
    const dir = resultsDir(shared);
    fs.mkdirSync(dir, { recursive: true });
    const detail = `operator ${tag}: ${op?.mode ?? 'not started'}${op?.fallbackReason ? ` (${op.fallbackReason})` : ''}, `
      + `${ready ? `${controllers} controllers started ${startSeconds.toFixed(1)} s after launch` : 'not ready'}, ${((Date.now() - suiteStart) / 1000).toFixed(0)} s for the file`;
    fs.writeFileSync(path.join(dir, `operator-${path.basename(distDir)}.json`), JSON.stringify({ detail, line }));
  }, 60_000);

  test(`the ${crds.length} CRDs of ${tag} are accepted and become Established`, async () => {
    expect(crds.length).toBeGreaterThan(0);
    const input = crds.map((c) => JSON.stringify(c)).join('\n');
    ok(await kubectl(info, ['apply', '-f', '-'], { input }));
    ok(await kubectl(info, ['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]));
    for (const c of crds) {
      const stored = await getJson(['get', 'crd', c.metadata.name]);
      const conditions = Object.fromEntries(stored.status.conditions.map((x: any) => [x.type, x.status]));
      expect({ name: c.metadata.name, ...conditions }).toMatchObject({ name: c.metadata.name, Established: 'True', NamesAccepted: 'True' });
      expect(conditions.NonStructuralSchema).toBeUndefined();
    }
  });

  test('the install and the example app apply, every object', async () => {
    const ordered = [...others].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
    const out = await kubectl(info, ['apply', '-f', '-'], { input: ordered.map((o) => JSON.stringify(o)).join('\n') });
    ok(out);
    expect(out.stdout.trim().split('\n').filter((l) => / (created|configured|unchanged)$/.test(l))).toHaveLength(others.length);
    // Credentials stay out of manifests: a Secret a Provider names but the app does not hold is made here,
    // as its user would, with a value of the test's own.
    for (const p of others.filter((o) => isOmnia(o) && o.kind === 'Provider' && o.spec?.credential?.secretRef)) {
      const ns: string = p.metadata.namespace;
      const { name, key: secretKey } = p.spec.credential.secretRef;
      if (find('Secret', ns, name) || (await kubectl(info, ['get', 'secret', name, '-n', ns])).code === 0) continue;
      ok(await kubectl(info, ['create', 'secret', 'generic', name, '-n', ns, `--from-literal=${secretKey ?? 'api-key'}=test-${Date.now()}`]));
      process.stderr.write(`operator test: created Secret ${ns}/${name} (key ${secretKey ?? 'api-key'}), which the manifests leave to their user\n`);
    }
  });

  test(`the manager starts as ${expectedUser}, becomes ready and starts every controller`, async () => {
    const sa = find('ServiceAccount', operatorNs, operatorSa);
    expect(sa).toBeDefined();
    if (!mountsToken(managerDeployment, sa)) {
      throw new Error(`the pods of Deployment ${operatorNs}/${managerDeployment.metadata.name} get no ServiceAccount token `
        + '(automountServiceAccountToken: false on the pod, or on the ServiceAccount with nothing on the pod): the manager could not reach the API server');
    }

    op = await startOperator(info, {
      binDir: process.env.OMNIA_OPERATOR_BIN ?? await buildOperator(tag),
      objects: others,
      dir: fs.mkdtempSync(path.join(info.dir, 'operator-')),
      hosts,
    });
    if (op.fallbackReason) process.stderr.write(`operator test: running with a kubeconfig, not in-cluster: ${op.fallbackReason}\n`);
    identity = await whoami(info, op.token);
    expect(identity).toBe(expectedUser);

    const health = `http://127.0.0.1:${op.flags.healthPort}`;
    await waitFor(async () => { alive(); return (await httpGet(`${health}/readyz`)).status === 200 ? true : undefined; },
      60_000, () => `/readyz did not answer 200 within 60 s${context()}`);
    expect((await httpGet(`${health}/healthz`)).body).toBe('ok');

    // Workers start only after the caches of a controller synced, which needs list and watch on each kind.
    // Done when every announced controller has workers and no new one was announced for 3 s.
    let previous = '';
    let stableSince = Date.now();
    let deniedSince: number | undefined;
    const starts = await waitFor(async () => {
      alive();
      const log = readLog(op!);
      const s = controllerStarts(log);
      // A denial does not go away: stop waiting for the cache-sync timeout (2 min) soon after one.
      const denied = rbacDenials(log);
      if (denied.length > 0) deniedSince ??= Date.now();
      const complete = s.announced.length > 0 && s.started.length === s.announced.length;
      if (deniedSince && Date.now() - deniedSince > 15_000 && !complete) {
        throw new StopWaiting(`RBAC denials while starting:\n${denied.slice(0, 5).join('\n')}${context()}`);
      }
      const now = JSON.stringify(s);
      if (now !== previous) { previous = now; stableSince = Date.now(); }
      return complete && Date.now() - stableSince > 3000 ? s : undefined;
    }, 180_000, () => `not every controller started its workers: ${previous}${context()}`, 200);
    expect(starts.started).toEqual(starts.announced);
    expect(starts.started).toEqual(expect.arrayContaining(['agentruntime', 'promptpack', 'provider', 'toolregistry']));
    startSeconds = (stableSince - op.startedAt) / 1000;
    controllers = starts.started.length;
    ready = true;

    if (op.mode === 'in-cluster') {
      // Leader election found its namespace in the mounted namespace file and holds the lease there.
      const lease = await getJson(['get', 'lease', '4416a20d.altairalabs.ai', '-n', operatorNs]);
      expect(lease.spec.holderIdentity).toMatch(new RegExp(`^${op.pod.podName}_`));
    }
  }, 300_000);

  // The enterprise example has no agent: its folder is about the enterprise kinds.
  if (agents.length) describe.each(agents.map((a) => [key(a), a]))('AgentRuntime %s', (_name, agent: any) => {
    const ns: string = agent.metadata.namespace;
    const name: string = agent.metadata.name;
    const facades: any[] = agent.spec.facades ?? [];
    // The release's choice of the Service's port: the first websocket facade, else rest, else a2a, else 8080.
    const primary = ['websocket', 'rest', 'a2a'].map((t) => facades.find((f) => f.type === t)).find((f) => f);
    const facadePort: number = primary?.port ?? 8080;
    const passed = new Set<string>();

    test(`gets a Deployment and a Service owned by it, the Service on facade port ${facadePort}`, async () => {
      expect(ready).toBe(true);
      const owner = await getJson(['get', 'agentruntime', name, '-n', ns]);
      const [deployment, service] = await waitFor(async () => {
        alive();
        const d = await kubectl(info, ['get', 'deployment', name, '-n', ns, '-o', 'json']);
        const s = await kubectl(info, ['get', 'service', name, '-n', ns, '-o', 'json']);
        return d.code === 0 && s.code === 0 ? [JSON.parse(d.stdout), JSON.parse(s.stdout)] : undefined;
      }, 60_000, () => `no Deployment and Service ${ns}/${name} after 60 s${context()}`);
      for (const o of [deployment, service]) {
        expect(o.metadata.ownerReferences).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'AgentRuntime', name, uid: owner.metadata.uid, controller: true })]));
      }
      expect(service.spec.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'facade', port: facadePort })]));
      // The release's other listeners: an a2a facade beside a websocket one on a2a.port, an mcp facade on mcp.port.
      const a2a = facades.find((f) => f.type === 'a2a');
      if (a2a && primary !== a2a) expect(service.spec.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'a2a', port: a2a.a2a?.port ?? 9999 })]));
      const mcp = facades.find((f) => f.type === 'mcp');
      if (mcp) expect(service.spec.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mcp', port: mcp.mcp?.port ?? 9998 })]));
      const containerPorts = deployment.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
      expect(containerPorts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'facade', containerPort: facadePort })]));
      // The install pins the agent images to the release; the operator's own default would be :latest.
      for (const c of deployment.spec.template.spec.containers) expect(`${c.name} ${c.image}`).toMatch(new RegExp(`^${c.name} \\S+:v?${tag.replace(/^v/, '').replace(/\./g, '\\.')}$`));
      // With a workspace reader role in the flags the operator binds it to the agent's ServiceAccount, which
      // RBAC allows only if the operator holds every permission of that role.
      const reader = op!.flags.args.map((a) => /^--?agent-workspace-reader-clusterrole=(.+)$/.exec(a)?.[1]).find((r) => r);
      if (reader) {
        const binding = await waitFor(async () => {
          const r = await kubectl(info, ['get', 'clusterrolebinding', `${ns}-${name}-workspace-reader`, '-o', 'json']);
          return r.code === 0 ? JSON.parse(r.stdout) : undefined;
        }, 30_000, () => `no ClusterRoleBinding ${ns}-${name}-workspace-reader to ${reader}${context()}`);
        expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: reader });
        expect(binding.subjects).toEqual([expect.objectContaining({ kind: 'ServiceAccount', name: deployment.spec.template.spec.serviceAccountName, namespace: ns })]);
      }
      passed.add('deployment');
    }, 180_000);

    test('its providers reach phase Ready, with the key their secretRef names present in the Secret', async () => {
      expect(ready).toBe(true);
      expect(agent.spec.providers?.length).toBeGreaterThan(0);
      for (const entry of agent.spec.providers) {
        const ref = entry.providerRef;
        const pns = ref.namespace ?? ns;
        let seen: any;
        const provider = await waitFor(async () => {
          const p = seen = await getJson(['get', 'provider', ref.name, '-n', pns]);
          return p.status?.phase === 'Ready' && p.status?.observedGeneration === p.metadata.generation ? p : undefined;
        }, 60_000, () => `Provider ${pns}/${ref.name} not Ready: status ${JSON.stringify(seen?.status)}${context()}`);
        const secretRef = provider.spec.credential?.secretRef;
        expect(secretRef).toEqual(expect.objectContaining({ name: expect.any(String), key: expect.any(String) }));
        const secret = await getJson(['get', 'secret', secretRef.name, '-n', pns]);
        expect(Object.keys(secret.data ?? {})).toContain(secretRef.key);
        // The operator read that key through the API (no env var carries it to the pod).
        const conditions = Object.fromEntries(provider.status.conditions.map((c: any) => [c.type, [c.status, c.reason]]));
        expect(conditions).toMatchObject({ SecretFound: ['True', 'SecretFound'], CredentialConfigured: ['True', 'SecretFound'] });
        // The agent's runtime reads the Provider and that Secret itself, as its pod's ServiceAccount.
        const podSa = (await getJson(['get', 'deployment', name, '-n', ns])).spec.template.spec.serviceAccountName;
        for (const resource of [`providers.${OMNIA_GROUP}/${ref.name}`, `secrets/${secretRef.name}`]) {
          const can = await kubectl(info, ['auth', 'can-i', 'get', resource, '-n', pns, `--as=system:serviceaccount:${ns}:${podSa}`]);
          expect(`${resource}: ${can.stdout.trim()}`).toBe(`${resource}: yes`);
        }
      }
      passed.add('provider');
    }, 180_000);

    test('its Deployment mounts the PromptPack\'s ConfigMap in every container', async () => {
      expect(ready).toBe(true);
      const pack = await getJson(['get', 'promptpack', agent.spec.promptPackRef.name, '-n', ns]);
      const configMap: string = pack.spec.source.configMapRef.name;
      const spec = (await getJson(['get', 'deployment', name, '-n', ns])).spec.template.spec;
      const volume = (spec.volumes ?? []).find((v: any) => v.configMap?.name === configMap);
      expect(volume).toBeDefined();
      for (const c of spec.containers) {
        expect({ container: c.name, mounts: (c.volumeMounts ?? []).map((m: any) => m.name) }).toEqual({ container: c.name, mounts: expect.arrayContaining([volume.name]) });
      }
      passed.add('pack');
    });

    test('has a status written by the operator: phase, conditions, endpoint', async () => {
      expect(ready).toBe(true);
      let seen: any;
      const status = await waitFor(async () => {
        const s = seen = (await getJson(['get', 'agentruntime', name, '-n', ns])).status;
        const types = new Set((s?.conditions ?? []).filter((c: any) => c.status === 'True').map((c: any) => c.type));
        return s?.phase && ['PromptPackReady', 'ProviderReady', 'DeploymentReady', 'ServiceReady'].every((t) => types.has(t)) ? s : undefined;
      }, 60_000, () => `AgentRuntime ${ns}/${name} has no complete status: ${JSON.stringify(seen)}${context()}`);
      // Without a kubelet no pod becomes ready: the operator says it waits for them.
      expect(status.phase).toBe('Pending');
      expect(status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False' })]));
      expect(status.serviceEndpoint).toBe(`${name}.${ns}.svc.cluster.local:${facadePort}`);
      if (passed.size === 3) reconciled.add(key(agent));
    }, 180_000);
  });

  test('every Omnia object of a kind whose controller the manager started gets a status from it', async () => {
    expect(ready).toBe(true);
    const started = new Set(controllerStarts(readLog(op!)).started);
    const served = omniaObjects.filter((o) => started.has(o.kind.toLowerCase()));
    unserved = omniaObjects.filter((o) => !started.has(o.kind.toLowerCase()));
    // The enterprise controllers run with --enterprise only; the Arena kinds' run in the arena controller.
    if (enterprise) expect([...started]).toEqual(expect.arrayContaining(['sessionprivacypolicy', 'toolpolicy']));
    for (const o of served) {
      const args = ['get', o.kind, o.metadata.name, ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : [])];
      let seen: any;
      await waitFor(async () => {
        alive();
        seen = await getJson(args);
        const status = seen.status ?? {};
        const observed = status.observedGeneration === undefined || status.observedGeneration === seen.metadata.generation;
        return Object.keys(status).length > 0 && observed ? status : undefined;
      }, 60_000, () => `${objectKey(o)} has no status from the operator: ${JSON.stringify(seen?.status)}${context()}`);
      reconciledObjects.add(objectKey(o));
      // The operator accepts every handler the library writes (retry policies, mappings, auth forms included).
      if (o.kind === 'ToolRegistry') {
        const valid = (seen.status.conditions ?? []).find((c: any) => c.type === 'HandlersValid');
        expect({ registry: objectKey(o), status: valid?.status, message: valid?.message }).toEqual({ registry: objectKey(o), status: 'True', message: expect.any(String) });
      }
    }
    expect(reconciledObjects.size).toBe(served.length);
  }, 300_000);

  const metricsReader = others.find((o) => o.kind === 'ClusterRole'
    && (o.rules ?? []).some((r: any) => (r.nonResourceURLs ?? []).includes('/metrics') && (r.verbs ?? []).includes('get')));

  test('the metrics endpoint answers a scraper bound to the metrics reader role, and refuses others', async () => {
    expect(ready).toBe(true);
    if (op!.flags.metricsPort === undefined) {
      // Nothing to scrape; say so rather than pass quietly.
      process.stderr.write('operator test: the install disables metrics (--metrics-bind-address); the scrape test checks nothing\n');
      return;
    }
    expect(op!.flags.metricsSecure).toBe(true);
    expect(metricsReader).toBeDefined();
    const manifest = (name: string, roleRef?: string) => [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' } },
      ...(roleRef ? [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `test-${name}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleRef },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }] }] : []),
    ];
    const input = [...manifest('metrics-scraper', metricsReader.metadata.name), ...manifest('not-a-scraper')].map((o) => JSON.stringify(o)).join('\n');
    ok(await kubectl(info, ['apply', '-f', '-'], { input }));
    const url = `https://127.0.0.1:${op!.flags.metricsPort}/metrics`;
    const scraper = await createToken(info, 'default', 'metrics-scraper', '1h');
    const other = await createToken(info, 'default', 'not-a-scraper', '1h');
    const scrape = await waitFor(async () => {
      const r = await httpGet(url, scraper);
      return r.status === 200 ? r : undefined;
    }, 60_000, () => `no authorized scrape of ${url}${context()}`);
    expect(scrape.body).toMatch(/^controller_runtime_reconcile_total\{controller="agentruntime"/m);
    expect((await httpGet(url)).status).toBe(401);
    expect((await httpGet(url, other)).status).toBe(403);
  }, 120_000);

  test('the manager is still running and its log has no RBAC denial', async () => {
    expect(ready).toBe(true);
    alive();
    expect(rbacDenials(readLog(op!))).toEqual([]);
  });
}
