import { describe, expect, it } from 'vitest';
import { appIdProblem, loadReporting } from './app-id';

describe('the InboxSDK app id', () => {
  it('is missing when the build was given none', () => {
    expect(appIdProblem(undefined)).toBe('no_app_id');
    expect(appIdProblem('  ')).toBe('no_app_id');
  });

  it('is malformed unless it is sdk_<name>_<10 hex digits>, as InboxSDK checks it', () => {
    expect(appIdProblem('sdk_threadline_0123456789')).toBeUndefined();
    expect(appIdProblem('sdk_threadline_0123456789ab')).toBe('invalid_app_id');
    expect(appIdProblem('sdk_tl_0123456789')).toBe('invalid_app_id');
    expect(appIdProblem('threadline')).toBe('invalid_app_id');
  });
});

describe('loading InboxSDK', () => {
  it('reports a missing app id and still loads, as the SDK itself does', async () => {
    const reports: string[] = [];
    expect(
      await loadReporting(
        undefined,
        async () => 'sdk',
        (d) => reports.push(d),
      ),
    ).toBe('sdk');
    expect(reports).toEqual(['no_app_id']);
  });

  it('reports a load that fails, and passes the failure on', async () => {
    const reports: string[] = [];
    await expect(
      loadReporting(
        'sdk_threadline_0123456789',
        () => Promise.reject(new Error('Gmail changed')),
        (d) => reports.push(d),
      ),
    ).rejects.toThrow('Gmail changed');
    expect(reports).toEqual(['load_failed']);
  });

  it('reports a load that takes too long, once', async () => {
    const reports: string[] = [];
    let finish: (v: string) => void = () => {};
    const loading = loadReporting(
      'sdk_threadline_0123456789',
      () => new Promise<string>((r) => (finish = r)),
      (d) => reports.push(d),
      5,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(reports).toEqual(['load_failed']);
    finish('sdk');
    expect(await loading).toBe('sdk');
    expect(reports).toEqual(['load_failed']);
  });
});
