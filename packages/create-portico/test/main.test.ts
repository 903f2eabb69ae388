import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import { main } from '../src';

const root = mkdtempSync(join(tmpdir(), 'create-portico-main-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the command with fake streams; `answers` are typed into a stdin that says it is a terminal when `tty`. */
async function run(argv: string[], options: { tty?: boolean; answers?: string[] } = {}): Promise<{ code: number; out: string; err: string }> {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    // Answer each question as it is asked, as a person at a terminal would.
    if (out.trimEnd().endsWith(')') && options.answers !== undefined && options.answers.length > 0) stdin.write(`${options.answers.shift()}\n`);
  });
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  if (options.tty !== true) stdin.end();
  const code = await main(argv, { stdin, stdout, stderr, cwd: root });
  return { code, out, err };
}

describe('create-portico', () => {
  it('without a terminal, takes the minimal template and asks nothing', async () => {
    const result = await run(['quiet']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).not.toMatch(/Template\?/);
    expect(result.out).toContain('Created quiet from the minimal template.');
    expect(result.out).toMatch(/Next:\n {2}cd quiet\n {2}npm install\n {2}npm start .*\n {2}npm test\n/);
    expect(readdirSync(join(root, 'quiet'))).toContain('app.ts');
  });

  it('without a terminal or a folder, says to name one', async () => {
    const result = await run([]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^create-portico: Name the project folder: create-portico my-app/);
  });

  it('in a terminal, asks for the folder and the template', async () => {
    const result = await run([], { tty: true, answers: ['asked', 'chat'] });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/Project folder\? \(my-portico-app\)/);
    expect(result.out).toMatch(/1\. minimal .*\n {2}2\. api .*\n {2}3\. chat /);
    expect(result.out).toContain('Created asked from the chat template.');
    expect(readdirSync(join(root, 'asked'))).toContain('rooms.ts');
  });

  it('with --template, asks nothing even in a terminal', async () => {
    const result = await run(['flagged', '--template', 'chat'], { tty: true });
    expect(result.out).not.toMatch(/Template\?/);
    expect(result.out).toContain('from the chat template');
  });

  it('refuses an unknown template, listing the others', async () => {
    expect((await run(['x', '--template', 'vue'])).err).toBe("create-portico: There is no template 'vue': pick one of minimal, api, chat.\n");
  });

  it('generates the api template', async () => {
    const result = await run(['shop', '--template', 'api']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(readdirSync(join(root, 'shop'))).toEqual(expect.arrayContaining(['app.ts', 'items.ts']));
  });

  it('refuses a folder that is not empty, with exit code 1', async () => {
    await run(['twice']);
    const again = await run(['twice']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is not empty .*pass --force/);
    expect((await run(['twice', '--force'])).code).toBe(0);
  });

  it('from a clone without --tarballs, says how to install the unpublished packages', async () => {
    expect((await run(['hinted'])).out).toMatch(/not on npm yet[\s\S]*--tarballs <dir>/);
  });

  it('prints the usage with --help', async () => {
    expect((await run(['--help'])).out).toMatch(/^Usage: create-portico \[directory\] \[options\]/);
  });
});
