import { z } from 'zod';
import { Email, Id } from '../domain/common';

export const Role = z.enum(['rep', 'manager', 'admin']);
export type Role = z.infer<typeof Role>;

export const NonceResponse = z.object({ nonce: z.string(), expiresAt: z.number().int() }).strict();

/** The extension signs in with the provider, then trades the ID token (which carries our nonce) for a session. */
export const SignInRequest = z
  .object({
    idToken: z.string().min(1).max(20_000),
    nonce: z.string().min(1).max(200),
    /** The token from an invite link: joins that team instead of starting a new one. */
    invite: z.string().min(1).max(200).optional(),
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequest>;

export const Member = z
  .object({
    id: Id,
    email: Email,
    /** false: the provider did not vouch for the address (shown as such; it attributes nothing). */
    emailVerified: z.boolean().optional(),
    name: z.string().optional(),
    role: Role,
    teamId: Id,
  })
  .strict();
export type Member = z.infer<typeof Member>;

export const Session = z
  .object({
    accessToken: z.string(),
    /** Milliseconds since the epoch, on the server's clock. */
    accessExpiresAt: z.number().int(),
    refreshToken: z.string(),
    refreshExpiresAt: z.number().int(),
    user: Member,
  })
  .strict();
export type Session = z.infer<typeof Session>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(500) }).strict();

/** `POST /auth/sign-out` (bearer: the access token): ends the session's whole refresh-token family. */
export const SignOutRequest = z.object({ refreshToken: z.string().min(1).max(500).optional() }).strict();

export const InviteRequest = z
  .object({
    role: Role.default('rep'),
    /** Only this address (verified by its provider) may use the invite; anyone holding the link otherwise. */
    email: Email.optional(),
  })
  .strict();
export const Invite = z
  .object({
    token: z.string(),
    url: z.string(),
    role: Role,
    expiresAt: z.number().int(),
    email: z.string().optional(),
  })
  .strict();

export const MemberList = z.object({ members: z.array(Member) }).strict();

/** `POST /team/suppressions/lift` (admins): the one way to lift an unsubscribe or complaint. */
export const SuppressionLift = z.object({ email: Email, reason: z.string().trim().min(3).max(500) }).strict();
export const SuppressionLifted = z
  .object({ email: z.string(), was: z.string(), liftedBy: Id, at: z.number().int() })
  .strict();
export const RoleChange = z.object({ role: Role }).strict();
