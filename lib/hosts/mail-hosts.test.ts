import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import gmailScript from '../../entrypoints/gmail.content/index';
import outlookScript from '../../entrypoints/outlook.content/index';
import { MAIL_HOSTS as BACKGROUND_MAIL_HOSTS } from '../background/start';
import {
  edgeMayBlockCloudMicrosoft,
  isMailPage,
  MAIL_HOSTS,
  mailHostsFor,
  matchPatterns,
  outlookDeeplinkBase,
} from './mail-hosts';

describe('the one list of mail hosts', () => {
  it('names Outlook’s four origins, outlook.cloud.microsoft among them, and Gmail', () => {
    expect(MAIL_HOSTS.map((h) => h.origin).sort()).toEqual([
      'https://mail.google.com',
      'https://outlook.cloud.microsoft',
      'https://outlook.live.com',
      'https://outlook.office.com',
      'https://outlook.office365.com',
    ]);
  });

  it('gives the content scripts their matches (this test build: the demo inbox too)', () => {
    const hosts = mailHostsFor(import.meta.env.MODE);
    expect(outlookScript.matches).toEqual(matchPatterns(hosts, 'outlook'));
    expect(outlookScript.matches).toContain('https://outlook.cloud.microsoft/*');
    expect(outlookScript.matches).toContain('http://127.0.0.1/demo/*');
    expect(gmailScript.matches).toEqual(['https://mail.google.com/*']);
  });

  it('gives the background its mail hosts, which its sender check and mail-tab query use', () => {
    expect(BACKGROUND_MAIL_HOSTS).toEqual(mailHostsFor(import.meta.env.MODE));
    const start = fs.readFileSync(path.resolve('lib/background/start.ts'), 'utf8');
    expect(start).toContain('(url) => isMailPage(url, MAIL_HOSTS)');
    expect(start).toContain('matchPatterns(MAIL_HOSTS)');
  });

  it('keeps the demo inbox out of production builds', () => {
    expect(mailHostsFor('production').some((h) => h.demo)).toBe(false);
    expect(matchPatterns(mailHostsFor('production')).some((p) => p.startsWith('http:'))).toBe(false);
    for (const mode of ['development', 'test', 'demo'])
      expect(mailHostsFor(mode).filter((h) => h.demo)).toEqual([
        { kind: 'outlook', origin: 'http://127.0.0.1:8025', path: '/demo/', demo: true },
      ]);
    expect(mailHostsFor('demo', 'http://127.0.0.1:9025').find((h) => h.demo)?.origin).toBe(
      'http://127.0.0.1:9025',
    );
  });

  it('tells a mail page by exact origin and path, not by a look-alike', () => {
    const dev = mailHostsFor('development');
    expect(isMailPage('https://outlook.cloud.microsoft/mail/inbox', dev)).toBe(true);
    expect(isMailPage('http://127.0.0.1:8025/demo/inbox', dev)).toBe(true);
    for (const url of [
      'https://outlook.cloud.microsoft.evil.example/mail/',
      'http://outlook.office.com/mail/',
      'http://127.0.0.1:8025/__sandbox/',
      'https://mail.google.com:8443/',
      'not a url',
    ])
      expect(isMailPage(url, dev), url).toBe(false);
  });

  it('builds Outlook’s compose deeplink on the origin the rep is on', () => {
    expect(outlookDeeplinkBase('https://outlook.cloud.microsoft/mail/inbox', MAIL_HOSTS)).toBe(
      'https://outlook.cloud.microsoft',
    );
    expect(outlookDeeplinkBase('https://outlook.live.com/mail/0/', MAIL_HOSTS)).toBe(
      'https://outlook.live.com',
    );
    expect(outlookDeeplinkBase('https://example.com/', MAIL_HOSTS)).toBe('https://outlook.office.com');
  });

  it('says when the browser is an Edge that may block extensions on *.cloud.microsoft', () => {
    const edge = (v: number) =>
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`;
    expect(edgeMayBlockCloudMicrosoft(edge(150))).toBe(true);
    expect(edgeMayBlockCloudMicrosoft(edge(149))).toBe(false);
    expect(edgeMayBlockCloudMicrosoft(edge(150).replace(/ Edg\/.*/, ''))).toBe(false);
  });

  it('is the only place in the extension’s code that names a mail host', () => {
    const ALLOWED = [
      'lib/hosts/mail-hosts.ts',
      // TODO(2026-12-07): engineer D's build modes name Gmail for InboxSDK's host permission; to derive it
      // from matchPatterns(MAIL_HOSTS, 'gmail') once their change lands.
      'lib/build/modes.ts',
    ];
    const names = MAIL_HOSTS.map((h) => new URL(h.origin).hostname);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          const text = fs.readFileSync(file, 'utf8');
          for (const name of names)
            if (text.includes(`//${name}`) && !ALLOWED.some((f) => file.endsWith(f)))
              offenders.push(`${file}: ${name}`);
        }
      }
    };
    walk(path.resolve('lib'));
    walk(path.resolve('entrypoints'));
    expect(offenders).toEqual([]);
  });
});
