import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { type Actor, audit } from '../../platform/audit.ts';
import { hashPassword, hashSecret, newSecret, verifyPassword } from '../../platform/auth/secrets.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { apiTokens, type Role, roles, sessions, users } from './users.schema.ts';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an e-mail address' }));
export const roleSchema = z.enum(roles);
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(1024);

export type AuthUser = { id: string; email: string; name: string; role: Role };

/** Creates a user; the e-mail is unique (case-insensitive). */
export async function createUser(
  db: Db,
  input: { email: string; role: Role; name?: string; password?: string | undefined },
  actor: Actor,
): Promise<AuthUser> {
  const email = emailSchema.parse(input.email);
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing.length) throw conflict(`A user with e-mail ${email} already exists`, undefined, 'user_exists');
  const passwordHash = input.password ? await hashPassword(passwordSchema.parse(input.password)) : null;
  return db.transaction(async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email, role: input.role, name: input.name ?? email.split('@')[0]!, passwordHash })
      .returning();
    await audit(tx, actor, 'user.created', { type: 'user', id: u!.id }, { email, role: input.role });
    return { id: u!.id, email: u!.email, name: u!.name, role: u!.role };
  });
}

export async function findUserByEmail(db: Db, email: string) {
  const [u] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return u ?? null;
}

/** Checks a password; returns the user or null (same answer for unknown user and wrong password). */
export async function checkPassword(db: Db, email: string, password: string): Promise<AuthUser | null> {
  const u = await findUserByEmail(db, email);
  // Verify against a dummy hash when the user is unknown so timing does not reveal which e-mails exist.
  dummyHash ??= await hashPassword('not-a-real-password');
  const ok = await verifyPassword(u?.passwordHash ?? dummyHash, password);
  if (!u || !ok || u.disabledAt) return null;
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}
let dummyHash: string | undefined;

export async function createSession(
  db: Db,
  userId: string,
  ttlHours: number,
  meta: { ua?: string; ip?: string },
) {
  const { secret, hash } = newSecret('es');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db
    .insert(sessions)
    .values({ userId, tokenHash: hash, expiresAt, userAgent: meta.ua ?? null, ip: meta.ip ?? null });
  return { token: secret, expiresAt };
}

export async function revokeSession(db: Db, token: string) {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(eq(sessions.tokenHash, hashSecret(token)));
}

/** Creates an API bearer token for a user; only its hash is stored. */
export async function createApiToken(db: Db, email: string, name: string, actor: Actor) {
  const u = await findUserByEmail(db, email);
  if (!u) throw notFound(`User ${email}`);
  if (u.disabledAt) throw badRequest(`User ${email} is disabled`);
  const { secret, hash } = newSecret('est');
  return db.transaction(async (tx) => {
    const [t] = await tx
      .insert(apiTokens)
      .values({ userId: u.id, name, prefix: secret.slice(0, 10), tokenHash: hash })
      .returning({ id: apiTokens.id });
    await audit(tx, actor, 'token.created', { type: 'api_token', id: t!.id }, { user: u.email, name });
    return { id: t!.id, token: secret };
  });
}

export async function revokeApiToken(db: Db, tokenId: string, actor: Actor, ownerId?: string) {
  const cond = ownerId
    ? and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, ownerId))
    : eq(apiTokens.id, tokenId);
  const res = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(cond)
    .returning({ id: apiTokens.id });
  if (!res.length) throw notFound('Token');
  await audit(db, actor, 'token.revoked', { type: 'api_token', id: tokenId });
}

/** Resolves a bearer token or session cookie value to its (enabled) user. */
export async function resolveCredential(
  db: Db,
  kind: 'token' | 'session',
  secret: string,
): Promise<AuthUser | null> {
  const h = hashSecret(secret);
  const now = new Date();
  const rows =
    kind === 'token'
      ? await db
          .select({ u: users, credId: apiTokens.id })
          .from(apiTokens)
          .innerJoin(users, eq(users.id, apiTokens.userId))
          .where(and(eq(apiTokens.tokenHash, h), isNull(apiTokens.revokedAt)))
      : await db
          .select({ u: users, credId: sessions.id })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(and(eq(sessions.tokenHash, h), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  const row = rows[0];
  if (!row || row.u.disabledAt) return null;
  return { id: row.u.id, email: row.u.email, name: row.u.name, role: row.u.role };
}
