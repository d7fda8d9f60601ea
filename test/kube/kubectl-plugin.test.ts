/**
 * The kubectl plugin: with bin/ on PATH, the real kubectl finds `kubectl-hpa_lab` and runs
 * `kubectl hpa-lab ...` (krew naming: `-` in the command is `_` in the file name).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type RunningFake } from './fake-kube-api.js';
import { asrWorld } from './worlds.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const BIN = fileURLToPath(new URL('../../bin', import.meta.url));
const env = { ...process.env, PATH: `${BIN}:${process.env['PATH'] ?? ''}` };

let fake: RunningFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe.skipIf(!existsSync(KUBECTL))(`kubectl hpa-lab (needs ${KUBECTL})`, () => {
  it('kubectl lists the plugin and runs --help', async () => {
    const list = await run(KUBECTL, ['plugin', 'list'], { env }).catch((e: { stdout: string }) => e);
    expect(list.stdout).toContain('kubectl-hpa_lab');
    const help = await run(KUBECTL, ['hpa-lab', '--help'], { env });
    expect(help.stdout).toContain('Usage: hpa-lab COMMAND [options]');
    expect(help.stdout).toMatch(/\n\s+scan\s/);
  }, 60_000);

  it('kubectl hpa-lab explain --cluster NAME reads the cluster of the kubeconfig', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const out = await run(KUBECTL, ['hpa-lab', 'explain', '--cluster', '-n', 'smallest', 'lightning-asr'], { env: { ...env, KUBECONFIG: fake.kubeconfig } });
    expect(out.stdout).toContain('HPA smallest/lightning-asr (context fake');
    expect(out.stdout).toContain('desiredReplicas 3');
  }, 60_000);

  it('exits 1 with one line when the cluster is unreachable', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const kubeconfig = fake.kubeconfig;
    await fake.close();
    fake = undefined;
    const err = (await run(KUBECTL, ['hpa-lab', 'scan', '--cluster', '-A', '--request-timeout', '1'], { env: { ...env, KUBECONFIG: kubeconfig } }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/^hpa-lab scan: context 'fake': cannot read horizontalpodautoscalers in all namespaces: the API server http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED after 3 attempts\)/);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
