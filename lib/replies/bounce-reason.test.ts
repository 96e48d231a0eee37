import { describe, expect, it } from 'vitest';
import { bounceReason, isPermanent } from './bounce-reason';

// Diagnostics as the named servers write them (paraphrased where long), with the reason a careful reader
// (and Sisimai's public reason descriptions) gives them.
const cases: [string, { status?: string; smtpCode?: string; text: string }, string][] = [
  [
    'Postfix unknown user',
    {
      status: '5.1.1',
      text: '550 5.1.1 <ada@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
    },
    'userunknown',
  ],
  [
    'Gmail no such account',
    { status: '5.1.1', text: '550-5.1.1 The email account that you tried to reach does not exist.' },
    'userunknown',
  ],
  [
    'Gmail mailbox full',
    { status: '5.2.2', text: '552-5.2.2 The email account that you tried to reach is over quota.' },
    'mailboxfull',
  ],
  [
    'Gmail disabled account',
    { status: '5.2.1', text: '550-5.2.1 The email account that you tried to reach is disabled.' },
    'suspend',
  ],
  [
    'Office 365 RecipientNotFound',
    {
      status: '5.1.10',
      text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    },
    'userunknown',
  ],
  [
    'null MX by status alone',
    { status: '5.1.10', text: '556 5.1.10 Recipient address has null MX' },
    'notaccept',
  ],
  [
    'Outlook.com mailbox unavailable',
    { status: '5.5.0', text: '550 5.5.0 Requested action not taken: mailbox unavailable.' },
    'userunknown',
  ],
  [
    'Yahoo no account',
    { text: "554 delivery error: dd This user doesn't have a yahoo.com account (ada@yahoo.com) [0]" },
    'userunknown',
  ],
  [
    'Yahoo spamhaus',
    {
      status: '5.7.1',
      text: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list",
    },
    'blocked',
  ],
  [
    'Yahoo policy',
    { status: '5.7.9', text: '554 5.7.9 Message not accepted for policy reasons.' },
    'policyviolation',
  ],
  [
    'Gmail unsolicited',
    {
      status: '5.7.1',
      text: '550-5.7.1 Our system has detected that this message is likely unsolicited mail.',
    },
    'spamdetected',
  ],
  [
    'Gmail unauthenticated',
    {
      status: '5.7.26',
      text: '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.',
    },
    'authfailure',
  ],
  [
    'DMARC',
    { status: '5.7.1', text: '550 5.7.1 Email rejected per DMARC policy for example.com' },
    'authfailure',
  ],
  [
    'reverse DNS',
    {
      status: '5.7.25',
      text: '550-5.7.25 The IP address sending this message does not have a PTR record setup',
    },
    'requireptr',
  ],
  [
    'reputation',
    {
      status: '4.7.0',
      text: '421-4.7.0 This message is suspicious due to the very low reputation of the sending domain',
    },
    'badreputation',
  ],
  [
    'host unknown',
    {
      text: 'Host or domain name not found. Name service error for name=example.invalid type=A: Host not found',
    },
    'hostunknown',
  ],
  ['has moved', { status: '5.1.6', text: '550 5.1.6 recipient no longer on server' }, 'hasmoved'],
  [
    'relay denied',
    { status: '5.7.1', text: '554 5.7.1 <ada@example.org>: Relay access denied' },
    'norelaying',
  ],
  [
    'too big',
    { status: '5.3.4', text: '552 5.3.4 Message size exceeds fixed maximum message size' },
    'mesgtoobig',
  ],
  ['expired', { status: '4.4.7', text: 'retry timeout exceeded' }, 'expired'],
  [
    'virus',
    { status: '5.7.0', text: '554 5.7.0 Message rejected: virus found (Eicar-Test-Signature)' },
    'virusdetected',
  ],
  ['STARTTLS', { status: '5.7.0', text: '530 5.7.0 Must issue a STARTTLS command first' }, 'failedstarttls'],
  [
    'rate limit',
    {
      status: '4.7.28',
      text: '421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address',
    },
    'speeding',
  ],
  [
    'too many connections',
    {
      smtpCode: '421',
      text: '421 Too many concurrent SMTP connections from this IP address; please try again later',
    },
    'toomanyconn',
  ],
  [
    'SES suppression',
    {
      text: 'Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.',
    },
    'suppressed',
  ],
  [
    'Postmark inactive',
    { text: 'You tried to send to a recipient that has been marked as inactive.' },
    'suppressed',
  ],
  ['system full', { status: '4.3.1', text: '452 4.3.1 Insufficient system storage' }, 'systemfull'],
  [
    'sender rejected',
    { status: '5.1.8', text: '553 5.1.8 <sam@example.com>: Sender address rejected: Domain not found' },
    'rejected',
  ],
  ['German unknown', { text: '550 5.1.1 Benutzer unbekannt: Das Postfach existiert nicht' }, 'userunknown'],
  ['German mailbox full', { text: 'Das Postfach des Empfängers ist voll.' }, 'mailboxfull'],
  ['Japanese unknown', { text: '宛先のメールアドレスは存在しません。' }, 'userunknown'],
  [
    'qq mailbox not found',
    {
      text: '550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728',
    },
    'userunknown',
  ],
  [
    'RCPT refused with nothing else',
    { smtpCode: '550', text: 'host mx.example.org said: 550 Address rejected (in reply to RCPT TO command)' },
    'userunknown',
  ],
  ['bare 5.0.0', { status: '5.0.0', text: 'an error occurred' }, 'undefined'],
  ['status only', { status: '5.2.2', text: '' }, 'mailboxfull'],
];

describe('bounceReason', () => {
  it.each(cases)('%s', (_, input, reason) => {
    expect(bounceReason(input)).toBe(reason);
  });
});

describe('isPermanent: the address cannot receive mail', () => {
  it('is true for an unknown user, host, a moved mailbox or a domain that accepts no mail', () => {
    for (const reason of ['userunknown', 'hostunknown', 'hasmoved', 'notaccept'] as const)
      expect(isPermanent({ reason, status: '5.1.1' })).toBe(true);
  });

  it('is false for policy, spam, reputation, size, a full or suspended mailbox and expired retries', () => {
    for (const reason of [
      'suspend',
      'mailboxfull',
      'blocked',
      'spamdetected',
      'policyviolation',
      'expired',
      'mesgtoobig',
      'undefined',
    ] as const)
      expect(isPermanent({ reason, status: '5.0.0' })).toBe(false);
  });

  it('is false when the server says the failure is transient (4.x.x) or only a delay', () => {
    expect(isPermanent({ reason: 'userunknown', status: '4.1.1' })).toBe(false);
    expect(isPermanent({ reason: 'userunknown', smtpCode: '450' })).toBe(false);
    expect(isPermanent({ reason: 'userunknown', status: '5.1.1', delayed: true })).toBe(false);
  });
});
