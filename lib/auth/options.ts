// next-auth configuration: email + password (argon2, throttled), and OIDC when configured.
// Sessions are JWTs signed with the instance secret; every request re-reads the user so a
// disabled account or a removed membership takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig, oidcConfigured } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { signInWithPassword } from "@/lib/services/sign-in";
import { findOrCreateOidcUser } from "@/lib/services/oidc-users";
import { getSecret } from "./secret";

export function authOptions(): NextAuthOptions {
  const config = getConfig();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const forwarded = req?.headers?.["x-forwarded-for"];
        const ip = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim() ?? "";
        try {
          const user = await signInWithPassword(await getDb(), credentials?.email ?? "", credentials?.password ?? "", ip);
          return { id: user.id, email: user.email, name: user.name };
        } catch (err) {
          // next-auth hands this message to the sign-in form as `error`.
          if (isBoraError(err)) throw new Error(err.message);
          throw err;
        }
      },
    }),
  ];
  if (oidcConfigured(config)) {
    providers.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${config.BORA_OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: config.BORA_OIDC_CLIENT_ID,
      clientSecret: config.BORA_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    });
  }
  return {
    providers,
    secret: getSecret(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/login", error: "/login" },
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        return Boolean(user.email); // an identity without an email cannot be matched to a member
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === "oidc") {
          const local = await findOrCreateOidcUser(await getDb(), user.email!, user.name ?? "");
          token.uid = local.id;
        } else if (user) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, uid: token.uid as string | undefined };
      },
    },
  };
}
