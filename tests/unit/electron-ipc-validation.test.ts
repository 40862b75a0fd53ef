// The main process's HostApi handlers: sender checks and argument validation, with real files on disk.
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHostHandlers,
  readPickedFile,
  safeFileName,
  validateFilters,
  validateOpenFileRequest,
  validateSaveFileRequest,
  type DialogFilter,
  type HostIpcDeps,
} from '../../electron/ipc.js';
import { createIdentityKeyFile } from '../../electron/identity-key-file.js';
import { createFakeKeychain } from './fake-keychain.js';
import { APP_ORIGIN } from '../../electron/security/app-path.js';
import { MAX_HOST_FILE_BYTES, type AppInfo } from '../../shared/host-api.js';

const APP_FRAME = 'app://hearth/index.html';

describe('safeFileName', () => {
  it.each([
    ['notes.md', 'notes.md'],
    ['Session notes – 3 May.md', 'Session notes – 3 May.md'],
    ['../../.bashrc', 'bashrc'],
    ['..\\..\\Windows\\System32\\evil.dll', 'evil.dll'],
    ['/etc/passwd', 'passwd'],
    ['C:\\Users\\me\\notes.md', 'notes.md'],
    ['a:b*c?d"e<f>g|h.txt', 'abcdefgh.txt'],
    ['line\nbreak\u0000.txt', 'linebreak.txt'],
    ['invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['trailing dots...', 'trailing dots'],
    ['   spaced   ', 'spaced'],
    ['', 'untitled'],
    ['...', 'untitled'],
    ['folder/', 'untitled'],
    ['CON', 'untitled'],
    ['nul.txt', 'untitled'],
    ['com1.md', 'untitled'],
  ])('%j → %j', (input, output) => {
    expect(safeFileName(input)).toBe(output);
  });

  it('shortens a long name but keeps its extension', () => {
    const name = safeFileName(`${'long title '.repeat(40)}.md`);
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name.endsWith('.md')).toBe(true);
  });
});

describe('validateFilters', () => {
  it('accepts nothing as no filters and rebuilds valid ones without extra fields', () => {
    expect(validateFilters(undefined)).toEqual({ ok: true, value: [] });
    const input = [
      { name: 'Markdown', extensions: ['md', 'markdown'], extra: 'dropped' },
      { name: 'All files', extensions: ['*'] },
    ];
    expect(validateFilters(input)).toEqual({
      ok: true,
      value: [
        { name: 'Markdown', extensions: ['md', 'markdown'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
  });

  it.each([
    ['not a list', 'md'],
    ['null', null],
    ['a filter that is not an object', ['md']],
    ['a filter that is an array', [['Markdown', ['md']]]],
    ['a missing name', [{ extensions: ['md'] }]],
    ['an empty name', [{ name: '  ', extensions: ['md'] }]],
    ['a name with a newline', [{ name: 'A\nB', extensions: ['md'] }]],
    ['a very long name', [{ name: 'x'.repeat(101), extensions: ['md'] }]],
    ['no extensions', [{ name: 'None', extensions: [] }]],
    ['extensions not a list', [{ name: 'Md', extensions: 'md' }]],
    ['an extension with a dot', [{ name: 'Md', extensions: ['.md'] }]],
    ['an extension with a path', [{ name: 'Md', extensions: ['../md'] }]],
    ['a glob', [{ name: 'Md', extensions: ['*.md'] }]],
    ['a number as extension', [{ name: 'Md', extensions: [42] }]],
    ['too many extensions', [{ name: 'Md', extensions: Array.from({ length: 33 }, (_, i) => `e${i}`) }]],
    ['too many filters', Array.from({ length: 17 }, () => ({ name: 'Md', extensions: ['md'] }))],
  ])('refuses %s', (_name, value) => {
    expect(validateFilters(value).ok).toBe(false);
  });
});

describe('validateSaveFileRequest', () => {
  const data = new Uint8Array([1, 2, 3]);

  it('accepts a request, cleaning the suggested name', () => {
    expect(validateSaveFileRequest({ suggestedName: '../notes.md', data })).toEqual({
      ok: true,
      value: { suggestedName: 'notes.md', data, filters: [] },
    });
  });

  it('accepts a Buffer, which is a Uint8Array', () => {
    expect(validateSaveFileRequest({ suggestedName: 'a.bin', data: Buffer.from('hi') }).ok).toBe(true);
  });

  it('accepts exactly the size limit and refuses one byte more', () => {
    const atLimit = new Uint8Array(MAX_HOST_FILE_BYTES);
    expect(validateSaveFileRequest({ suggestedName: 'a.bin', data: atLimit }).ok).toBe(true);
    expect(validateSaveFileRequest({ suggestedName: 'a.bin', data: new Uint8Array(MAX_HOST_FILE_BYTES + 1) }).ok).toBe(false);
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'notes.md'],
    ['an array', ['notes.md', data]],
    [
      'a class instance',
      new (class Request {
        suggestedName = 'a';
        data = data;
      })(),
    ],
    ['no name', { data }],
    ['a name that is not text', { suggestedName: 42, data }],
    ['a huge name', { suggestedName: 'x'.repeat(2000), data }],
    ['no data', { suggestedName: 'a.md' }],
    ['data as text', { suggestedName: 'a.md', data: 'hello' }],
    ['data as a plain array', { suggestedName: 'a.md', data: [1, 2, 3] }],
    ['data as an ArrayBuffer', { suggestedName: 'a.md', data: new ArrayBuffer(3) }],
    ['data as another typed array', { suggestedName: 'a.md', data: new Uint16Array(3) }],
    ['data faking a byte length', { suggestedName: 'a.md', data: { byteLength: 3, length: 3 } }],
    ['bad filters', { suggestedName: 'a.md', data, filters: [{ name: 'x', extensions: ['../x'] }] }],
  ])('refuses %s', (_name, value) => {
    const verdict = validateSaveFileRequest(value);
    expect(verdict.ok).toBe(false);
  });
});

describe('validateOpenFileRequest', () => {
  it('accepts nothing, an empty request, and filters', () => {
    expect(validateOpenFileRequest(undefined)).toEqual({ ok: true, value: { filters: [] } });
    expect(validateOpenFileRequest({})).toEqual({ ok: true, value: { filters: [] } });
    expect(validateOpenFileRequest({ filters: [{ name: 'Text', extensions: ['txt'] }] })).toEqual({
      ok: true,
      value: { filters: [{ name: 'Text', extensions: ['txt'] }] },
    });
  });

  it.each([null, 'x', 1, [], { filters: 'txt' }, { filters: [{ name: 'T', extensions: ['t/x'] }] }])('refuses %j', (value) => {
    expect(validateOpenFileRequest(value).ok).toBe(false);
  });
});

describe('the handlers, with real files', () => {
  let dir: string;
  let saveTo: string | undefined;
  let openFrom: string | undefined;
  let opened: string[];
  let dialogs: { kind: 'save' | 'open'; defaultName?: string; filters: DialogFilter[] }[];
  const info: AppInfo = { name: 'Hearth', version: '0.1.0', mode: 'desktop', platform: 'linux', dataLocation: '/home/me/.config/Hearth' };

  const deps = (): HostIpcDeps => ({
    appOrigin: APP_ORIGIN,
    appInfo: () => info,
    network: () => ({ signalingUrls: ['ws://127.0.0.1:5318/signal'], icePolicy: 'all' }),
    openExternal: async (url) => {
      opened.push(url);
    },
    chooseSavePath: async ({ defaultName, filters }) => {
      dialogs.push({ kind: 'save', defaultName, filters });
      return saveTo;
    },
    chooseOpenPath: async ({ filters }) => {
      dialogs.push({ kind: 'open', filters });
      return openFrom;
    },
    identityKeys: createIdentityKeyFile(dir, createFakeKeychain()),
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hearth-ipc-'));
    saveTo = undefined;
    openFrom = undefined;
    opened = [];
    dialogs = [];
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    undefined,
    '',
    'https://evil.example/',
    'app://evil/index.html',
    'file:///index.html',
    'http://127.0.0.1:5173/',
    'devtools://devtools/',
  ])('refuses every method to a frame at %j, before touching anything', async (frameUrl) => {
    const handlers = createHostHandlers(deps());
    saveTo = path.join(dir, 'out.txt');
    await expect(handlers.getAppInfo(frameUrl, [])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.openExternal(frameUrl, ['https://example.com'])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.saveFile(frameUrl, [{ suggestedName: 'a.txt', data: new Uint8Array(1) }])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.openFile(frameUrl, [{}])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.loadIdentityKey(frameUrl, [])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.sealIdentityKey(frameUrl, [{}])).rejects.toThrow(/not the Hearth app/);
    expect(readdirSync(dir)).toEqual([]);
    expect(opened).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('getAppInfo answers the app, and refuses arguments', async () => {
    const handlers = createHostHandlers(deps());
    await expect(handlers.getAppInfo(APP_FRAME, [])).resolves.toEqual(info);
    await expect(handlers.getAppInfo(APP_FRAME, ['extra'])).rejects.toThrow(/no arguments/);
  });

  it('openExternal opens allowed links only, and says why it refused', async () => {
    const handlers = createHostHandlers(deps());
    await expect(handlers.openExternal(APP_FRAME, [' https://Example.com/x '])).resolves.toEqual({ opened: true });
    const refused = await handlers.openExternal(APP_FRAME, ['javascript:alert(1)']);
    expect(refused).toMatchObject({ opened: false });
    expect(refused.opened === false && refused.reason).toMatch(/javascript:/);
    await expect(handlers.openExternal(APP_FRAME, [{ toString: () => 'https://example.com' }])).resolves.toMatchObject({ opened: false });
    await expect(handlers.openExternal(APP_FRAME, [])).rejects.toThrow();
    await expect(handlers.openExternal(APP_FRAME, ['https://a.example', 'https://b.example'])).rejects.toThrow();
    expect(opened).toEqual(['https://example.com/x']);
  });

  it('openExternal reports a system failure instead of throwing', async () => {
    const handlers = createHostHandlers({ ...deps(), openExternal: async () => Promise.reject(new Error('no browser')) });
    await expect(handlers.openExternal(APP_FRAME, ['https://example.com'])).resolves.toMatchObject({ opened: false });
  });

  it('saveFile writes the bytes where the member chose, suggesting a cleaned name', async () => {
    const handlers = createHostHandlers(deps());
    saveTo = path.join(dir, 'chosen.md');
    const result = await handlers.saveFile(APP_FRAME, [
      { suggestedName: '../../.profile', data: new TextEncoder().encode('# Notes\n'), filters: [{ name: 'Markdown', extensions: ['md'] }] },
    ]);
    expect(result).toEqual({ saved: true, name: 'chosen.md' });
    expect(readFileSync(saveTo, 'utf8')).toBe('# Notes\n');
    expect(dialogs).toEqual([{ kind: 'save', defaultName: 'profile', filters: [{ name: 'Markdown', extensions: ['md'] }] }]);
  });

  it('saveFile writes nothing when the member cancels', async () => {
    const handlers = createHostHandlers(deps());
    await expect(handlers.saveFile(APP_FRAME, [{ suggestedName: 'a.txt', data: new Uint8Array(1) }])).resolves.toEqual({ saved: false });
  });

  it('saveFile refuses bad requests before showing a dialog', async () => {
    const handlers = createHostHandlers(deps());
    saveTo = path.join(dir, 'never.txt');
    await expect(handlers.saveFile(APP_FRAME, [{ suggestedName: 'a.txt', data: 'text' }])).rejects.toThrow(/Uint8Array/);
    await expect(handlers.saveFile(APP_FRAME, [])).rejects.toThrow();
    expect(dialogs).toEqual([]);
  });

  it('openFile reads the chosen file', async () => {
    const handlers = createHostHandlers(deps());
    openFrom = path.join(dir, 'resource.txt');
    writeFileSync(openFrom, 'hello');
    const result = await handlers.openFile(APP_FRAME, [{ filters: [{ name: 'Text', extensions: ['txt'] }] }]);
    expect(result).toEqual({ opened: true, name: 'resource.txt', data: new TextEncoder().encode('hello') });
    expect(result.opened && result.data).toBeInstanceOf(Uint8Array);
    await expect(handlers.openFile(APP_FRAME, [])).resolves.toMatchObject({ opened: true });
  });

  it('openFile returns nothing when the member cancels, and refuses bad filters before any dialog', async () => {
    const handlers = createHostHandlers(deps());
    await expect(handlers.openFile(APP_FRAME, [{}])).resolves.toEqual({ opened: false });
    await expect(handlers.openFile(APP_FRAME, [{ filters: [{ name: 'x', extensions: ['a.b'] }] }])).rejects.toThrow();
    expect(dialogs).toHaveLength(1);
  });

  it('openFile refuses a file over the size limit and a folder', async () => {
    const handlers = createHostHandlers(deps());
    openFrom = path.join(dir, 'huge.bin');
    writeFileSync(openFrom, '');
    truncateSync(openFrom, MAX_HOST_FILE_BYTES + 1);
    await expect(handlers.openFile(APP_FRAME, [{}])).rejects.toThrow(/larger than 64 MB/);
    openFrom = dir;
    await expect(handlers.openFile(APP_FRAME, [{}])).rejects.toThrow(/regular files/);
  });
});

describe('readPickedFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hearth-read-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file exactly at the limit and refuses one byte more', async () => {
    const file = path.join(dir, 'f.bin');
    writeFileSync(file, 'abcd');
    await expect(readPickedFile(file, 4)).resolves.toEqual(new TextEncoder().encode('abcd'));
    await expect(readPickedFile(file, 3)).rejects.toThrow(/larger/);
  });

  it('reads an empty file', async () => {
    const file = path.join(dir, 'empty');
    writeFileSync(file, '');
    await expect(readPickedFile(file)).resolves.toEqual(new Uint8Array(0));
  });

  it('fails clearly for a missing file', async () => {
    await expect(readPickedFile(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
