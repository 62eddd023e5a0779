import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { sessionUser } from "@/server/auth.ts";
import { safeCallbackPath } from "./callback-path.ts";
import { SignInForm } from "./sign-in-form.tsx";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signin"))("title") };
}

export default async function SignInPage({ searchParams }: PageProps<"/signin">) {
  const { callbackUrl } = await searchParams;
  const target = safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await sessionUser()) redirect(target);
  const t = await getTranslations("signin");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-semibold tracking-tight text-slate-900">Beacon</p>
          <p className="mt-1 text-sm text-slate-600">{t("tagline")}</p>
        </div>
        <section aria-labelledby="signin-heading" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 id="signin-heading" className="mb-4 text-lg font-semibold">
            {t("title")}
          </h1>
          <SignInForm callbackPath={target} />
        </section>
      </div>
    </main>
  );
}
